"""Funds by district, year and source at the month's end (R9, R21–R23), and the two national tables, by SQL
aggregation over the ledger and the payments. The pace is the month's payments per working day; at that pace the
money left runs out on the date given (counted in working days on the ``workdays`` calendar)."""

import math
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from applications.models import Application, ApplicationEvent, EventAction
from catalog.models import FundSource, InnovationListing
from catalog.rules import innovation_central_ceiling
from payments.models import PAID_KINDS, EntryKind, Fund, Payment
from workdays.calendar import Calendar

from .periods import Month

SOURCES = [FundSource.CENTRAL, FundSource.MUNICIPAL, FundSource.DISTRICT]
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _sum(kinds=None, *, extra: Q | None = None):
    condition = Q(entries__kind__in=kinds) if kinds else Q()
    if extra is not None:
        condition &= extra
    return Coalesce(Sum("entries__amount", filter=condition), ZERO)


def _fund_rows(month: Month, district):
    until = Q(entries__at__lt=month.end)
    in_month = until & Q(entries__at__gte=month.start)
    funds = Fund.objects.filter(year=month.year)
    if district is not None:
        funds = funds.filter(district=district)
    return (
        funds.values("district__code", "district__name", "district__sort_order", "source")
        .annotate(
            allocated=_sum([EntryKind.ALLOCATION], extra=until),
            cut=_sum([EntryKind.CUT], extra=until),
            realloc_in=_sum([EntryKind.REALLOCATION], extra=until & Q(entries__amount__gt=0)),
            realloc_out=_sum([EntryKind.REALLOCATION], extra=until & Q(entries__amount__lt=0)),
            carried=_sum([EntryKind.CARRY_OVER], extra=until),
            reserved=_sum([EntryKind.RESERVATION, EntryKind.RELEASE], extra=until),
            paid=_sum([*PAID_KINDS], extra=until),
            paid_month=_sum([*PAID_KINDS, EntryKind.ADVANCE], extra=in_month),
            advanced=_sum([EntryKind.ADVANCE], extra=until),
            settled=_sum([EntryKind.SETTLEMENT], extra=until),
            recovered=_sum([EntryKind.RECOVERY], extra=until),
            remaining=_sum(extra=until),
        )
        .order_by("district__sort_order", "district__code", "source")
    )


def _runs_out(remaining: Decimal, pace: Decimal, month: Month, calendar: Calendar) -> str | None:
    if pace <= 0 or remaining <= 0:
        return None
    return calendar.add(month.last, math.ceil(remaining / pace)).isoformat()


def fund_figures(month: Month, district, calendar: Calendar) -> dict:
    """Each fund of the year with its balances (signs as the ledger's effect turned to plain amounts), the month's
    pace and run-out date; and the totals by source."""
    working_days = month.working_days(calendar)
    rows, totals = [], {s: dict.fromkeys(["received", "paid", "paid_month", "remaining"], ZERO) for s in SOURCES}
    for r in _fund_rows(month, district):
        paid_month = -r["paid_month"]
        pace = (paid_month / working_days).quantize(CENT, ROUND_HALF_UP) if working_days else ZERO
        received = r["allocated"] + r["cut"] + r["realloc_in"] + r["realloc_out"] + r["carried"]
        row = {
            "district": r["district__code"],
            "district_name": r["district__name"],
            "source": r["source"],
            "allocated": r["allocated"],
            "cut": -r["cut"],
            "realloc_in": r["realloc_in"],
            "realloc_out": -r["realloc_out"],
            "carried": r["carried"],
            "received": received,
            "reserved": -r["reserved"],
            "paid": -r["paid"],
            "advanced": -r["advanced"],
            "settled": r["settled"],
            "recovered": r["recovered"],
            "remaining": r["remaining"],
            "paid_month": paid_month,
            "pace": pace,
            "runs_out_on": _runs_out(r["remaining"], pace, month, calendar),
        }
        rows.append(row)
        for key in totals[r["source"]]:
            totals[r["source"]][key] += row[key]
    for source, total in totals.items():
        pace = (total["paid_month"] / working_days).quantize(CENT, ROUND_HALF_UP) if working_days else ZERO
        total.update(pace=pace, runs_out_on=_runs_out(total["remaining"], pace, month, calendar), source=source)
    return {"working_days": working_days, "rows": rows, "totals": [totals[s] for s in SOURCES]}


