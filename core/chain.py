"""The one hash chain (R45), used by the application events, the catalogue events and the ledger.

A row stores the previous row's hash of its chain (``prev_hash``) and its own (``hash``): the SHA-256 of its content
in one canonical JSON form. Altering a row, or removing one before it, breaks the chain, and ``first_broken``
finds where. On PostgreSQL the tables are append-only as well (``AppendOnly``, a migration operation).
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.migrations.operations.base import Operation


def canonical_json(values: list) -> str:
    """The one canonical form: keys sorted, text as written (no \\u escapes), dates and decimals as Django writes
    them in JSON fields."""
    return json.dumps(values, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)


def content_hash(values: list) -> str:
    return hashlib.sha256(canonical_json(values).encode()).hexdigest()


def append(row, *, chain):
    """Save ``row`` as the last of ``chain`` (a queryset of the rows of its chain, which the caller has locked or
    serialised, so the chain has one writer): it stores the last row's hash and its own."""
    last = chain.order_by("-id").only("hash").first()
    row.prev_hash = last.hash if last else ""
    row.hash = row.content_hash()
    row.save()
    return row


def first_broken(rows, *, chain_of=lambda row: None):
    """The first of ``rows`` (a queryset ordered by chain, then id) whose chain is broken, or None when intact.
    ``chain_of`` names the chain a row belongs to (the application, the fund; one chain when None)."""
    previous: dict = {}
    for row in rows.iterator():
        key = chain_of(row)
        if row.prev_hash != previous.get(key, "") or row.content_hash() != row.hash:
            return row
        previous[key] = row.hash
    return None


class AppendOnly(Operation):
    """A trigger refusing UPDATE and DELETE on ``table`` (PostgreSQL; other databases are left as they are), with
    ``what`` in the error (``"ledger entries"`` → "ledger entries are append-only: UPDATE refused")."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, *, table: str, function: str, what: str):
        self.table, self.function, self.what = table, function, what

    def deconstruct(self):
        return self.__class__.__qualname__, [], {"table": self.table, "function": self.function, "what": self.what}

    def state_forwards(self, app_label, state):
        pass

    def sql(self) -> str:
        return f"""
CREATE OR REPLACE FUNCTION {self.function}() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '{self.what} are append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {self.function} BEFORE UPDATE OR DELETE ON {self.table}
  FOR EACH ROW EXECUTE FUNCTION {self.function}();
"""

    def drop_sql(self) -> str:
        return f"""
DROP TRIGGER IF EXISTS {self.function} ON {self.table};
DROP FUNCTION IF EXISTS {self.function}();
"""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(self.sql(), params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(self.drop_sql())

    def describe(self):
        return f"Make {self.table} append-only"
