"""Deadline steps met, late and open past due (R30, R33–R36, R40), by SQL aggregation over the deadline rows.

A step is met on time when its clock stopped on or before its due date, late when after; it is open past due at
the end of the month when it had started, had not stopped by then, and its due date had passed. The working days
over are counted on the ``workdays`` calendar from groups of rows with equal dates, never row by row.
"""

from collections import defaultdict

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate

from applications.models import ApplicationEvent, Deadline, Step
from workdays.calendar import Calendar

from .periods import Month

STEP_ORDER = [Step.ACCEPT, Step.VERIFY, Step.NOTICE, Step.HAND_OVER, Step.OVERALL, Step.PAY]
#: Who holds each step: the district agriculture office, but district finance for payment (R36).
FINANCE_STEPS = {Step.PAY}
LATE_LIST_LIMIT = 300


def _scoped(district):
    rows = Deadline.objects.all()
    return rows.filter(application__district=district) if district is not None else rows


def _closed_in(month: Month, district, since):
    return _scoped(district).filter(met_at__gte=since, met_at__lt=month.end).annotate(met_on=TruncDate("met_at"))


def _open_past_due(month: Month, district):
    return _scoped(district).filter(
        Q(met_at__isnull=True) | Q(met_at__gte=month.end),
        started_on__lte=month.last,
        due_on__lt=month.last,
    )


def _late_days(groups, calendar: Calendar, *, until=None) -> dict:
    """(step, length) → working days over, summed over groups of (due, stopped, count)."""
    out: dict = defaultdict(int)
    for g in groups:
        stopped = until or g["met_on"]
        out[(g["step"], g["working_days"])] += calendar.between(g["due_on"], stopped) * g["n"]
    return out


def step_figures(month: Month, district, calendar: Calendar) -> list[dict]:
    """Per step and length in working days (a district's own lengths apart): met, late, working days over, in
    the month and the year to date, and how many were open past due at the month's end."""
    late = Q(met_on__gt=F("due_on"))
    counts: dict = defaultdict(lambda: defaultdict(int))
    for key, since in (("m", month.start), ("y", month.year_start)):
        closed = _closed_in(month, district, since)
        rows = closed.values("step", "working_days").annotate(
            met=Count("id", filter=~late | Q(due_on__isnull=True)), late=Count("id", filter=late)
        )
        for r in rows.order_by():
            counts[(r["step"], r["working_days"])][f"met_{key}"] = r["met"]
            counts[(r["step"], r["working_days"])][f"late_{key}"] = r["late"]
        groups = closed.filter(late).values("step", "working_days", "due_on", "met_on").annotate(n=Count("id"))
        for where, days in _late_days(groups.order_by(), calendar).items():
            counts[where][f"days_over_{key}"] = days
    open_rows = _open_past_due(month, district).values("step", "working_days", "due_on").annotate(n=Count("id"))
    open_rows = list(open_rows.order_by())
    for r in open_rows:
        counts[(r["step"], r["working_days"])]["open_past_due"] += r["n"]
    for where, days in _late_days(open_rows, calendar, until=month.last).items():
        counts[where]["open_days_over"] = days
    keys = ["met_m", "late_m", "days_over_m", "met_y", "late_y", "days_over_y", "open_past_due", "open_days_over"]
    ordered = sorted(counts, key=lambda k: (STEP_ORDER.index(k[0]), k[1]))
    return [
        {"step": step, "working_days": length, **{k: counts[(step, length)].get(k, 0) for k in keys}}
        for step, length in ordered
    ]


def _last_actor(until):
    return Subquery(
        ApplicationEvent.objects.filter(application=OuterRef("application"), at__lte=until, actor__isnull=False)
        .order_by("-at", "-id")
        .values("actor__display_name")[:1]
    )


def late_list(month: Month, district, calendar: Calendar) -> dict:
    """The late steps of the month and the steps open past due at its end, with who last acted on each (R40)."""
    fields = ["application__number", "application__district__name", "step", "working_days", "started_on", "due_on"]
    closed = (
        _closed_in(month, district, month.start)
        .filter(met_on__gt=F("due_on"))
        .annotate(held_by=_last_actor(OuterRef("met_at")))
        .values(*fields, "met_on", "held_by")
        .order_by("due_on", "id")
    )
    still_open = (
        _open_past_due(month, district)
        .annotate(held_by=_last_actor(month.end))
        .values(*fields, "held_by")
        .order_by("due_on", "id")
    )
    rows = []
    for row in [*closed[:LATE_LIST_LIMIT], *still_open[:LATE_LIST_LIMIT]]:
        stopped = row.get("met_on")
        rows.append(
            {
                "number": row["application__number"] or "",
                "district": row["application__district__name"],
                "step": row["step"],
                "working_days": row["working_days"],
                "started_on": row["started_on"].isoformat(),
                "due_on": row["due_on"].isoformat(),
                "met_on": stopped.isoformat() if stopped else None,
                "days_over": calendar.between(row["due_on"], stopped or month.last),
                "office": "finance" if row["step"] in FINANCE_STEPS else "agriculture",
                "held_by": row["held_by"] or "",
            }
        )
    return {"rows": rows, "limit": LATE_LIST_LIMIT}
