"""How many rows a list has, without counting a million of them for every page view.

Up to ``exact_up_to`` rows are counted exactly (a count stopped at that many, read from the list's own index). Past
it, PostgreSQL's planner estimate of the same query is given instead, marked as an estimate for the page to say so;
other databases (the embedded SQLite) count exactly.
"""

import json
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet

EXACT_UP_TO = 1000


@dataclass(frozen=True)
class RowCount:
    n: int
    estimated: bool = False


def _planner_estimate(queryset: QuerySet) -> int:
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


def _rounded(n: int) -> int:
    """Up to two significant figures: an estimate should not look exact, nor fall below the rows known to be there."""
    unit = 10 ** max(len(str(n)) - 2, 0)
    return -(-n // unit) * unit


def count(queryset: QuerySet, *, exact_up_to: int = EXACT_UP_TO) -> RowCount:
    queryset = queryset.order_by()
    if connections[queryset.db].vendor != "postgresql":
        return RowCount(queryset.count())
    capped = queryset[: exact_up_to + 1].count()
    if capped <= exact_up_to:
        return RowCount(capped)
    return RowCount(_rounded(max(_planner_estimate(queryset.values("pk")), exact_up_to + 1)), estimated=True)
