"""The buyer's pages (``/apply/``): phone first, one short step per page (UI.md "The buyer").

Thin views: they parse a form, call one service or selector, and render. Every application is found through
``selectors.application_for``, so another buyer's id is simply not found (404).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.models import District
from accounts.scope import Workspace, ensure_may_enter
from catalog.selectors import products_open_for_application
from core.inputs import plain_int
from notifications.services import language_for
from payments.selectors import waits_on
from workdays.calendar import set_days_left

from .. import selectors, services
from ..commitment import commitment_letter
from ..forms import (
    AccountForm,
    BuyerForm,
    CommitmentForm,
    DocumentForm,
    MachineSearchForm,
    PurchaseForm,
    WithdrawForm,
)
from ..models import DocumentKind, Step
from ..timeline import steps_ahead
from ..workflow import BUYER_LABELS, WITHDRAWABLE, State, tone
from . import tasklist
from .search import search_products

EDITABLE = (State.DRAFT, State.RETURNED)
KIND_HINTS = {
    DocumentKind.INVOICE: gettext_lazy("The whole invoice, flat and in good light, every number readable."),
    DocumentKind.NAMEPLATE: gettext_lazy("Close enough that the model, serial number and production date can be read."),
    DocumentKind.MACHINE: gettext_lazy("The whole machine, with the nameplate side visible if you can."),
    DocumentKind.IDENTITY: gettext_lazy("Your resident ID card, or the organisation's business licence."),
    DocumentKind.BASE_PROOF: gettext_lazy(
        "Proof of agricultural production at the base, for example the land lease or the base's licence (R5)."
    ),
}


# --- Access --------------------------------------------------------------------------------------------------


def buyer_page(view):
    """Signed in, role BUYER (403 for everyone else)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        ensure_may_enter(request.user, Workspace.APPLY)
        return view(request, *args, **kwargs)

    return wrapped


def editable_step(view):
    """A step of a draft or returned application of this buyer; any other state goes back to the progress
    page, with nothing changed (the services refuse it too)."""

    @buyer_page
    @wraps(view)
    def wrapped(request, pk, *args, **kwargs):
        application = selectors.application_for(user=request.user, pk=pk)
        if application.state not in EDITABLE:
            messages.error(request, _("This application has been submitted and can no longer be changed."))
            return redirect("apply:application", pk=application.pk)
        return view(request, application, *args, **kwargs)

    return wrapped


# --- Small reads for these pages ---------------------------------------------------------------------------


def _with_days_left(deadlines: list) -> list:
    """Each open deadline with the working days (工作日) left until it is due; negative when overdue."""
    set_days_left(deadlines, "due_on")
    return deadlines


def _state_context(application) -> dict:
    return {
        "state_label": BUYER_LABELS.get(application.state, application.get_state_display()),
        "state_tone": tone(application.state),
    }


# --- Home and start ----------------------------------------------------------------------------------------


@buyer_page
@require_GET
def home(request):
    applications = (  # next_due is stored on the application (applications.deadlines keeps it)
        selectors.applications_for(request.user)
        .select_related("product__manufacturer", "product__item", "district")
        .order_by("-created_at", "-pk")
    )
    rows = [
        {"application": a, "label": BUYER_LABELS.get(a.state, a.get_state_display()), "tone": tone(a.state)}
        for a in applications
    ]
    sales = selectors.sales_to_start_from(request.user)
    return render(request, "applications/buyer/home.html", {"workspace": Workspace.APPLY, "rows": rows, "sales": sales})


@buyer_page
@require_POST
def start(request):
    application = services.start_application(buyer=request.user)
    return redirect("apply:tasks", pk=application.pk)


# --- The task list and its steps ---------------------------------------------------------------------------


@editable_step
@require_GET
def tasks(request, application):
    documents = tasklist.documents_by_kind(application)
    task_list = tasklist.task_list(request, application, documents)
    return render(
        request,
        "applications/buyer/tasks.html",
        {
            "workspace": Workspace.APPLY,
            "application": application,
            "tasks": task_list,
            "done": sum(t.status == tasklist.DONE for t in task_list),
            **_state_context(application),
        },
    )


def _step(request, application, template: str, context: dict):
    return render(
        request,
        f"applications/buyer/{template}",
        {"workspace": Workspace.APPLY, "application": application, **context},
    )


def _save(request, application, **fields) -> bool:
    """Save through the service; a refusal is shown as a message (the state changed under the buyer)."""
    try:
        services.update_draft(application_id=application.pk, buyer=request.user, **fields)
    except services.ApplicationError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, _("Saved."))
    return True