def innovation_share(month: Month, district, central_received: Decimal) -> dict:
    """R9: central money paid on innovation products this year against the ceiling on the year's central funds."""
    listed = InnovationListing.objects.filter(year=month.year, strategic=False).values("item_id")
    payments = Payment.objects.filter(
        application__year=month.year, paid_on__lte=month.last, application__product__item_id__in=listed
    )
    if district is not None:
        payments = payments.filter(application__district=district)
    used = payments.aggregate(t=Sum("central"))["t"] or ZERO
    try:
        ceiling = innovation_central_ceiling(year=month.year, central_funds=central_received)
    except TypeError:  # no R9 limit in force for the year
        ceiling = None
    share = (used / central_received * 100).quantize(CENT, ROUND_HALF_UP) if central_received else ZERO
    return {
        "central_received": central_received,
        "used": used,
        "ceiling": ceiling,
        "share_percent": share,
        "over": ceiling is not None and used > ceiling,
    }


def progress_table(month: Month, district) -> list[dict]:
    """实施进度统计表, year to date, one row per district: applications received, accepted, verified, published, paid,
    the subsidy applied for and paid by source, and the buyers who benefited."""
    apps = Application.objects.filter(year=month.year)
    if district is not None:
        apps = apps.filter(district=district)
    in_year = Q(events__at__gte=month.year_start, events__at__lt=month.end)

    def did(action):
        return Count("id", distinct=True, filter=in_year & Q(events__action=action))

    counts = (
        apps.values("district__code", "district__name", "district__sort_order")
        .annotate(
            received=did(EventAction.SUBMIT),
            accepted=did(EventAction.ACCEPT),
            verified=did(EventAction.VERIFY_PASS),
            published=did(EventAction.OPEN_NOTICE),
        )
        .order_by("district__sort_order", "district__code")
    )
    applied = {
        r["district__code"]: r["t"]
        for r in apps.filter(id__in=_submitted_ids(month))
        .values("district__code")
        .annotate(t=Sum("total_amount"))
        .order_by()
    }
    paid = _paid_by_district(month, district)
    return [
        {
            "district": r["district__code"],
            "district_name": r["district__name"],
            "received": r["received"],
            "accepted": r["accepted"],
            "verified": r["verified"],
            "published": r["published"],
            "applied_amount": applied.get(r["district__code"]) or ZERO,
            **paid.get(r["district__code"], _no_payments()),
        }
        for r in counts
    ]


def _submitted_ids(month: Month):
    return ApplicationEvent.objects.filter(
        action=EventAction.SUBMIT, at__gte=month.year_start, at__lt=month.end
    ).values("application_id")


def _no_payments() -> dict:
    return {"paid": 0, "buyers": 0, "central": ZERO, "municipal": ZERO, "district_amount": ZERO, "total": ZERO}


def _paid_by_district(month: Month, district) -> dict:
    payments = Payment.objects.filter(paid_on__gte=month.year_first, paid_on__lte=month.last)
    if district is not None:
        payments = payments.filter(application__district=district)
    rows = payments.values("application__district__code").annotate(
        paid=Count("id"),
        buyers=Count("application__buyer", distinct=True),
        central=Sum("central"),
        municipal=Sum("municipal"),
        district_amount=Sum("district_amount"),
        total=Sum("total"),
    )
    return {r.pop("application__district__code"): r for r in rows.order_by()}


def settlement_table(funds: dict) -> list[dict]:
    """资金结算进度统计表: per district, the money received and paid by source, the rate, advances and settlement."""
    by_district: dict = {}
    for r in funds["rows"]:
        row = by_district.setdefault(
            r["district"],
            {"district": r["district"], "district_name": r["district_name"], "advanced": ZERO, "settled": ZERO},
        )
        row[f"{r['source']}_received"] = r["received"]
        row[f"{r['source']}_paid"] = r["paid"] + r["advanced"]
        row["advanced"] += r["advanced"]
        row["settled"] += r["settled"]
    for row in by_district.values():
        received = sum((row.get(f"{s}_received", ZERO) for s in SOURCES), ZERO)
        paid = sum((row.get(f"{s}_paid", ZERO) for s in SOURCES), ZERO)
        for s in SOURCES:
            row.setdefault(f"{s}_received", ZERO)
            row.setdefault(f"{s}_paid", ZERO)
        row["received"], row["paid"] = received, paid
        row["rate_percent"] = (paid / received * 100).quantize(CENT, ROUND_HALF_UP) if received else ZERO
    return list(by_district.values())
