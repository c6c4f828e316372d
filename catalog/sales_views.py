"""Pages of the sales a manufacturer or dealer records (销售记录, ``/filing/sales/``): the list, a new sale, and a
sale's page with the QR code the dealer prints for the buyer. Thin: the rules are ``sale_services.record_sale``'s,
the same the sales software's API calls."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Role
from accounts.scope import Workspace, ensure_may_enter

from . import sale_services, selectors
from .errors import CatalogueError
from .forms import SaleForm

PAGE_SIZE = 50


def _enter(request) -> list:
    """The user's manufacturers and dealers; only their users record sales (403 for the bureau and others)."""
    ensure_may_enter(request.user, Workspace.FILING)
    if request.user.role != Role.MANUFACTURER:
        raise PermissionDenied
    return sale_services.sellers_of(request.user)


def _products(sellers):
    """What the sellers may sell with a subsidy today: a manufacturer its own open products, a dealer any."""
    open_products = selectors.products_open_for_application(on=timezone.localdate())
    if any(s._meta.model_name == "dealer" for s in sellers):
        return open_products.order_by("item__name", "model")
    makers = [s.pk for s in sellers if s._meta.model_name == "manufacturer"]
    return open_products.filter(Q(manufacturer__in=makers)).order_by("item__name", "model")


@login_required
@require_GET
def sale_list(request):
    sellers = _enter(request)
    page = Paginator(sale_services.sales_recorded_by(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "catalog/sale_list.html", {"workspace": Workspace.FILING, "sellers": sellers, "page": page})


@login_required
def sale_new(request):
    sellers = _enter(request)
    if not sellers:
        messages.error(
            request, _("Your account does not belong to a manufacturer or dealer yet; ask the municipal bureau.")
        )
        return redirect("catalog:sale_list")
    form = SaleForm(request.POST or None, sellers=sellers, products=_products(sellers))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sale = sale_services.record_sale(
                seller=form.sellers[data["seller"]],
                reported_by=request.user.username,
                product_id=data["product"].pk,
                serial_number=data["serial_number"],
                invoice_number=data["invoice_number"],
                sold_on=data["sold_on"],
                price=data["price"],
                buyer_mobile=data["buyer_mobile"],
                **form.buyer_fields(),
            )
        except CatalogueError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The sale is recorded. Print its code for the buyer."))
            return redirect("catalog:sale_detail", pk=sale.pk)
    return render(request, "catalog/sale_new.html", {"workspace": Workspace.FILING, "form": form})


def qr_data_uri(url: str) -> str:
    """The QR code of ``url`` as an SVG data URI: an image of its own, so the page's CSP has nothing inline."""
    return segno.make(url, error="m").svg_data_uri(scale=6, border=2)


@login_required
@require_GET
def sale_detail(request, pk: int):
    _enter(request)
    sale = sale_services.sale_for_seller(request.user, pk=pk)
    link = request.build_absolute_uri(reverse("apply:sale", args=[sale.pk]))
    return render(
        request,
        "catalog/sale_detail.html",
        {"workspace": Workspace.FILING, "sale": sale, "link": link, "qr": qr_data_uri(link)},
    )
