"""Overtime by district (超时办理, R40): for a stretch of days, per district the steps met on time and late, the
working days over, the steps open past due at its end, and the late cases; by SQL aggregation over the deadline
rows, the working days over folded from groups of equal dates on the ``workdays`` calendar."""

from collections import defaultdict

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractMonth, ExtractYear, TruncDate

from applications.models import Deadline
from workdays.calendar import Calendar

from . import labels
from .periods import Span
from .steps import FINANCE_STEPS

SORTS = {"district": "sort_order", "late": "late", "days_over": "days_over", "open": "open_past_due", "rate": "rate"}
CASES_LIMIT = 500


def _closed(span: Span, districts):
    return Deadline.objects.filter(
        application__district__in=districts, met_at__gte=span.start, met_at__lt=span.end
    ).annotate(met_on=TruncDate("met_at"))


def _open(span: Span, districts):
    return Deadline.objects.filter(
        Q(met_at__isnull=True) | Q(met_at__gte=span.end),
        application__district__in=districts,
        started_on__lte=span.last,
        due_on__lt=span.last,
    )


def by_district(span: Span, districts, calendar: Calendar) -> list[dict]:
    late = Q(met_on__gt=F("due_on"))
    rows = {d.pk: {"district": d.pk, "name": d.name, "sort_order": (d.sort_order, d.code), "met": 0, "late": 0,
                   "days_over": 0, "open_past_due": 0, "open_days_over": 0} for d in districts}  # fmt: skip
    counted = (
        _closed(span, districts)
        .values("application__district")
        .annotate(met=Count("id", filter=~late | Q(due_on__isnull=True)), late=Count("id", filter=late))
    )
    for r in counted.order_by():
        rows[r["application__district"]].update(met=r["met"], late=r["late"])
    groups = _closed(span, districts).filter(late).values("application__district", "due_on", "met_on")
    for g in groups.annotate(n=Count("id")).order_by():
        rows[g["application__district"]]["days_over"] += calendar.between(g["due_on"], g["met_on"]) * g["n"]
    still = _open(span, districts).values("application__district", "due_on").annotate(n=Count("id"))
    for g in still.order_by():
        row = rows[g["application__district"]]
        row["open_past_due"] += g["n"]
        row["open_days_over"] += calendar.between(g["due_on"], span.last) * g["n"]
    for row in rows.values():
        done = row["met"] + row["late"]
        row["rate"] = round(100 * row["met"] / done, 1) if done else None
    return list(rows.values())


def sorted_rows(rows: list[dict], sort: str) -> list[dict]:
    key = SORTS.get(sort, "sort_order")
    if key == "sort_order":
        return sorted(rows, key=lambda r: r[key])
    if key == "rate":  # worst first; no step done at the end
        return sorted(rows, key=lambda r: (r["rate"] is None, r["rate"] or 0))
    return sorted(rows, key=lambda r: r[key], reverse=True)


def trend(span: Span, districts) -> list[dict]:
    """Month by month within the stretch: steps done on time and late."""
    late = Q(met_on__gt=F("due_on"))
    rows = (
        _closed(span, districts)
        .annotate(y=ExtractYear("met_at"), m=ExtractMonth("met_at"))
        .values("y", "m")
        .annotate(met=Count("id", filter=~late | Q(due_on__isnull=True)), late=Count("id", filter=late))
        .order_by("y", "m")
    )
    return [{"month": f"{r['y']}-{r['m']:02d}", "met": r["met"], "late": r["late"]} for r in rows]


def cases(span: Span, districts, calendar: Calendar) -> list[dict]:
    """The late and still-overdue steps, oldest due first (at most ``CASES_LIMIT`` of each)."""
    fields = ["application_id", "application__number", "application__district__name", "step", "working_days", "due_on"]
    closed = _closed(span, districts).filter(met_on__gt=F("due_on")).values(*fields, "met_on").order_by("due_on", "id")
    still = _open(span, districts).values(*fields).order_by("due_on", "id")
    out = []
    for r in [*closed[:CASES_LIMIT], *still[:CASES_LIMIT]]:
        stopped = r.get("met_on")
        out.append(
            {
                "application_id": r["application_id"],
                "number": r["application__number"] or "",
                "district": r["application__district__name"],
                "step": r["step"],
                "step_label": labels.step_label(r["step"], r["working_days"]),
                "working_days": r["working_days"],
                "due_on": r["due_on"],
                "met_on": stopped,
                "days_over": calendar.between(r["due_on"], stopped or span.last),
                "office": "finance" if r["step"] in FINANCE_STEPS else "agriculture",
            }
        )
    return sorted(out, key=lambda c: -c["days_over"])


def overtime(span: Span, districts, *, sort: str = "district") -> dict:
    calendar = Calendar()
    calendar.load(span.first.year - 1, span.last.year + 1)
    districts = list(districts)
    rows = by_district(span, districts, calendar)
    return {
        "span": span,
        "districts": sorted_rows(rows, sort),
        "trend": trend(span, districts),
        "cases": cases(span, districts, calendar),
        "totals": _totals(rows),
    }


def _totals(rows) -> dict:
    keys = ["met", "late", "days_over", "open_past_due", "open_days_over"]
    totals: dict = defaultdict(int)
    for row in rows:
        for k in keys:
            totals[k] += row[k]
    return dict(totals)
