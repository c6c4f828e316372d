"""The oversight app's work in a month, with the year to date (A1 §4(8), R25, R38, R42, R43), by SQL aggregation:
the warning signs raised, the sampling runs drawn and what they selected, the checks' findings, the violation cases
and how they ended, the complaints received."""

import datetime

from django.db.models import Count, Q, Sum

from audits.models import AuditTask, Case, Complaint, ControlReport, RiskWarning, SamplingRun, Selection
from audits.models.cases import Decision
from audits.models.work import TaskState

from .periods import Month


def _in(field: str, start, end) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _scoped(queryset, district, path):
    return queryset.filter(**{path: district}) if district is not None else queryset


def _bounds(month: Month, field: str) -> tuple:
    """(year's first, month's first, month's end): dates for a date field (``*_on``), instants for a time field."""
    if field.endswith("_on"):
        return month.year_first, month.first, month.last + datetime.timedelta(days=1)
    return month.year_start, month.start, month.end


def _month_and_year(queryset, field: str, month: Month, *, key: str) -> list[dict]:
    """Per value of ``key``: how many fell in the month and in the year to its end."""
    year_first, month_first, end = _bounds(month, field)
    rows = (
        queryset.filter(**{f"{field}__gte": year_first, f"{field}__lt": end})
        .values(key)
        .annotate(m=Count("id", filter=Q(**{f"{field}__gte": month_first})), y=Count("id"))
        .order_by(key)
    )
    return [{"key": r[key], "m": r["m"], "y": r["y"]} for r in rows]


def warnings(month: Month, district) -> dict:
    rows = _scoped(RiskWarning.objects.all(), district, "application__district")
    by_sign = _month_and_year(rows, "raised_at", month, key="sign")
    return {"available": True, "by_sign": by_sign, "m": sum(r["m"] for r in by_sign), "y": sum(r["y"] for r in by_sign)}


def sampling(month: Month, district) -> dict:
    runs = _scoped(SamplingRun.objects.all(), district, "district")
    drawn = runs.aggregate(
        runs_m=Count("id", filter=_in("drawn_at", month.start, month.end)),
        runs_y=Count("id", filter=_in("drawn_at", month.year_start, month.end)),
    )
    selections = _scoped(Selection.objects.all(), district, "run__district")
    by_part = _month_and_year(selections, "run__drawn_at", month, key="part")
    return {"available": True, **drawn, "by_part": by_part}


def findings(month: Month, district) -> dict:
    reports = _scoped(ControlReport.objects.all(), district, "task__district")
    by_conclusion = _month_and_year(reports.exclude(conclusion=""), "recorded_at", month, key="conclusion")
    tasks = _scoped(AuditTask.objects.all(), district, "district")
    open_past_due = tasks.filter(due_on__lte=month.last, run__drawn_at__lt=month.end).exclude(state=TaskState.CONCLUDED)
    return {"available": True, "by_conclusion": by_conclusion, "open_past_due": open_past_due.count()}


def cases(month: Month, district) -> dict:
    rows = _scoped(Case.objects.all(), district, "investigation__district")
    year_first, month_first, end = _bounds(month, "proposed_on")
    figures = rows.aggregate(
        proposed_m=Count("id", filter=_in("proposed_on", month_first, end)),
        proposed_y=Count("id", filter=_in("proposed_on", year_first, end)),
        undecided_at_end=Count(
            "id",
            filter=Q(proposed_on__lte=month.last) & (Q(decided_on__isnull=True) | Q(decided_on__gt=month.last)),
        ),
        claw_back_y=Sum(
            "claw_back_amount",
            filter=Q(decision=Decision.VIOLATION) & _in("decided_on", year_first, end),
        ),
    )
    decided = rows.exclude(decision="").filter(decided_on__isnull=False)
    by_decision = _month_and_year(decided, "decided_on", month, key="decision")
    by_kind = _month_and_year(decided.filter(decision=Decision.VIOLATION), "decided_on", month, key="kind")
    return {"available": True, **figures, "by_decision": by_decision, "by_kind": by_kind}


def complaints(month: Month, district) -> dict:
    rows = _scoped(Complaint.objects.all(), district, "district")
    by_status = _month_and_year(rows, "received_at", month, key="status")
    return {"available": True, "by_status": by_status, "m": sum(r["m"] for r in by_status),
            "y": sum(r["y"] for r in by_status)}  # fmt: skip


def oversight(month: Month, district) -> dict:
    return {
        "warnings": warnings(month, district),
        "sampling": sampling(month, district),
        "findings": findings(month, district),
        "cases": cases(month, district),
        "complaints": complaints(month, district),
    }
