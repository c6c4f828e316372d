"""The finance pages (/finance/...): the fund ledger, the payment queue, batches and the treasury's files.

Thin views: parse input, call one selector or service, render. Every read starts from the user's scope, so another
district's batch or application is not found (404); a role that does not work in finance gets 403.
"""

from collections import Counter
from decimal import Decimal
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import scope
from accounts.models import District, Role
from accounts.scope import Workspace, ensure_may_enter
from applications.workflow import OFFICE_LABELS, State
from core.citations import cite
from core.errors import DomainError
from core.inputs import ids_from, plain_int
from core.paging import list_page

from . import ledger as ledger_balances
from . import selectors, services
from .forms import (
    ClawBackForm,
    DeferForm,
    FindingForm,
    FundMoveForm,
    RecoveryForm,
    ResolveForm,
    ReturnFileForm,
    YearEndForm,
)
from .models import BatchState, EntryKind
from .services.common import RATIO_ALERT

PAGE_SIZE = 50
QUEUE_PAGE_SIZE = 100
STATE_ORDER = {state: n for n, state in enumerate(State.values)}  # the application's life, in order


def finance_page(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        ensure_may_enter(request.user, Workspace.FINANCE)
        return view(request, *args, **kwargs)

    return wrapped


def _refused(request, error: DomainError) -> None:
    messages.error(request, f"{error.message}（{cite(error.rule)}）" if cite(error.rule) else error.message)


# --- The ledger ------------------------------------------------------------------------------------------------


@finance_page
def ledger(request):
    year = plain_int(request.GET.get("year"), digits=4)
    balances = selectors.balances_for(request.user, year=year)
    districts = {f.district_id: f.district for f in selectors.funds_for(request.user)}
    rows = [(districts.get(b.district_id), b) for b in balances]
    context = {
        "rows": rows,
        "year": year,
        "years": sorted({b.year for b in selectors.balances_for(request.user)}, reverse=True),
        "is_city": request.user.role == Role.CITY_FINANCE,
        "form": FundMoveForm() if request.user.role == Role.CITY_FINANCE else None,
        "workspace": Workspace.FINANCE,
    }
    return render(request, "payments/ledger.html", context)


@finance_page
def fund(request, pk):
    fund = selectors.fund_for(user=request.user, pk=pk)
    page = Paginator(selectors.entries_of(fund), PAGE_SIZE).get_page(request.GET.get("page"))
    balance = ledger_balances.balance_of(fund.district, fund.year, fund.source)
    return render(
        request,
        "payments/fund.html",
        {"fund": fund, "page": page, "balance": balance, "kinds": EntryKind, "workspace": Workspace.FINANCE},
    )


@finance_page
@require_POST
def move_funds(request):
    """The municipal finance bureau enters an allocation, a cut or a reallocation."""
    scope.ensure_city_finance(request.user)
    form = FundMoveForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "payments/ledger.html",
            {
                "rows": [],
                "form": form,
                "is_city": True,
                "years": [],
                "workspace": Workspace.FINANCE,
            },
            status=400,
        )
    data = form.cleaned_data
    common = {
        "year": data["year"],
        "source": data["source"],
        "amount": data["amount"],
        "actor": request.user,
        "reason": data["reason"],
        "document": data["document"],
    }
    try:
        if data["kind"] == "allocation":
            services.allocate(district=data["district"], **common)
        elif data["kind"] == "cut":
            services.cut(district=data["district"], **common)
        elif data["kind"] == "settlement":
            services.settle_advance(
                district=data["district"],
                year=data["year"],
                amount=data["amount"],
                actor=request.user,
                reason=data["reason"],
                document=data["document"],
            )
        else:
            services.reallocate(from_district=data["district"], to_district=data["to_district"], **common)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Entered in the ledger."))
    return redirect("payments:ledger")


# --- Payment requests and batches --------------------------------------------------------------------------------


@finance_page
def queue(request):
    """R36: the requested payments, 100 a page by keyset (a batch is built from the rows ticked on the page)."""
    listing = list_page(request, selectors.payment_queue(user=request.user), per_page=QUEUE_PAGE_SIZE, count=False)
    return render(
        request,
        "payments/queue.html",
        {
            "rows": selectors.with_due_dates(listing.rows),
            "listing": listing,
            "deferred": selectors.deferred_for(user=request.user)[:200],
            "may_build": request.user.role == Role.DISTRICT_FINANCE,
            "today": timezone.localdate(),
            "workspace": Workspace.FINANCE,
        },
    )


@finance_page
@require_POST
def build_batch(request):
    scope.ensure_district_finance(request.user)
    try:
        batch = services.build_batch(officer=request.user, application_ids=ids_from(request.POST.getlist("ids")))
    except DomainError as error:
        _refused(request, error)
        return redirect("payments:queue")
    messages.success(
        request, _("Batch %(number)s built; a second finance officer approves it.") % {"number": batch.number}
    )
    return redirect("payments:batch", pk=batch.pk)


