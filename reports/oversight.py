"""Ratio alerts (R19), caps lifted (R24), deferrals (R36), objections and investigations (R34), by SQL aggregation.

The oversight app's own work (warnings R38, sampling, findings, violation cases, complaints) is in ``audit_work``."""

from django.db.models import Count, Q
from django.db.models.fields.json import KT

from applications.models import Application, Objection, ObjectionStatus, Warning
from payments.models import Deferral

from .periods import Month

RATIO_ALERT = "ratio_alert"  # the warning code payments raises for R19


def _by_district(queryset, district, path="application__district"):
    return queryset.filter(**{path: district}) if district is not None else queryset


def _in(field: str, start, end) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def ratio_alerts(month: Month, district) -> dict:
    rows = _by_district(Warning.objects.filter(code=RATIO_ALERT), district)
    return rows.aggregate(
        raised_m=Count("id", filter=_in("raised_at", month.start, month.end)),
        raised_y=Count("id", filter=_in("raised_at", month.year_start, month.end)),
        cleared_m=Count("id", filter=_in("cleared_at", month.start, month.end)),
        cleared_y=Count("id", filter=_in("cleared_at", month.year_start, month.end)),
        open_at_end=Count(
            "id", filter=Q(raised_at__lt=month.end) & (Q(cleared_at__isnull=True) | Q(cleared_at__gte=month.end))
        ),
    )


def cap_liftings(month: Month, district) -> list[dict]:
    """Applications submitted under a lifted annual cap, by the published rule that lifted it (R24)."""
    apps = _by_district(Application.objects.all(), district, "district").filter(
        submitted_at__gte=month.year_start,
        submitted_at__lt=month.end,
        snapshot__buyer_cap__lifting__document__isnull=False,
    )
    rows = (
        apps.values("district__name", document=KT("snapshot__buyer_cap__lifting__document"))
        .annotate(m=Count("id", filter=Q(submitted_at__gte=month.start)), y=Count("id"))
        .order_by("district__name", "document")
    )
    return [{"district_name": r["district__name"], "document": r["document"], "m": r["m"], "y": r["y"]} for r in rows]


def deferrals(month: Month, district) -> list[dict]:
    """Deferrals by reason: started in the month and the year, ended in the month, still running at its end."""
    rows = (
        _by_district(Deferral.objects.filter(at__lt=month.end), district)
        .values("reason")
        .annotate(
            m=Count("id", filter=Q(at__gte=month.start)),
            y=Count("id", filter=Q(at__gte=month.year_start)),
            ended_m=Count("id", filter=_in("ended_at", month.start, month.end)),
            running=Count("id", filter=Q(ended_at__isnull=True) | Q(ended_at__gte=month.end)),
        )
        .order_by("reason")
    )
    return [r for r in rows if r["y"] or r["running"] or r["ended_m"]]


def objections(month: Month, district) -> dict:
    rows = _by_district(Objection.objects.filter(received_at__lt=month.end), district)
    decided_m = _in("decided_at", month.start, month.end)
    return rows.aggregate(
        received_m=Count("id", filter=Q(received_at__gte=month.start)),
        received_y=Count("id", filter=Q(received_at__gte=month.year_start)),
        dismissed_m=Count("id", filter=decided_m & Q(status=ObjectionStatus.DISMISSED)),
        upheld_m=Count("id", filter=decided_m & Q(status=ObjectionStatus.UPHELD)),
        open_at_end=Count("id", filter=Q(decided_at__isnull=True) | Q(decided_at__gte=month.end)),
    )
