"""Figures of the applications' flow (R29–R37), by SQL aggregation only.

Each function takes a ``Month`` and a ``district`` (None: the whole city) and returns plain JSON-ready values:
counts as ints, money as strings of yuan.
"""

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth

from applications.models import Application, ApplicationEvent, EventAction
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
    """How many applications each step of the flow counted in the month and in the year to date (one query)."""
    events = ApplicationEvent.objects.filter(
        at__gte=month.year_start, at__lt=month.end, **_district_filter(district, "application__district")
    )
    aggregates = {}
    for key, actions in FLOW.items():
        kinds = Q(action__in=actions)
        aggregates[f"m_{key}"] = Count("application", distinct=True, filter=kinds & Q(at__gte=month.start))
        aggregates[f"y_{key}"] = Count("application", distinct=True, filter=kinds)
    row = events.aggregate(**aggregates)
    return {
        "month": {key: row[f"m_{key}"] for key in FLOW},
        "ytd": {key: row[f"y_{key}"] for key in FLOW},
    }


def by_item(month: Month, district) -> list[dict]:
    """Applications received (submitted) and paid, by item, in the month and the year to date."""
    submitted = Q(events__action=EventAction.SUBMIT)
    paid = Q(payment__paid_on__gte=month.year_first, payment__paid_on__lte=month.last)
    paid_month = Q(payment__paid_on__gte=month.first, payment__paid_on__lte=month.last)
    rows = (
        Application.objects.filter(product__isnull=False, **_district_filter(district, "district"))
        .filter(Q(events__action=EventAction.SUBMIT, events__at__gte=month.year_start, events__at__lt=month.end) | paid)
        .values("product__item__code", "product__item__name")
        .annotate(
            received_m=Count("id", distinct=True, filter=submitted & Q(events__at__gte=month.start)),
            received_y=Count("id", distinct=True, filter=submitted),
            paid_m=Count("id", distinct=True, filter=paid_month),
            paid_y=Count("id", distinct=True, filter=paid),
        )
        .order_by("product__item__code")
    )
    amounts = _paid_by_item(month, district)
    out = []
    for row in rows:
        code = row["product__item__code"]
        out.append(
            {
                "code": code,
                "name": row["product__item__name"],
                "received_m": row["received_m"],
                "received_y": row["received_y"],
                "paid_m": row["paid_m"],
                "paid_y": row["paid_y"],
                **amounts.get(code, {"paid_amount_m": "0.00", "paid_amount_y": "0.00"}),
            }
        )
    return out


def _paid_by_item(month: Month, district) -> dict:
    from payments.models import Payment

    rows = (
        Payment.objects.filter(paid_on__gte=month.year_first, paid_on__lte=month.last)
        .filter(**_district_filter(district, "application__district"))
        .values("application__product__item__code")
        .annotate(
            m=Sum("total", filter=Q(paid_on__gte=month.first)),
            y=Sum("total"),
        )
        .order_by()
    )
    return {
        r["application__product__item__code"]: {"paid_amount_m": str(r["m"] or "0.00"), "paid_amount_y": str(r["y"])}
        for r in rows
    }


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