@finance_page
def batches(request):
    """The district's batches, newest first; ``?state=built`` (or another batch state) keeps only those."""
    state = request.GET.get("state", "")
    listed = selectors.batches_for(request.user)
    if state in BatchState.values:
        listed = listed.filter(state=state)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "payments/batches.html",
        {
            "page": page,
            "state": state if state in BatchState.values else "",
            "states": BatchState.choices,
            "exceptions": selectors.open_exceptions_for(request.user)[:50],
            "workspace": Workspace.FINANCE,
        },
    )


@finance_page
def batch(request, pk):
    batch = selectors.batch_for(user=request.user, pk=pk)
    user = request.user
    return render(
        request,
        "payments/batch.html",
        {
            "batch": batch,
            "items": selectors.items_of(batch),
            "totals": selectors.batch_totals(batch),
            "may_take_out": user.role == Role.DISTRICT_FINANCE and batch.state == BatchState.BUILT,
            "exceptions": selectors.exceptions_of(batch),
            "exports": batch.exports.select_related("by"),
            "imports": batch.imports.select_related("by"),
            "may_approve": user.role == Role.DISTRICT_FINANCE
            and batch.state == BatchState.BUILT
            and batch.built_by_id != user.pk,
            "is_builder": batch.built_by_id == user.pk,
            "may_export": user.role == Role.DISTRICT_FINANCE
            and batch.state in (BatchState.APPROVED, BatchState.EXPORTED, BatchState.CLOSED),
            "may_import": user.role == Role.DISTRICT_FINANCE and batch.state == BatchState.EXPORTED,
            "return_form": ReturnFileForm(),
            "resolve_form": ResolveForm(),
            "states": BatchState,
            "workspace": Workspace.FINANCE,
        },
    )


@finance_page
@require_POST
def approve_batch(request, pk):
    batch = selectors.batch_for(user=request.user, pk=pk)
    scope.ensure_district_finance(request.user)
    try:
        services.approve_batch(batch_id=batch.pk, officer=request.user)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Batch approved; export it to the treasury."))
    return redirect("payments:batch", pk=batch.pk)


@finance_page
@require_POST
def take_out_of_batch(request, pk, application_pk):
    """R36: one application out of a batch waiting for approval, with the reason; it goes back to the requests."""
    batch = selectors.batch_for(user=request.user, pk=pk)
    scope.ensure_district_finance(request.user)
    try:
        item = services.take_out_of_batch(
            batch_id=batch.pk,
            application_id=application_pk,
            officer=request.user,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("Application %(number)s taken out of the batch; it is back among the payment requests.")
            % {"number": item.application.number},
        )
    return redirect("payments:batch", pk=batch.pk)


@finance_page
@require_POST
def export_batch(request, pk, file_format):
    batch = selectors.batch_for(user=request.user, pk=pk)
    scope.ensure_district_finance(request.user)
    try:
        name, content, content_type = services.export_batch(
            batch_id=batch.pk, officer=request.user, file_format=file_format, layout=request.POST.get("layout", "")
        )
    except DomainError as error:
        _refused(request, error)
        return redirect("payments:batch", pk=batch.pk)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@finance_page
@require_POST
def import_return(request, pk):
    batch = selectors.batch_for(user=request.user, pk=pk)
    scope.ensure_district_finance(request.user)
    form = ReturnFileForm(request.POST, request.FILES)
    if not form.is_valid():
        unreadable = form.has_error("file", "unreadable")
        messages.error(request, form.errors["file"][0] if unreadable else _("Choose the treasury's return file."))
        return redirect("payments:batch", pk=batch.pk)
    upload = form.cleaned_data["file"]
    try:
        record = services.import_return(
            batch_id=batch.pk, officer=request.user, data=upload.read(), file_name=upload.name
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("Return file read: %(paid)s paid, %(failed)s failed, %(exceptions)s exceptions to reconcile.")
            % {"paid": record.paid, "failed": record.failed, "exceptions": record.exceptions},
        )
    return redirect("payments:batch", pk=batch.pk)


@finance_page
@require_POST
def resolve_exception(request, pk):
    scope.ensure_district_finance(request.user)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            row = services.resolve_exception(
                exception_id=pk, officer=request.user, resolution=form.cleaned_data["resolution"]
            )
        except DomainError as error:
            _refused(request, error)
        else:
            return redirect("payments:batch", pk=row.return_import.batch_id)
    return redirect("payments:batches")


# --- One application: deferral, claw-back, ratio alert -----------------------------------------------------------


