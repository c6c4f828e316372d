"""A list page read by keyset (``core.keyset``) with its count (``core.counts``): the rows, and the links to the
next, previous and first pages, each keeping the page's other query parameters (its filters)."""

from dataclasses import dataclass

from django.db.models import QuerySet

from . import counts, keyset


@dataclass
class ListPage:
    rows: list
    count: counts.RowCount | None
    next_url: str
    previous_url: str
    first_url: str  # empty on the first page


def _url(params, cursor: str | None) -> str:
    params = params.copy()
    if cursor:
        params["cursor"] = cursor
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def list_page(request, queryset: QuerySet, *, per_page: int, count: bool = True) -> ListPage:
    """The page at ``?cursor=`` (a cursor not made here starts again from the first page)."""
    params = request.GET.copy()
    cursor = params.pop("cursor", [None])[-1]
    params.pop("page", None)  # the old page numbers: the first page
    try:
        found = keyset.page(queryset, cursor=cursor, limit=per_page)
    except keyset.BadCursor:
        found, cursor = keyset.page(queryset, cursor=None, limit=per_page), None
    return ListPage(
        rows=found.rows,
        count=counts.count(queryset) if count else None,
        next_url=_url(params, found.next_cursor) if found.next_cursor else "",
        previous_url=_url(params, found.previous_cursor) if found.previous_cursor else "",
        first_url=_url(params, None) if cursor else "",
    )
