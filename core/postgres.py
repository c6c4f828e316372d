"""Migration operations for indexes only PostgreSQL has (pg_trgm's GIN indexes): the embedded SQLite default keeps
the model's state and skips the SQL, and its searches scan as they always did."""

from django.db import migrations


class AddIndexOnPostgres(migrations.AddIndex):
    """``AddIndex`` that creates the index on PostgreSQL only."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
