"""Pages of the catalogue: the public catalogue and amount table, manufacturers' filings, and the municipal
bureau's review, closures and amount import. Thin: parse, call one selector or service, render."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from accounts.scope import Workspace, ensure_may_enter, get_or_404

from . import selectors, services
from .errors import CatalogueError
from .forms import CertificateForm, FilingForm, ImportForm, ReasonForm, ReviewForm, SearchForm
from .models import CatalogueEvent, Certificate, Closure, FilingState, Scope
from .tables import amount_workbook, read_amount_rows

PAGE_SIZE = 50


def _day(request):
    """The day the public pages answer for: ``?on=YYYY-MM-DD`` (what applied then, R7), else today."""
    try:
        return date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


# --- Public ---------------------------------------------------------------------------------------------


@require_GET
def public_catalogue(request):
    """Browse both catalogues, or search items by code or name (R6, R25)."""
    today = timezone.localdate()
    form = SearchForm(request.GET or None)
    query = scope = ""
    if form.is_valid():
        query, scope = form.cleaned_data["q"], form.cleaned_data["scope"]
    context = {"workspace": Workspace.PUBLIC, "form": form, "today": today, "query": query}
    if query:
        context["results"] = list(selectors.search_items(on=today, query=query, scope=scope or None)[:200])
    else:
        tree = list(selectors.catalogue_tree(on=today, scope=scope or None))
        context["catalogues"] = [
            (value, label, [c for c in tree if c.scope == value])
            for value, label in Scope.choices
            if scope in ("", value)
        ]
    return render(request, "catalog/public_catalogue.html", context)


@require_GET
def public_item(request, scope, code):
    """An item's grades, their key parameters, and the amounts per fund source in force today (R14)."""
    today = _day(request)
    if scope not in Scope.values:
        raise Http404
    item = selectors.item_by_code(on=today, scope=scope, code=code)
    rows = selectors.amount_table(on=today, grades=selectors.grades_in_force(on=today, items=[item]))
    return render(
        request,
        "catalog/public_item.html",
        {
            "workspace": Workspace.PUBLIC,
            "item": item,
            "rows": rows,
            "today": today,
            "any_demo": any(r.is_demo for r in rows),
        },
    )


@require_GET
def public_grade(request, pk):
    """A grade's amounts over time, per fund source, with the market price each came from (R14, R41)."""
    grade, amounts = selectors.grade_history(pk=pk)
    amounts = list(amounts)
    return render(
        request,
        "catalog/public_grade.html",
        {
            "workspace": Workspace.PUBLIC,
            "grade": grade,
            "amounts": amounts,
            "today": timezone.localdate(),
            "any_demo": grade.is_demo or any(a.is_demo for a in amounts),
        },
    )


def _amount_rows(request, today):
    form = SearchForm(request.GET or None)
    query = scope = ""
    if form.is_valid():
        query, scope = form.cleaned_data["q"], form.cleaned_data["scope"]
    items = selectors.search_items(on=today, query=query, scope=scope or None) if (query or scope) else None
    return form, selectors.grades_in_force(on=today, items=items)


