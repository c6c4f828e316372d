"""Recording a sale reported by a manufacturer or dealer (its sales software through api/, or its user on the page
``/filing/sales/``), and finding the sales a seller recorded or a buyer was sold.

One business operation in one transaction; refusals are ``CatalogueError`` (translated message + rule).
"""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc

from accounts.backends import MOBILE_RE
from accounts.models import Role

from .errors import CatalogueError
from .models import Dealer, Manufacturer, Product
from .sale import Sale
from .selectors import may_name_product


def _check_buyer(*, id_number: str, credit_code: str, mobile: str) -> None:
    if bool(id_number) == bool(credit_code):
        raise CatalogueError(_("Give the buyer's resident ID number or credit code, one of the two."), rule="R3")
    if id_number and not ric.is_valid(id_number):
        raise CatalogueError(_("The buyer's resident ID number is not valid."), rule="R3")
    if credit_code and not uscc.is_valid(credit_code):
        raise CatalogueError(_("The buyer's unified social credit code is not valid."), rule="R3")
    if not MOBILE_RE.match(mobile):
        raise CatalogueError(_("The buyer's mobile must be an 11-digit mainland number."), rule="R3")


def record_sale(
    *,
    seller: Manufacturer | Dealer,
    reported_by: str,
    product_id: int,
    serial_number: str,
    invoice_number: str,
    sold_on: date,
    price: Decimal,
    buyer_mobile: str,
    buyer_id_number: str = "",
    buyer_credit_code: str = "",
) -> Sale:
    """R11, R26: a published, open product (a manufacturer reports only its own), sold once per serial number."""
    id_number, credit_code = buyer_id_number.strip().upper(), buyer_credit_code.strip().upper()
    from applications.models import serial_key  # R11's one comparison of serial numbers; imported late (a cycle)

    mobile, serial = buyer_mobile.strip(), serial_key(serial_number)
    product = Product.objects.select_related("item", "grade").filter(pk=product_id).first()
    if product is None or (isinstance(seller, Manufacturer) and product.manufacturer_id != seller.pk):
        raise Http404
    decision = may_name_product(product=product, on=sold_on)
    if not decision:
        raise CatalogueError(decision.reason, rule="R26")
    if sold_on > timezone.localdate():
        raise CatalogueError(_("The date of sale cannot be in the future."), rule="R29")
    if price <= 0:
        raise CatalogueError(_("The invoice price must be more than zero."), rule="R28")
    if not serial:
        raise CatalogueError(_("Give the factory serial number on the nameplate."), rule="R11")
    _check_buyer(id_number=id_number, credit_code=credit_code, mobile=mobile)
    sale = Sale(
        manufacturer=seller if isinstance(seller, Manufacturer) else None,
        dealer=seller if isinstance(seller, Dealer) else None,
        product=product,
        serial_number=serial_number.strip(),
        serial_key=serial,
        invoice_number=invoice_number.strip(),
        sold_on=sold_on,
        price=price,
        buyer_credit_code=credit_code,
        reported_by=reported_by[:100],
    )
    sale.buyer_id_number, sale.buyer_mobile = id_number, mobile
    try:
        with transaction.atomic():
            sale.save()
    except IntegrityError:
        raise CatalogueError(
            _("A sale of this machine (product and serial number) is already recorded."), rule="R11"
        ) from None
    return sale


def sales_of_buyer(user):
    """The sales to a signed-in buyer, newest first: what their application can start from."""
    if not user.is_authenticated or not user.is_buyer:
        return Sale.objects.none()
    return Sale.objects.of_buyer(id_number=user.id_number, credit_code=user.credit_code).select_related(
        "product__manufacturer", "product__item", "product__grade", "dealer", "manufacturer"
    )


def sale_for_buyer(user, *, pk: int) -> Sale:
    """One sale to the signed-in buyer; a sale to anyone else is not found (404), so it reveals nothing."""
    sale = sales_of_buyer(user).filter(pk=pk).first()
    if sale is None:
        raise Http404
    return sale


def sellers_of(user) -> list[Manufacturer | Dealer]:
    """The manufacturers and dealers whose sales the user records (a member of each, role MANUFACTURER)."""
    if not user.is_authenticated or not user.is_active or user.role != Role.MANUFACTURER:
        return []
    return [*Manufacturer.objects.filter(members=user), *Dealer.objects.filter(members=user)]


def sales_recorded_by(user):
    """The sales of the user's manufacturers and dealers, newest first; nobody else's."""
    if not user.is_authenticated or not user.is_active or user.role != Role.MANUFACTURER:
        return Sale.objects.none()
    return Sale.objects.filter(
        Q(manufacturer__in=Manufacturer.objects.filter(members=user))
        | Q(dealer__in=Dealer.objects.filter(members=user))
    ).select_related("product__manufacturer", "product__item", "manufacturer", "dealer")


def sale_for_seller(user, *, pk: int) -> Sale:
    sale = sales_recorded_by(user).filter(pk=pk).first()
    if sale is None:
        raise Http404
    return sale
