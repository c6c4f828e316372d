"""Public disclosures (R25, R42): each district's beneficiaries of the last three years, masked, and each
district's funds and progress in brief. Read only; anyone may see them."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import District
from applications.models import Application, State
from payments.models import PAID_KINDS, EntryKind, Fund, Payment

YEARS_SHOWN = 3  # R42: the beneficiaries of the last three years
EXPORT_LIMIT = 50000


def first_year_shown(today=None) -> int:
    return (today or timezone.localdate()).year - YEARS_SHOWN + 1


def beneficiaries(*, district: District | None, query: str = "", year: int | None = None, today=None):
    """Paid applications of the last three years (clawed back ones are no longer beneficiaries), newest first."""
    rows = (
        Payment.objects.filter(paid_on__year__gte=first_year_shown(today))
        .exclude(application__state=State.CLAWED_BACK)
        .select_related(
            "application__buyer",
            "application__district",
            "application__town",
            "application__product__item",
            "application__product__manufacturer",
        )
        .order_by("-paid_on", "-id")
    )
    if district is not None:
        rows = rows.filter(application__district=district)
    if year:
        rows = rows.filter(paid_on__year=year)
    query = (query or "").strip()
    if query:
        rows = rows.filter(
            Q(application__product__item__name__icontains=query)
            | Q(application__product__manufacturer__name__icontains=query)
            | Q(application__product__model__icontains=query)
            | Q(application__town__name__icontains=query)
        )
    return rows


def row_of(payment) -> dict:
    app = payment.application
    product = app.product
    return {
        "name": app.buyer.public_name,
        "district": app.district.name,
        "town": app.town.name if app.town_id else "",
        "item": f"{product.item.code} {product.item.name}" if product else "",
        "manufacturer": product.manufacturer.name if product else "",
        "model": product.model if product else "",
        "quantity": 1,
        "subsidy": payment.total,
        "paid_on": payment.paid_on,
    }


IN_PROCESS = [
    State.SUBMITTED, State.ACCEPTED, State.AWAITING_USE, State.VERIFIED, State.IN_NOTICE, State.NOTICE_PASSED,
    State.UNDER_INVESTIGATION, State.PAYMENT_REQUESTED, State.PAYMENT_DEFERRED,
]  # fmt: skip
RECEIVED = [EntryKind.ALLOCATION, EntryKind.CUT, EntryKind.REALLOCATION, EntryKind.CARRY_OVER]
ZERO = Decimal("0.00")


def _money(year: int) -> dict:
    def total(kinds):
        return Coalesce(Sum("entries__amount", filter=Q(entries__kind__in=kinds)), ZERO)

    rows = (
        Fund.objects.filter(year=year)
        .values("district")
        .annotate(received=total(RECEIVED), paid=total([*PAID_KINDS, EntryKind.ADVANCE]))
        .order_by()
    )
    return {r["district"]: {"received": r["received"], "paid": -r["paid"]} for r in rows}


def _stages(year: int) -> dict:
    rows = (
        Application.objects.filter(year=year)
        .exclude(state=State.DRAFT)
        .values("district")
        .annotate(
            entered=Count("id"),
            in_process=Count("id", filter=Q(state__in=IN_PROCESS)),
            paid_count=Count("id", filter=Q(state=State.PAID)),
            preregistered=Count("id", filter=Q(state=State.PREREGISTERED)),
        )
        .order_by()
    )
    return {r.pop("district"): r for r in rows}


def district_briefs(*, year: int) -> list[dict]:
    """Each active district's money of the year (available and paid) and its applications by stage."""
    money, stages = _money(year), _stages(year)
    empty_money = {"received": ZERO, "paid": ZERO}
    empty_stages = {"entered": 0, "in_process": 0, "paid_count": 0, "preregistered": 0}
    return [
        {"district": d, **money.get(d.pk, empty_money), **stages.get(d.pk, empty_stages)}
        for d in District.objects.filter(active=True)
    ]
