"""The one hash chain (R45), used by every trail: application events, the ledger, catalogue events, oversight
events, summary events and role changes.

A row stores the previous row's hash of its chain (``prev_hash``) and its own (``hash``): ``link_hash`` of its
content, an HMAC-SHA256 keyed with ``settings.CHAIN_KEY`` (from the environment, never in the database) over one
canonical JSON form. Altering a row, or removing one before it, breaks the chain; recomputing the following
hashes needs the key. A chained model says how it is chained in ``CHAIN`` (a ``Link``: the fields hashed, in
order, and the field that names its chain); ``verify`` streams a table in chunks and names the first broken row,
and ``core.checkpoints`` compares each chain's head and count with the last signed checkpoint. On PostgreSQL the
tables are append-only as well (``AppendOnly``, a migration operation).
"""

import contextlib
import datetime
import functools
import hmac
import json
from dataclasses import dataclass
from json.encoder import c_make_encoder, encode_basestring

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.migrations.operations.base import Operation

CHUNK = 20_000  # rows fetched per round trip when a chain is streamed


_ENCODER = DjangoJSONEncoder(ensure_ascii=False, sort_keys=True)


def canonical_json(values: list) -> str:
    """The one canonical form: keys sorted, text as written (no \\u escapes), dates and decimals as Django writes
    them in JSON fields."""
    return _ENCODER.encode(values)


def _key() -> bytes:
    return settings.CHAIN_KEY.encode()


def link_hash(values, *, key: bytes | None = None) -> str:
    """THE hash of a chained row: HMAC-SHA256 (key ``settings.CHAIN_KEY``) of the canonical JSON of ``values``,
    the row's ``CHAIN.fields`` in order (``prev_hash`` among them) as the model holds them. A datetime counts in
    UTC, so an aware time in any zone hashes as the database gives it back. Seeders call this (or the model's
    ``content_hash()``) to write valid chains."""
    plain = [v.astimezone(datetime.UTC).isoformat() if isinstance(v, datetime.datetime) else v for v in values]
    mac = _keyed(key or _key()).copy()
    mac.update(_encode(plain).encode())
    return mac.hexdigest()


def _encoder():
    """``_ENCODER.encode`` for a list, without its per-call set-up when the C encoder is there (same output)."""
    if c_make_encoder is None:
        return _ENCODER.encode
    e = _ENCODER
    c = c_make_encoder(None, e.default, encode_basestring, None, ": ", ", ", True, False, True)

    def encode(values: list) -> str:
        return "".join(c(values, 0))

    return encode


_encode = _encoder()


@functools.lru_cache(maxsize=4)
def _keyed(key: bytes):
    """The HMAC with its key already mixed in, copied for each row (faster than keying it again)."""
    return hmac.new(key, digestmod="sha256")


@dataclass(frozen=True)
class Link:
    """How a model is chained: ``fields`` are hashed in this order; ``chain_by`` names the field whose value names
    the chain (the application, the fund, the user), or None for one chain over the whole table; ``name`` is how
    the checks and checkpoints call the table."""

    name: str
    fields: tuple[str, ...]
    chain_by: str | None = None

    def hash_of(self, row) -> str:
        return link_hash([getattr(row, f) for f in self.fields])


class Chained:
    """Mixin for a chained model with a ``CHAIN`` link: ``content_hash()`` is its row's ``link_hash``."""

    CHAIN: Link

    def content_hash(self) -> str:
        return self.CHAIN.hash_of(self)


def append(row, *, chain):
    """Save ``row`` as the last of ``chain`` (a queryset of the rows of its chain, which the caller has locked or
    serialised, so the chain has one writer): it stores the last row's hash and its own."""
    last = chain.order_by("-id").only("hash").first()
    row.prev_hash = last.hash if last else ""
    row.hash = row.content_hash()
    row.save()
    return row


@dataclass
class Broken:
    """A row that breaks its chain: which table, which chain, which row, and why."""

    table: str
    chain: int | None
    id: int
    why: str

    def __str__(self):
        where = f", chain {self.chain}" if self.chain is not None else ""
        return f"{self.table}: row {self.id}{where}: {self.why}"