@editable_step
def step_buyer(request, application):
    """The district is the one chosen at registration, said with a way to change it; its towns only are offered."""
    organisation = request.user.is_organisation
    minimum = services.minimum_supply(on=timezone.localdate()) if organisation else None
    options = {"organisation": organisation, "minimum_supply": minimum}
    district = application.district
    if request.method == "POST":
        posted = plain_int(request.POST.get("district"))
        district = District.objects.filter(active=True, pk=posted).first() if posted else None
        district = district or application.district
        form = BuyerForm(request.POST, towns_of=district, **options)
        if form.is_valid():
            _save(request, application, **form.fields_for_update())
            return redirect("apply:tasks", pk=application.pk)
    else:
        form = BuyerForm(
            towns_of=district,
            **options,
            initial={
                "ground": application.ground,
                "district": application.district_id,
                "town": application.town_id,
                "outside_base": application.outside_base,
                "outside_base_address": application.outside_base_address,
                "annual_supply_tonnes": application.annual_supply_tonnes,
            },
        )
    base_fields = [form["outside_base_address"], form["annual_supply_tonnes"]] if organisation else []
    return _step(
        request,
        application,
        "step_buyer.html",
        {
            "form": form,
            "organisation": organisation,
            "base_fields": base_fields,
            "change_district": request.GET.get("district") == "change" or "district" in form.errors,
            "district": district,
        },
    )


@editable_step
def step_machine(request, application):
    search = MachineSearchForm(request.GET or None)
    error = ""
    if request.method == "POST":
        product = products_open_for_application(on=timezone.localdate()).filter(pk=request.POST.get("product")).first()
        if product is None:
            error = _("This machine cannot be chosen: it is not open for application today.")
        else:
            _save(request, application, product=product)
            return redirect("apply:tasks", pk=application.pk)
    query = search.cleaned_data.get("q", "") if search.is_valid() else ""
    results = search_products(query) if query else []
    chosen_open = application.product is not None and tasklist.product_open(application.product)
    return _step(
        request,
        application,
        "step_machine.html",
        {
            "search": search,
            "query": query,
            "results": results,
            "searched": bool(query),
            "error": error,
            "chosen_open": chosen_open,
            "expected": selectors.expected_subsidy(application=application) if application.product else None,
        },
    )


@editable_step
def step_purchase(request, application):
    if request.method == "POST":
        later = "later" in request.POST
        form = PurchaseForm(request.POST, later=later)
        if form.is_valid():
            if _save(request, application, **(form.typed() if later else form.cleaned_data)):
                application = selectors.application_for(user=request.user, pk=application.pk)
                if tasklist.cash_flagged_application(application):
                    messages.warning(
                        request,
                        _(
                            "You paid more than 5,000 yuan in cash. You can still apply; the district may ask "
                            "you about the payment."
                        ),
                    )
                if tasklist.qualification_problems(application) and not later:
                    return redirect("apply:purchase", pk=application.pk)
            return redirect("apply:tasks", pk=application.pk)
    else:
        form = PurchaseForm(
            initial={
                field: getattr(application, field)
                for field in (
                    "serial_number",
                    "production_date",
                    "purchase_date",
                    "invoice_number",
                    "invoice_price",
                    "payment_method",
                )
            }
        )
    return _step(
        request,
        application,
        "step_purchase.html",
        {
            "form": form,
            "cash_flagged": tasklist.cash_flagged_application(application),
            "problems": tasklist.qualification_problems(application),
        },
    )


@editable_step
def step_documents(request, application):
    kinds = tasklist.document_kinds(application)
    forms = {kind: DocumentForm(kind=kind) for kind in kinds}
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind not in kinds:
            raise Http404
        form = forms[kind] = DocumentForm(request.POST, request.FILES, kind=kind)
        if form.is_valid():
            try:
                services.add_document(
                    application_id=application.pk, user=request.user, kind=kind, upload=form.cleaned_data["file"]
                )
            except services.ApplicationError as error:
                form.add_error("file", ValidationError(error.message, code="upload_refused"))
            else:
                messages.success(request, _("Uploaded: %(kind)s.") % {"kind": DocumentKind(kind).label})
                return redirect(reverse("apply:documents", args=[application.pk]) + f"#kind-{kind}")
        status = 400 if form.errors else 200
    documents = tasklist.documents_by_kind(application)
    sections = [
        {
            "kind": kind,
            "label": DocumentKind(kind).label,
            "hint": KIND_HINTS.get(kind, ""),
            "form": forms[kind],
            "documents": documents.get(kind, []),
        }
        for kind in kinds
    ]
    failed = next((s["form"] for s in sections if s["form"].errors), None)
    response = _step(request, application, "step_documents.html", {"sections": sections, "failed": failed})
    response.status_code = status
    return response


@editable_step
def remove_document(request, application, document_pk):
    """Removing a photo asks once (a page that shows it, with the button that removes it); the POST removes."""
    document = selectors.document_for(user=request.user, pk=document_pk)
    if document.application_id != application.pk:
        raise Http404
    if request.method != "POST":
        return _step(request, application, "remove_document.html", {"document": document})
    try:
        services.remove_document(document_id=document.pk, user=request.user)
    except services.ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Removed: %(kind)s.") % {"kind": document.get_kind_display()})
    return redirect(reverse("apply:documents", args=[application.pk]) + f"#kind-{document.kind}")