@require_GET
def public_amounts(request):
    """The amount table in force today: one row per grade, never per product (R14, R25)."""
    today = _day(request)
    form, grades = _amount_rows(request, today)
    page = Paginator(grades, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.amount_table(on=today, grades=page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/public_amounts.html",
        {
            "workspace": Workspace.PUBLIC,
            "form": form,
            "page": page,
            "rows": rows,
            "today": today,
            "any_demo": any(r.is_demo for r in rows),
            "querystring": query.urlencode(),
        },
    )


@require_GET
def public_amounts_xlsx(request):
    today = _day(request)
    _form, grades = _amount_rows(request, today)
    rows = selectors.amount_table(on=today, grades=grades)
    content = amount_workbook(on=today, rows=rows)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="amounts-{today:%Y%m%d}.xlsx"'
    return response


# --- Filing (投档) -----------------------------------------------------------------------------------------


def _enter_filing(request):
    ensure_may_enter(request.user, Workspace.FILING)


def _is_bureau(user) -> bool:
    return user.role == Role.CITY_AGRICULTURE


@login_required
def filing_list(request):
    _enter_filing(request)
    state = request.GET.get("state", "")
    if state not in FilingState.values:
        state = ""
    if not state and _is_bureau(request.user):
        state = FilingState.SUBMITTED
    filings = selectors.filings_for(request.user, state=state or None)
    page = Paginator(filings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/filing_list.html",
        {
            "workspace": Workspace.FILING,
            "page": page,
            "state": state,
            "states": FilingState.choices,
            "is_bureau": _is_bureau(request.user),
            "manufacturers": list(selectors.manufacturers_for(request.user)) if not _is_bureau(request.user) else [],
        },
    )


@login_required
def filing_new(request):
    _enter_filing(request)
    mine = list(selectors.manufacturers_for(request.user).filter(members=request.user).order_by("name"))
    if not mine:
        raise PermissionDenied(_("Your account does not belong to a manufacturer yet; ask the municipal bureau."))
    # A user of several manufacturers says which one files (?manufacturer=); one not theirs is not chosen.
    chosen = request.GET.get("manufacturer", "")
    manufacturer = mine[0] if len(mine) == 1 else next((m for m in mine if str(m.pk) == chosen), None)
    if manufacturer is None:
        return render(request, "catalog/filing_pick_item.html", {"workspace": Workspace.FILING, "manufacturers": mine})
    keep = f"&manufacturer={manufacturer.pk}" if len(mine) > 1 else ""
    today = timezone.localdate()
    item = None
    if ":" in request.GET.get("item", ""):
        scope, code = request.GET["item"].split(":", 1)
        item = selectors.item_by_code(on=today, scope=scope, code=code)
    query = (request.GET.get("q") or "").strip()
    if item is None and request.method != "POST":
        items = list(selectors.search_items(on=today, query=query)[:100]) if query else []
        return render(
            request,
            "catalog/filing_pick_item.html",
            {"workspace": Workspace.FILING, "manufacturer": manufacturer, "query": query, "items": items, "keep": keep},
        )
    form = FilingForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filing = services.create_filing(
                manufacturer=manufacturer,
                by=request.user,
                item=data["grade"].item,
                grade=data["grade"],
                name=data["name"],
                model=data["model"],
                executive_standard=data["executive_standard"],
                mandatory_standard=data["mandatory_standard"],
                declared=data["declared"],
            )
        except CatalogueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Filing created. Now attach the product's certificates, then submit it."))
            return redirect("catalog:filing_detail", pk=filing.pk)
    return render(
        request,
        "catalog/filing_new.html",
        {"workspace": Workspace.FILING, "form": form, "manufacturer": manufacturer, "item": item, "keep": keep},
    )


@login_required
def filing_detail(request, pk):
    _enter_filing(request)
    filing = selectors.filing_for(request.user, pk=pk)
    today = timezone.localdate()
    product = filing.product
    certificates = list(product.certificates.all())
    is_bureau = _is_bureau(request.user)
    events = CatalogueEvent.objects.filter(
        Q(subject_type="filing", subject_id=filing.pk) | Q(subject_type="certificate", data__filing=filing.pk)
    ).select_related("actor")
    return render(
        request,
        "catalog/filing_detail.html",
        {
            "workspace": Workspace.FILING,
            "filing": filing,
            "product": product,
            "certificates": certificates,
            "is_bureau": is_bureau,
            "certificate_form": CertificateForm() if filing.is_editable and not is_bureau else None,
            "review_form": ReviewForm() if is_bureau else None,
            "warning": services.declared_grade_warning(filing=filing) if is_bureau else "",
            "check": selectors.qualification(product=product, produced_on=today, bought_on=today)
            if is_bureau
            else None,
            "credit_records": list(filing.manufacturer.credit_records.all()) if is_bureau else [],
            "events": events,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def filing_add_certificate(request, pk):
    _enter_filing(request)
    filing = selectors.filing_for(request.user, pk=pk)
    form = CertificateForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_certificate(
                filing=filing,
                by=request.user,
                kind=data["kind"],
                upload=data["file"],
                number=data["number"],
                issuer=data["issuer"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
            )
        except CatalogueError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("Certificate attached."))
            return redirect("catalog:filing_detail", pk=filing.pk)
    product = filing.product
    return render(
        request,
        "catalog/filing_detail.html",
        {
            "workspace": Workspace.FILING,
            "filing": filing,
            "product": product,
            "certificates": list(product.certificates.all()),
            "certificate_form": form,
            "events": [],
            "today": timezone.localdate(),
        },
        status=400,
    )


@login_required
@require_POST
def filing_submit(request, pk):
    _enter_filing(request)
    filing = selectors.filing_for(request.user, pk=pk)
    try:
        services.submit_filing(filing=filing, by=request.user)
    except CatalogueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Filing submitted. The municipal bureau will review it."))
    return redirect("catalog:filing_detail", pk=filing.pk)


@login_required
@require_POST
def filing_review(request, pk):
    _enter_filing(request)
    if not _is_bureau(request.user):
        raise PermissionDenied(_("Only the municipal agriculture bureau may do this."))
    filing = selectors.filing_for(request.user, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("catalog:filing_detail", pk=filing.pk)
    data = form.cleaned_data
    try:
        if data["action"] == "accept":
            services.accept_filing(filing=filing, by=request.user, note=data["reason"])
            messages.success(request, _("Filing accepted. Publish it to open the product for applications."))
        elif data["action"] == "reject":
            services.reject_filing(
                filing=filing, by=request.user, reason=data["reason"], false_filing=data["false_filing"]
            )
            messages.success(request, _("Filing rejected."))
        elif data["action"] == "publish":
            services.publish_filing(filing=filing, by=request.user)
            messages.success(request, _("Filing published: the product may now be named in applications."))
        else:
            record = services.record_false_filing(
                filing=filing, by=request.user, kind=data["false_filing"], reason=data["reason"]
            )
            messages.success(
                request,
                _("Recorded on the manufacturer's credit record (repeated).")
                if record.repeated
                else _("Recorded on the manufacturer's credit record."),
            )
    except CatalogueError as exc:
        messages.error(request, str(exc))
    return redirect("catalog:filing_detail", pk=filing.pk)


@login_required
@require_GET
def certificate_file(request, pk):
    """A certificate's file, only to those who may see its filing (its manufacturer and the municipal bureau)."""
    _enter_filing(request)
    products = selectors.products_for(request.user)
    certificate = get_or_404(Certificate.objects.filter(product__in=products), pk=pk)
    if not certificate.file:
        raise Http404
    response = FileResponse(certificate.file.open("rb"), content_type=certificate.content_type)
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.pk}{_suffix(certificate)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _suffix(certificate) -> str:
    return {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}.get(certificate.content_type, "")


# --- The municipal bureau: products, closures, amount import ------------------------------------------------


def _enter_bureau(request):
    ensure_may_enter(request.user, Workspace.OFFICE)
    if not _is_bureau(request.user):
        raise PermissionDenied(_("Only the municipal agriculture bureau may do this."))


@login_required
def office_products(request):
    _enter_bureau(request)
    query = (request.GET.get("q") or "").strip()
    products = selectors.products_for(request.user).order_by("manufacturer__name", "model")
    if query:
        products = products.filter(model__icontains=query) | products.filter(name__icontains=query)
    if request.GET.get("closed") == "1":
        products = products.filter(closed=True)
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "catalog/office_products.html", {"workspace": Workspace.OFFICE, "page": page, "query": query}
    )


@login_required
def office_product(request, pk):
    _enter_bureau(request)
    product = get_or_404(
        selectors.products_for(request.user).prefetch_related(
            Prefetch("closures", Closure.objects.select_related("closed_by", "reopened_by"))
        ),
        pk=pk,
    )
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if product.closed:
                services.reopen_product(product=product, by=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("Product reopened."))
            else:
                services.close_product(product=product, by=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("Product closed: no new application may name it."))
        except CatalogueError as exc:
            form.add_error("reason", str(exc))
        else:
            return redirect("catalog:office_product", pk=product.pk)
    events = CatalogueEvent.objects.filter(subject_type="product", subject_id=product.pk).select_related("actor")
    return render(
        request,
        "catalog/office_product.html",
        {
            "workspace": Workspace.OFFICE,
            "product": product,
            "form": form,
            "events": events,
            "open": selectors.may_name_product(product=product),
        },
    )


@login_required
def amount_import(request):
    """Import an amount table from XLSX: each bad row is shown with its error; nothing is kept unless all are good."""
    _enter_bureau(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_amount_rows(form.cleaned_data["file"])
            result = services.import_amounts(rows=rows, by=request.user, valid_from=form.cleaned_data["valid_from"])
        except CatalogueError as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(request, _("%(n)s amounts imported.") % {"n": len(result.imported)})
                return redirect(reverse("catalog:amount_import"))
    return render(
        request,
        "catalog/amount_import.html",
        {"workspace": Workspace.OFFICE, "form": form, "result": result, "columns": _columns()},
    )


def _columns():
    from .tables import amount_columns

    return amount_columns()[:14]