@dataclass(slots=True)
class Head:
    """A chain's last row and length, as a walk found it."""

    count: int
    id: int
    hash: str


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _rows(model, queryset, columns: list[str]):
    """The rows of ``queryset`` as tuples of ``columns``, streamed from a server-side cursor in chunks of
    ``CHUNK``, with JSON columns decoded (as the model would hold them) and nothing else of the ORM per row. Times
    come as microseconds since the epoch and become the text ``link_hash`` makes of them (ISO 8601 in UTC) here:
    psycopg's time parser, as Django sets it up, costs more than the hash."""
    from django.db import connection
    from django.db.models import BigIntegerField, F, Value
    from django.db.models.functions import Cast, Extract

    if connection.vendor != "postgresql":  # the embedded default: the ORM's rows, converted as it does
        yield from queryset.values_list(*columns).iterator(chunk_size=CHUNK)
        return
    kinds = [model._meta.get_field(name).get_internal_type() for name in columns]
    times = {f"_us_{name}": name for name, kind in zip(columns, kinds, strict=True) if kind == "DateTimeField"}
    utc = datetime.UTC
    epoch_us = {alias: Extract(F(name), "epoch", tzinfo=utc) * Value(1_000_000) for alias, name in times.items()}
    queryset = queryset.annotate(**{alias: Cast(us, BigIntegerField()) for alias, us in epoch_us.items()})
    selected = [f"_us_{name}" if f"_us_{name}" in times else name for name in columns]
    sql, params = queryset.values_list(*selected).query.sql_with_params()
    json_at = [i for i, kind in enumerate(kinds) if kind == "JSONField"]
    time_at = [i for i, kind in enumerate(kinds) if kind == "DateTimeField"]
    loads, epoch, micro = json.JSONDecoder().decode, _EPOCH, datetime.timedelta
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(CHUNK):
            for row in batch:
                row = list(row)
                for i in json_at:
                    text = row[i]
                    row[i] = {} if text == "{}" else loads(text) if isinstance(text, str) else text
                for i in time_at:  # as link_hash writes a UTC time
                    row[i] = (epoch + micro(microseconds=row[i])).isoformat()
                yield row


def walk(model, *, since_id: int = 0, start: dict | None = None, marks: dict | None = None, chain=None):
    """Stream ``model``'s rows (id above ``since_id``; of one chain when ``chain`` is given) in id order, in
    chunks, checking each row's link to the last row of its chain and its hash. Returns (the first broken row or
    None, the heads found: chain → Head, for the chains that had rows). ``start`` (chain → Head) is where each chain
    stood before ``since_id``: its first new row links to that head. ``marks`` (chain → Head, a checkpoint's) must
    be found as they were: the row at a mark's count is the mark's row with the mark's hash."""
    from django.db import transaction

    link: Link = model.CHAIN
    by = link.chain_by
    rows = model.objects.filter(id__gt=since_id)
    if chain is not None:
        rows = rows.filter(**{by: chain})
    columns = [*link.fields, "hash", "id", *([by] if by else [])]
    n = len(link.fields)
    prev_at = link.fields.index("prev_hash")
    key = _key()
    start, marks = start or {}, marks or {}
    found: dict = {}
    with transaction.atomic(), contextlib.closing(_rows(model, rows.order_by("id"), columns)) as stream:
        for row in stream:  # (a server-side cursor lives in a transaction; closed before it ends)
            row_id = row[n + 1]
            key_of = row[n + 2] if by else None
            head = found.get(key_of) or start.get(key_of)
            previous, count = (head.hash, head.count) if head else ("", 0)
            if row[prev_at] != previous:
                return Broken(link.name, key_of, row_id, "does not link to the row before it"), found
            digest = link_hash(row[:n], key=key)
            if digest != row[n]:
                return Broken(link.name, key_of, row_id, "its content does not match its hash"), found
            found[key_of] = Head(count + 1, row_id, digest)
            mark = marks.get(key_of)
            if mark is not None and count + 1 == mark.count and (row_id != mark.id or digest != mark.hash):
                return Broken(link.name, key_of, row_id, f"differs from the checkpoint's head (row {mark.id})"), found
    return None, found


def rehash(connection, model, link: Link) -> int:
    """Recompute every row's ``prev_hash`` and ``hash`` of ``model`` (a migration's historical model, ``link`` as
    frozen in the migration) with the current key, in chain order; returns the rows rewritten. The table's
    append-only triggers are off meanwhile (the migration runs as the tables' owner) and on again after."""
    table = connection.ops.quote_name(model._meta.db_table)
    by = link.chain_by
    extra = [by] if by else []
    rows = model.objects.order_by(*extra, "id").values_list(*link.fields, "id", *extra)
    n, prev_at, key = len(link.fields), link.fields.index("prev_hash"), _key()
    postgres = connection.vendor == "postgresql"
    done, batch, current, previous = 0, [], object(), ""
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        for row in rows.iterator(chunk_size=CHUNK):
            key_of = row[n + 1] if by else None
            if key_of != current:
                current, previous = key_of, ""
            values = list(row[:n])
            values[prev_at] = previous
            digest = link_hash(values, key=key)
            batch.append((previous, digest, row[n]))
            previous = digest
            if len(batch) >= 5000:
                done += _write_hashes(cursor, table, batch)
                batch = []
        done += _write_hashes(cursor, table, batch)
        if postgres:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    return done


def _write_hashes(cursor, table: str, batch: list) -> int:
    cursor.executemany(f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s", batch)
    return len(batch)


def first_broken(model, *, chain: int | None = None):
    """The first row of ``model`` (of one chain when given) whose chain is broken, as an instance, or None."""
    broken, _ = walk(model, chain=chain)
    return None if broken is None else model.objects.get(pk=broken.id)


def chained_models() -> list:
    """Every chained model of the project, in a fixed order."""
    from django.apps import apps

    found = [m for m in apps.get_models() if isinstance(getattr(m, "CHAIN", None), Link)]
    return sorted(found, key=lambda m: m._meta.label)


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
