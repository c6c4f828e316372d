"""Figures of the applications' flow (R29–R37), by SQL aggregation only.

Each function takes a ``Month`` and a ``district`` (None: the whole city) and returns plain JSON-ready values:
counts as ints, money as strings of yuan.
"""

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractMonth

from applications.models import ApplicationEvent, EventAction
from catalog.models import FundSource

from .periods import Month

# The flow's figures: a key of the report, and the events that count an application in it.
FLOW = {
    "received": [EventAction.SUBMIT],
    "accepted": [EventAction.ACCEPT],
    "returned": [EventAction.RETURN],
    "verified": [EventAction.VERIFY_PASS],
    "published": [EventAction.OPEN_NOTICE],
    "passed": [EventAction.CLOSE_NOTICE],
    "handed_over": [EventAction.REQUEST_PAYMENT],
    "paid": [EventAction.PAY],
    "deferred": [EventAction.DEFER],
    "rejected": [EventAction.VERIFY_FAIL, EventAction.REJECT],
    "withdrawn": [EventAction.WITHDRAW],
    "preregistered": [EventAction.PREREGISTER],
    "carried": [EventAction.CARRY_OVER],
    "investigated": [EventAction.INVESTIGATE],
    "cleared": [EventAction.CLEAR],
}


def _district_filter(district, path: str) -> dict:
    return {path: district} if district is not None else {}


def application_flow(month: Month, district) -> dict:
    """How many applications each step of the flow counted in the month and in the year to date (one query,
    grouped by action: an application counts once per action however many such events it has)."""
    rows = (
        ApplicationEvent.objects.filter(at__gte=month.year_start, at__lt=month.end)
        .filter(**_district_filter(district, "application__district"))
        .values("action")
        .annotate(
            m=Count("application", distinct=True, filter=Q(at__gte=month.start)), y=Count("application", distinct=True)
        )  # fmt: skip
        .order_by()
    )
    found = {r["action"]: r for r in rows}
    out = {"month": {}, "ytd": {}}
    for key, actions in FLOW.items():
        out["month"][key] = sum(found.get(a, {}).get("m", 0) for a in actions)
        out["ytd"][key] = sum(found.get(a, {}).get("y", 0) for a in actions)
    return out


def by_item(month: Month, district) -> list[dict]:
    """Applications received (submitted) and paid, by item, in the month and the year to date: the submissions
    grouped from the events, the payments from the payments, merged by item."""
    received = (
        ApplicationEvent.objects.filter(action=EventAction.SUBMIT, at__gte=month.year_start, at__lt=month.end)
        .filter(application__product__isnull=False, **_district_filter(district, "application__district"))
        .values(code=F("application__product__item__code"), name=F("application__product__item__name"))
        .annotate(
            received_m=Count("application", distinct=True, filter=Q(at__gte=month.start)),
            received_y=Count("application", distinct=True),
        )  # fmt: skip
        .order_by()
    )
    items = {r["code"]: {**r, "paid_m": 0, "paid_y": 0, "paid_amount_m": "0.00", "paid_amount_y": "0.00"}
             for r in received}  # fmt: skip
    for code, paid in _paid_by_item(month, district).items():
        row = items.setdefault(code, {"code": code, "name": paid.pop("name"), "received_m": 0, "received_y": 0})
        paid.pop("name", None)
        row.update(paid)
    return [items[code] for code in sorted(items, key=lambda c: c or "")]


def _paid_by_item(month: Month, district) -> dict:
    from payments.models import Payment

    rows = (
        Payment.objects.filter(paid_on__gte=month.year_first, paid_on__lte=month.last)
        .filter(**_district_filter(district, "application__district"))
        .values(code=F("application__product__item__code"), name=F("application__product__item__name"))
        .annotate(
            m=Sum("total", filter=Q(paid_on__gte=month.first)),
            y=Sum("total"),
            n_m=Count("id", filter=Q(paid_on__gte=month.first)),
            n_y=Count("id"),
        )  # fmt: skip
        .order_by()
    )
    return {
        r["code"]: {"name": r["name"], "paid_m": r["n_m"], "paid_y": r["n_y"],
                    "paid_amount_m": str(r["m"] or "0.00"), "paid_amount_y": str(r["y"])}
        for r in rows
    }  # fmt: skip


def paid_by_source(month: Month, district) -> dict:
    """The money paid to buyers in the month and the year to date, by fund source (from the payments)."""
    from payments.models import Payment

    fields = {FundSource.CENTRAL: "central", FundSource.MUNICIPAL: "municipal", FundSource.DISTRICT: "district_amount"}
    aggregates = {}
    for source, field in [*fields.items(), ("total", "total")]:
        aggregates[f"m_{source}"] = Sum(field, filter=Q(paid_on__gte=month.first))
        aggregates[f"y_{source}"] = Sum(field)
    row = Payment.objects.filter(
        paid_on__gte=month.year_first, paid_on__lte=month.last, **_district_filter(district, "application__district")
    ).aggregate(**aggregates)
    keys = [*fields, "total"]
    return {
        "month": {k: str(row[f"m_{k}"] or "0.00") for k in keys},
        "ytd": {k: str(row[f"y_{k}"] or "0.00") for k in keys},
    }


def trend(month: Month, district) -> list[dict]:
    """Month by month to this one: applications received, accepted and paid (one grouped query)."""
    keys = {"received": EventAction.SUBMIT, "accepted": EventAction.ACCEPT, "paid": EventAction.PAY}
    rows = (
        ApplicationEvent.objects.filter(
            at__gte=month.year_start,
            at__lt=month.end,
            action__in=keys.values(),
            **_district_filter(district, "application__district"),
        )
        .annotate(m=ExtractMonth("at"))
        .values("m")
        .annotate(**{k: Count("application", distinct=True, filter=Q(action=a)) for k, a in keys.items()})
        .order_by("m")
    )
    found = {r["m"]: r for r in rows}
    return [{"month": m, **{k: found.get(m, {}).get(k, 0) for k in keys}} for m in range(1, month.month + 1)]
