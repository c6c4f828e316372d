"""Keyset (cursor) pagination over a selector's own ordering: never OFFSET, so page 10,000 costs what page 1 does.

The cursor is the last row's values of the ordering keys, signed (a tampered or stale cursor is a 400, never a
500). The keys are read from the queryset's ``order_by``, so the API pages in exactly the order the page shows.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core import signing
from django.db.models import F, OrderBy, Q, QuerySet
from django.utils.translation import gettext as _

from .problems import Problem

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_SALT = "api.cursor"


@dataclass(frozen=True)
class Key:
    alias: str
    expression: object
    descending: bool
    nulls_last: bool


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
        keys.append(Key(f"cursor_key_{len(keys)}", F("pk"), False, True))  # a unique last key: no row twice
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


def page(queryset: QuerySet, *, cursor: str | None, limit: int | None) -> tuple[list, str | None]:
    """One page of ``queryset`` after ``cursor``: (rows, the cursor of the next page or None)."""
    limit = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    keys = _keys(queryset)
    queryset = queryset.annotate(**{key.alias: key.expression for key in keys})
    if cursor:
        try:
            values = [_decode(v) for v in signing.loads(cursor, salt=_SALT)]
        except (signing.BadSignature, TypeError, ValueError) as exc:
            raise Problem(400, _("This cursor is not valid; start again from the first page.")) from exc
        if len(values) != len(keys):
            raise Problem(400, _("This cursor is not valid; start again from the first page."))
        condition = Q(pk__in=[])
        for n, key in enumerate(keys):
            step = _after(key, values[n])
            for earlier, value in zip(keys[:n], values[:n], strict=False):
                step &= _same(earlier, value)
            condition |= step
        queryset = queryset.filter(condition)
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, signing.dumps([_encode(getattr(last, key.alias)) for key in keys], salt=_SALT, compress=True)
