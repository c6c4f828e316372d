"""Dashboards of the municipal bureaus and of each district: applications by state, money by source with the
execution rate and the date each fund runs out at the last 30 days' pace, pre-registrations waiting, and open
deadlines at risk. A fixed number of aggregate queries whatever the data."""

import datetime
import math
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from applications.models import Application, Deadline, State
from applications.workflow import OFFICE_LABELS
from catalog.models import FundSource
from payments.models import PAID_KINDS, EntryKind, Fund
from workdays.calendar import Calendar

from .labels import SOURCE_LABELS, STEP_LABELS

SOURCES = [FundSource.CENTRAL, FundSource.MUNICIPAL, FundSource.DISTRICT]
ZERO = Decimal("0.00")
PACE_DAYS = 30  # calendar days behind today whose payments set the pace


def states(districts, year: int) -> list[dict]:
    rows = (
        Application.objects.filter(district__in=districts)
        .filter(Q(year=year) | Q(state=State.PREREGISTERED))
        .exclude(state=State.DRAFT)
        .values("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {r["state"]: r["n"] for r in rows}
    return [{"state": s, "label": str(OFFICE_LABELS[s]), "n": counts.get(s, 0)} for s in State.values if s != "draft"]


#: Working days ahead within which a run-out date is forecast (about five years).
HORIZON_DAYS = 1250


def money(districts, year: int, today: datetime.date, calendar: Calendar) -> list[dict]:
    """Per source: available, reserved, paid, the execution rate, the last 30 days' pace and the run-out date."""
    since = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=PACE_DAYS), datetime.time()))

    def total(kinds, extra=None):
        return Coalesce(Sum("entries__amount", filter=Q(entries__kind__in=kinds) & (extra or Q())), ZERO)

    rows = (
        Fund.objects.filter(district__in=districts, year=year)
        .values("source")
        .annotate(
            received=total([EntryKind.ALLOCATION, EntryKind.CUT, EntryKind.REALLOCATION, EntryKind.CARRY_OVER]),
            reserved=total([EntryKind.RESERVATION, EntryKind.RELEASE]),
            paid=total([*PAID_KINDS, EntryKind.ADVANCE]),
            recent=total([*PAID_KINDS, EntryKind.ADVANCE], Q(entries__at__gte=since)),
            available=Coalesce(Sum("entries__amount"), ZERO),
        )
        .order_by()
    )
    found = {r["source"]: r for r in rows}
    working = max(calendar.between(today - datetime.timedelta(days=PACE_DAYS), today), 1)
    out = []
    for source in SOURCES:
        r = found.get(source, {"received": ZERO, "reserved": ZERO, "paid": ZERO, "recent": ZERO, "available": ZERO})
        paid, pace = -r["paid"], (-r["recent"] / working).quantize(Decimal("0.01"), ROUND_HALF_UP)
        days_left = math.ceil(r["available"] / pace) if pace > 0 and r["available"] > 0 else None
        # Past the calendar's horizon the money does not run out at this pace: no date (and none beyond year 9999).
        runs_out = calendar.add(today, days_left) if days_left is not None and days_left <= HORIZON_DAYS else None
        rate = (paid / r["received"] * 100).quantize(Decimal("0.1"), ROUND_HALF_UP) if r["received"] else None
        out.append({"source": source, "label": str(SOURCE_LABELS[source]), "received": r["received"],
                    "reserved": -r["reserved"], "paid": paid, "available": r["available"], "rate": rate,
                    "pace": pace, "runs_out_on": runs_out})  # fmt: skip
    return out


def at_risk(districts, today: datetime.date, calendar: Calendar) -> list[dict]:
    """Open deadlines by step: overdue, and due within the next 2 working days."""
    soon = calendar.add(today, 2)
    rows = (
        Deadline.objects.filter(application__district__in=districts, met_at__isnull=True, due_on__isnull=False)
        .values("step")
        .annotate(
            overdue=Count("id", filter=Q(due_on__lt=today)),
            soon=Count("id", filter=Q(due_on__gte=today, due_on__lte=soon)),
        )  # fmt: skip
        .order_by()
    )
    found = {r["step"]: r for r in rows}
    return [{"step": s, "label": str(label), "overdue": found.get(s, {}).get("overdue", 0),
             "soon": found.get(s, {}).get("soon", 0)} for s, label in STEP_LABELS.items()]  # fmt: skip


def dashboard(districts, *, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    calendar = Calendar()
    calendar.load(today.year - 1, today.year + 5)
    state_rows = states(districts, today.year)
    return {
        "year": today.year,
        "today": today,
        "states": state_rows,
        "preregistered": next(r["n"] for r in state_rows if r["state"] == State.PREREGISTERED),
        "money": money(districts, today.year, today, calendar),
        "at_risk": at_risk(districts, today, calendar),
    }