@editable_step
def step_account(request, application):
    has_account = bool(application.account_encrypted)
    if request.method == "POST":
        later = "later" in request.POST
        form = AccountForm(request.POST, has_account=has_account, later=later, buyer=request.user)
        if form.is_valid():
            fields = form.typed() if later else dict(form.cleaned_data)
            if not fields.get("account_number"):
                fields.pop("account_number", None)
            _save(request, application, **fields)
            return redirect("apply:tasks", pk=application.pk)
    else:
        form = AccountForm(
            has_account=has_account,
            initial={
                "payee_name": application.payee_name or request.user.display_name,
                "bank_name": application.bank_name,
            },
        )
    return _step(request, application, "step_account.html", {"form": form, "has_account": has_account})


@editable_step
def step_commitment(request, application):
    # The text shown is the text the service signs and stores (R29): the letter in the buyer's language;
    # a reader of another language also sees a translation, marked as such.
    with translation.override(language_for(request.user)):
        version, text = commitment_letter()
    _version, reading = commitment_letter()
    if request.method == "POST":
        form = CommitmentForm(request.POST)
        if form.is_valid():
            request.session[tasklist.commitment_key(application)] = version
            return redirect("apply:check", pk=application.pk)
    else:
        form = CommitmentForm(initial={"accept": tasklist.commitment_signed(request, application)})
    return _step(
        request,
        application,
        "step_commitment.html",
        {
            "form": form,
            "letter": text,
            "letter_language": language_for(request.user),
            "version": version,
            "reading": reading if reading != text else "",
        },
    )


# --- Check, submit, confirmation -------------------------------------------------------------------------


@editable_step
@require_GET
def check(request, application):
    documents = tasklist.documents_by_kind(application)
    return _step(
        request,
        application,
        "check.html",
        {
            "missing": services.missing_for_submission(application),
            "expected": selectors.expected_subsidy(application=application),
            "documents": [
                {"label": DocumentKind(kind).label, "documents": documents.get(kind, [])}
                for kind in tasklist.document_kinds(application)
            ],
            "cash_flagged": tasklist.cash_flagged_application(application),
            "problems": tasklist.qualification_problems(application),
            "machine_open": application.product is None or tasklist.product_open(application.product),
            "signed": tasklist.commitment_signed(request, application),
            **_state_context(application),
        },
    )


@editable_step
@require_POST
def submit(request, application):
    signed = tasklist.commitment_signed(request, application)
    try:
        services.submit_application(application_id=application.pk, buyer=request.user, accept_commitment=signed)
    except services.ApplicationError as error:
        messages.error(request, error.message)
        if not signed:
            return redirect("apply:commitment", pk=application.pk)
        return redirect("apply:check", pk=application.pk)
    request.session.pop(tasklist.commitment_key(application), None)
    return redirect("apply:submitted", pk=application.pk)


@buyer_page
@require_GET
def submitted(request, pk):
    application = selectors.application_for(user=request.user, pk=pk)
    if application.state in EDITABLE:
        return redirect("apply:tasks", pk=application.pk)
    accept = application.deadlines.filter(step=Step.ACCEPT, met_at__isnull=True).first()
    if accept is not None:
        _with_days_left([accept])
    return render(
        request,
        "applications/buyer/submitted.html",
        {
            "workspace": Workspace.APPLY,
            "application": application,
            "accept": accept,
            "waits_on": waits_on(application),
            **_state_context(application),
        },
    )


# --- Progress and withdrawal ----------------------------------------------------------------------------------


@buyer_page
@require_GET
def application(request, pk):
    application = selectors.application_for(user=request.user, pk=pk)
    if application.state == State.DRAFT:
        return redirect("apply:tasks", pk=application.pk)
    history = selectors.timeline(application=application)
    documents = tasklist.documents_by_kind(application)
    return render(
        request,
        "applications/buyer/application.html",
        {
            "workspace": Workspace.APPLY,
            "application": application,
            "events": history["events"],
            "open_deadlines": _with_days_left([d for d in history["open_deadlines"] if d.step != Step.OVERALL]),
            "steps_ahead": steps_ahead(application, history["open_deadlines"]),
            "waits_on": waits_on(application),
            "expected": selectors.expected_subsidy(application=application),
            "documents": [d for kind in DocumentKind.values for d in documents.get(kind, [])],
            "withdrawable": application.state in WITHDRAWABLE,
            "returned": application.state == State.RETURNED,
            "objections": selectors.open_objections(application),
            **_state_context(application),
        },
    )


@buyer_page
def withdraw(request, pk):
    application = selectors.application_for(user=request.user, pk=pk)
    if application.state not in WITHDRAWABLE:
        messages.error(request, _("This application can no longer be withdrawn."))
        return redirect("apply:application", pk=application.pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_application(
                application_id=application.pk, buyer=request.user, reason=form.cleaned_data["reason"]
            )
        except services.ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The application has been withdrawn."))
            return redirect("apply:home")
    return render(
        request,
        "applications/buyer/withdraw.html",
        {"workspace": Workspace.APPLY, "application": application, "form": form, **_state_context(application)},
    )
