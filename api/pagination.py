"""Keyset (cursor) pagination for the API (``core.keyset``): never OFFSET, in exactly the order the page shows; a
tampered or stale cursor is a 400, never a 500."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core import keyset

from .problems import Problem

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def page(queryset: QuerySet, *, cursor: str | None, limit: int | None) -> tuple[list, str | None]:
    """One page of ``queryset`` after ``cursor``: (rows, the cursor of the next page or None)."""
    limit = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    try:
        found = keyset.page(queryset, cursor=cursor, limit=limit)
    except keyset.BadCursor as exc:
        raise Problem(400, _("This cursor is not valid; start again from the first page.")) from exc
    return found.rows, found.next_cursor
