"""Keyset (cursor) pagination over a queryset's own ordering: never OFFSET, so the 1,000th page costs what the
first does (one index range read), for the pages and the API alike.

The cursor is the edge row's values of the ordering keys, signed: a tampered or stale one raises ``BadCursor``
(the API answers 400, a page starts again from the first). The keys are read from the queryset's ``order_by``; a
unique last key (the primary key) is added when missing, so rows that share a sort key are neither skipped nor
shown twice. Going back reads the same index backwards.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core import signing
from django.db.models import F, OrderBy, Q, QuerySet

_SALT = "api.cursor"


class BadCursor(ValueError):
    """The cursor was not made here, or for another ordering."""


@dataclass(frozen=True)
class Key:
    alias: str
    expression: object
    descending: bool
    nulls_last: bool

    def reversed(self) -> "Key":
        return Key(self.alias, self.expression, not self.descending, not self.nulls_last)

    def order(self) -> OrderBy:
        nulls = {"nulls_last": True} if self.nulls_last else {"nulls_first": True}
        return OrderBy(F(self.alias), descending=self.descending, **nulls)


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    previous_cursor: str | None


def _keys(queryset: QuerySet) -> list[Key]:
    keys = []
    for n, term in enumerate(queryset.query.order_by):
        if isinstance(term, str):
            descending, name = term.startswith("-"), term.lstrip("-")
            term = OrderBy(F(name), descending=descending)
        if not isinstance(term, OrderBy):
            term = term.asc()
        nulls_last = term.nulls_last if term.nulls_last is not None else not (term.nulls_first or term.descending)
        keys.append(Key(f"cursor_key_{n}", term.expression, term.descending, bool(nulls_last)))
    if not keys or not isinstance(keys[-1].expression, F) or keys[-1].expression.name not in ("pk", "id"):
        keys.append(Key(f"cursor_key_{len(keys)}", F("pk"), False, True))
    return keys


def _encode(value):
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    return value


def _decode(value):
    if isinstance(value, dict):
        if "dt" in value:
            return datetime.fromisoformat(value["dt"])
        if "d" in value:
            return date.fromisoformat(value["d"])
        if "n" in value:
            return Decimal(value["n"])
    return value


def _after(key: Key, value) -> Q:
    name = key.alias
    if value is None:
        return Q(pk__in=[]) if key.nulls_last else Q(**{f"{name}__isnull": False})
    after = Q(**{f"{name}__{'lt' if key.descending else 'gt'}": value})
    return after | Q(**{f"{name}__isnull": True}) if key.nulls_last else after


def _same(key: Key, value) -> Q:
    return Q(**{f"{key.alias}__isnull": True}) if value is None else Q(**{key.alias: value})


def _beyond(keys: list[Key], values: list) -> Q:
    """Rows strictly after ``values`` in the order of ``keys``."""
    condition = Q(pk__in=[])
    for n, key in enumerate(keys):
        step = _after(key, values[n])
        for earlier, value in zip(keys[:n], values[:n], strict=False):
            step &= _same(earlier, value)
        condition |= step
    return condition


def _load(cursor: str, keys: list[Key]) -> tuple[str, list]:
    try:
        direction, *values = signing.loads(cursor, salt=_SALT)
    except (signing.BadSignature, TypeError, ValueError) as exc:
        raise BadCursor from exc
    if direction not in ("after", "before") or len(values) != len(keys):
        raise BadCursor
    return direction, [_decode(v) for v in values]


def _dump(direction: str, row, keys: list[Key]) -> str:
    return signing.dumps([direction, *(_encode(getattr(row, key.alias)) for key in keys)], salt=_SALT, compress=True)


def page(queryset: QuerySet, *, cursor: str | None, limit: int) -> Page:
    """One page of ``queryset`` at ``cursor`` (None: the first page), with the cursors of the pages either side."""
    keys = _keys(queryset)
    queryset = queryset.annotate(**{key.alias: key.expression for key in keys})
    direction, values = _load(cursor, keys) if cursor else ("after", None)
    if direction == "before":
        reverse = [key.reversed() for key in keys]
        rows = list(queryset.filter(_beyond(reverse, values)).order_by(*(k.order() for k in reverse))[: limit + 1])
        more_before = len(rows) > limit
        rows = rows[:limit][::-1]
        return Page(rows, _dump("after", rows[-1], keys) if rows else None,
                    _dump("before", rows[0], keys) if more_before else None)  # fmt: skip
    if values is not None:
        queryset = queryset.filter(_beyond(keys, values))
    rows = list(queryset.order_by(*(k.order() for k in keys))[: limit + 1])
    more_after = len(rows) > limit
    rows = rows[:limit]
    previous = _dump("before", rows[0], keys) if values is not None and rows else None
    return Page(rows, _dump("after", rows[-1], keys) if more_after else None, previous)
