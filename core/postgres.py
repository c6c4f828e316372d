"""Migration operations for what only PostgreSQL has (pg_trgm's GIN indexes). They are not in the models' state:
SQLite, the embedded default, would otherwise try to build them whenever it remakes a table, and its searches scan
as they always did. The models' Meta says where each such index is made."""

from django.db import migrations


class RunSQLOnPostgres(migrations.RunSQL):
    """``RunSQL`` that runs on PostgreSQL only and leaves the migration state alone."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def trigram_index(name: str, table: str, column: str) -> RunSQLOnPostgres:
    """A GIN trigram index on ``UPPER(column)``: what ``icontains`` compares (``UPPER(col) LIKE UPPER(%s)``)."""
    return RunSQLOnPostgres(
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)",
        f"DROP INDEX IF EXISTS {name}",
    )