@finance_page
def application(request, pk):
    app = selectors.application_for(user=request.user, pk=pk)
    payment = getattr(app, "payment", None) if app.state in (State.PAID, State.CLAWED_BACK) else None
    return render(
        request,
        "payments/application.html",
        {
            "app": app,
            "label": OFFICE_LABELS.get(app.state, app.state),
            "payment": payment,
            "claw_back": getattr(app, "claw_back_record", None) if app.state == State.CLAWED_BACK else None,
            "deferrals": app.deferrals.select_related("by"),
            "ratio_alerts": app.warnings.filter(code=RATIO_ALERT),
            "entries": app.ledger_entries.select_related("fund", "actor").order_by("at", "id"),
            "may_act": request.user.role == Role.DISTRICT_FINANCE,
            "defer_form": DeferForm(),
            "claw_form": ClawBackForm(),
            "recovery_form": RecoveryForm(),
            "finding_form": FindingForm(),
            "State": State,
            "workspace": Workspace.FINANCE,
        },
    )


#: District finance's actions on one application: the form that parses the input (None: nothing to type) and the
#: service it calls with the form's fields.
APPLICATION_ACTIONS = {
    "defer": (DeferForm, services.defer_payment),
    "resume": (None, services.resume_payment),
    "claw_back": (ClawBackForm, services.claw_back),
    "recover": (RecoveryForm, services.record_recovery),
    "clear_ratio": (FindingForm, services.clear_ratio_alert),
}


@finance_page
@require_POST
def application_action(request, pk, action):
    app = selectors.application_for(user=request.user, pk=pk)
    scope.ensure_district_finance(request.user)
    form_class, service = APPLICATION_ACTIONS[action]
    form = form_class(request.POST) if form_class is not None else None
    if form is not None and not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("payments:application", pk=app.pk)
    try:
        service(application_id=app.pk, officer=request.user, **(form.cleaned_data if form is not None else {}))
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Done."))
    return redirect("payments:application", pk=app.pk)


# --- The year's end (R37) ------------------------------------------------------------------------------------------


def _plan_for_page(plan: dict) -> dict:
    """A rollover plan (the summary kept of one, or ``year_end_summary``) as the page shows it: district names,
    amounts as Decimal, and the carried applications counted by district and state rather than listed one by one."""
    names = {d.code: d.display_name for d in District.objects.all()}
    counted = plan.get("counted") or Counter((row.get("district", ""), row["state"]) for row in plan["applications"])
    return {
        "carry_over": [
            {
                "district": names.get(row["district"], row["district"]),
                "source": row["source"],
                "amount": Decimal(row["amount"]),
            }
            for row in plan["carry_over"]
        ],
        "applications": [
            {"district": names.get(code, code), "state": OFFICE_LABELS.get(state, state), "count": n}
            for (code, state), n in sorted(counted.items(), key=lambda row: (row[0][0], STATE_ORDER.get(row[0][1], 99)))
        ],
        "carried": sum(counted.values()),
        "in_flight": plan.get("in_flight", []),
    }


@finance_page
def year_end(request):
    """R37: the municipal finance bureau closes a subsidy year. Choosing a year shows what would be carried into the
    next (a dry run, nothing written), or what was carried if it is closed. Closing takes two officials: one asks
    (``request``), a second approves (``approve``), which closes it (four-eyes, R45)."""
    scope.ensure_city_finance(request.user, reason=scope.CLOSES_YEARS)
    if request.method == "POST":
        form = YearEndForm(request.POST)
        if form.is_valid():
            year = form.cleaned_data["year"]
            try:
                if request.POST.get("action") == "approve":
                    plan = services.approve_year_end(year=year, officer=request.user)
                else:
                    services.request_year_end(year=year, officer=request.user)
                    plan = None
            except DomainError as error:
                form.add_error("year", error.message)
            else:
                if plan is None:
                    messages.success(
                        request,
                        _("Asked to close %(year)s; a second official of the bureau approves it.") % {"year": year},
                    )
                elif plan["done_before"]:
                    messages.info(request, _("%(year)s was already closed; nothing was done again.") % {"year": year})
                else:
                    messages.success(
                        request,
                        _("%(year)s closed: %(count)s applications and the unspent balance carried into %(next)s.")
                        % {"year": year, "count": len(plan["applications"]), "next": year + 1},
                    )
                return redirect(f"{reverse('payments:year_end')}?year={year}")
    else:
        form = YearEndForm(request.GET or None, initial={"year": selectors.year_to_close()})
    preview, record = None, None
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"]
        record = selectors.rollovers().filter(year=year).first()
        if record is not None:
            preview = _plan_for_page(record.summary)
        elif request.method == "GET":
            try:
                preview = _plan_for_page(selectors.year_end_summary(year=year))
            except DomainError as error:
                form.add_error("year", error.message)
    return render(
        request,
        "payments/year_end.html",
        {
            "form": form,
            "preview": preview,
            "record": record,
            "year": form.cleaned_data["year"] if preview is not None else None,
            "pending": selectors.year_end_request(form.cleaned_data["year"]) if preview is not None else None,
            "closed": selectors.rollovers(),
            "workspace": Workspace.FINANCE,
        },
        status=400 if request.method == "POST" else 200,
    )
