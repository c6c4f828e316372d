"""The district office's pages (/office/applications/): the queue, an application's page with its decision
panel, batch acceptance and batch notices, and the applications at risk of the 23-working-day limit.

Thin views: they parse the input, call one selector or service, and render. Every read starts from the user's
scope (applications.selectors), so another district's application is simply not found (404).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_fsm import ConcurrentTransition

from accounts.scope import Workspace, ensure_may_enter, sees_all_districts
from core.inputs import ids_from
from core.paging import list_page
from workdays.calendar import set_days_left

from .. import selectors, services
from ..models import Application, Step, Warning
from ..office_forms import (
    BatchForm,
    ClearForm,
    NoteForm,
    QueueFilterForm,
    RejectForm,
    ReturnForm,
    ScheduleForm,
    VerificationForm,
)
from ..rules import district_rule_on
from ..workflow import OFFICE_LABELS, State, tone

PAGE_SIZE = 50
BATCH_LIMIT = 200
#: The filters that travel from the queue to an application's page and back (the page number does not).
FILTER_KEYS = ("q", "state", "item", "due", "warnings", "district", "town")


def _enter(request) -> None:
    ensure_may_enter(request.user, Workspace.OFFICE)


# --- The queue and its filters ----------------------------------------------------------------------------------


def _filter_form(request) -> QueueFilterForm:
    return QueueFilterForm(
        request.GET or None, all_districts=sees_all_districts(request.user), district=request.user.district
    )


def _selector_filters(form: QueueFilterForm) -> dict:
    filters = form.filters()
    args = {key: filters[key] for key in ("state", "due", "q", "warnings", "town") if key in filters}
    if "item" in filters:
        args["item"] = filters["item"]
    if "district" in filters:
        args["district"] = filters["district"].pk
    return args


def _querystring(request) -> str:
    """The queue's filters as a query string, to carry to an application's page and back."""
    return urlencode([(key, value) for key in FILTER_KEYS for value in request.GET.getlist(key) if value])


def _queue(request):
    return selectors.office_queue(user=request.user, **_selector_filters(_filter_form(request)))


def _working_days_left(rows, attr: str) -> tuple[int, ...]:
    """Set ``days_left`` (``workdays.calendar.set_days_left``), ``due``, ``overdue_by`` and ``urgency`` on each row,
    and an application's label. Returns the years on the page whose calendar is not confirmed, for the page to say
    so."""
    today = timezone.localdate()
    unconfirmed = set_days_left(rows, attr, on=today)
    for row in rows:
        due = getattr(row, attr)
        row.due = due
        row.overdue_by = -row.days_left if due and row.days_left < 0 else 0
        if due is None:
            row.urgency = ""
        elif due < today:
            row.urgency = "overdue"
        elif row.days_left <= 1:
            row.urgency = "soon"
        else:
            row.urgency = "ok"
        if isinstance(row, Application):
            row.state_label = OFFICE_LABELS.get(row.state, row.state)
            row.state_tone = tone(row.state)
    return unconfirmed


@login_required
def queue(request):
    """The office's queue (UI.md): filters in the URL, next due date first, 50 a page by keyset with the total (an
    estimate past 1,000: ``core.counts``)."""
    _enter(request)
    form = _filter_form(request)
    applications = selectors.office_queue(user=request.user, **_selector_filters(form)).prefetch_related(
        Prefetch("warnings", Warning.objects.filter(cleared_at__isnull=True), to_attr="open_warning_list")
    )
    listing = list_page(request, applications, per_page=PAGE_SIZE)
    rows = listing.rows
    unconfirmed_years = _working_days_left(rows, "next_due")
    querystring = _querystring(request)
    state = form.filters().get("state", "")
    return render(
        request,
        "applications/office/queue.html",
        {
            "workspace": Workspace.OFFICE,
            "form": form,
            "listing": listing,
            "rows": rows,
            "querystring": querystring,
            "all_districts": sees_all_districts(request.user),
            "batch": {State.SUBMITTED: "office:batch_accept", State.VERIFIED: "office:batch_notice"}.get(state),
            "unconfirmed_years": unconfirmed_years,
        },
    )


# --- An application's page and its decisions -----------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """A decision the panel may offer: its form, the transition that must be available, the service it calls and
    the form's fields it passes (named as the service's arguments)."""

    name: str
    label: Any
    transition: str
    form_class: type
    done: Any
    service: Callable[..., Any]
    inputs: tuple[str, ...] = ()
    button: str = "button"

    def run(self, application, officer, data: dict) -> None:
        self.service(application_id=application.pk, officer=officer, **{name: data[name] for name in self.inputs})


class _Empty(NoteForm):
    """A decision with nothing to type (open the notice)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["note"]


def _verify(*, application_id: int, officer, publish: bool, **verification):
    """A documents-only check that passed, with "open the notice at once" ticked: one step (R32–R34)."""
    if publish:
        return services.verify_and_open_notice(application_id=application_id, officer=officer, **verification)
    return services.record_verification(application_id=application_id, officer=officer, **verification)


ACTIONS = {
    action.name: action
    for action in [
        Action(
            "accept",
            gettext_lazy("Accept"),
            "accept",
            NoteForm,
            gettext_lazy("Application %(number)s accepted."),
            services.accept_application,
            ("note",),
        ),
        Action(
            "return",
            gettext_lazy("Return to the buyer"),
            "return_to_buyer",
            ReturnForm,
            gettext_lazy("Application %(number)s returned to the buyer."),
            services.return_application,
            ("reason",),
            "button button-secondary",
        ),
        Action(
            "verify",
            gettext_lazy("Record the verification"),
            "pass_verification",
            VerificationForm,
            gettext_lazy("Verification of %(number)s recorded."),
            _verify,
            ("method", "checked_on", "findings", "passed", "work_done", "photos", "publish"),
        ),
        Action(
            "schedule",
            gettext_lazy("Check on site after installation and use"),
            "await_use",
            ScheduleForm,
            gettext_lazy("On-site check after use scheduled for %(number)s; its clocks wait meanwhile."),
            services.schedule_use_check,
            ("note",),
            "button button-secondary",
        ),
        Action(
            "notice",
            gettext_lazy("Open the public notice"),
            "open_notice",
            _Empty,
            gettext_lazy("Application %(number)s is in public notice for 5 working days."),
            services.open_notice,
        ),
        Action(
            "clear",
            gettext_lazy("Clear: no violation found"),
            "clear_investigation",
            ClearForm,
            gettext_lazy("Investigation of %(number)s cleared; it goes back where it was."),
            services.clear_investigation,
            ("finding",),
        ),
        Action(
            "reject",
            gettext_lazy("Reject the application"),
            "reject",
            RejectForm,
            gettext_lazy("Application %(number)s rejected."),
            services.reject_application,
            ("reason",),
            "button button-danger",
        ),
        Action(
            "payment",
            gettext_lazy("Hand over to finance for payment"),
            "request_payment",
            NoteForm,
            gettext_lazy("Application %(number)s handed over to district finance."),
            services.request_payment,
            ("note",),
        ),
    ]
}


def _available(application) -> list[Action]:
    """The actions the application's state allows, read from its transitions (applications.models)."""
    transitions = {t.name for t in application.get_available_state_transitions()}
    return [action for action in ACTIONS.values() if action.transition in transitions]


def _form_for(action: Action, application, proposed: str, data=None, files=None):
    prefix = action.name
    if action.form_class is VerificationForm:
        return VerificationForm(data, files, prefix=prefix, proposed=proposed)
    if action.form_class is ReturnForm:
        return ReturnForm(data, files, prefix=prefix, reasons=selectors.return_reasons(application.district_id))
    return action.form_class(data, files, prefix=prefix)


def _render_detail(request, application, *, bound: tuple[str, Any] | None = None, status: int = 200):
    proposed, why = selectors.proposed_verification(application=application)
    panels = []
    for action in _available(application):
        form = bound[1] if bound and bound[0] == action.name else _form_for(action, application, proposed)
        panels.append({"action": action, "form": form})
    history = selectors.timeline(application=application)
    deadlines = history["deadlines"]
    _working_days_left(deadlines, "due_on")
    open_deadlines = sorted(
        (d for d in deadlines if d.met_at is None), key=lambda d: (d.paused, d.due_on is None, d.due_on, d.pk)
    )
    querystring = _querystring(request)
    today = timezone.localdate()
    return render(
        request,
        "applications/office/detail.html",
        {
            "workspace": Workspace.OFFICE,
            "app": application,
            "state_label": OFFICE_LABELS.get(application.state, application.state),
            "state_tone": tone(application.state),
            "documents": list(selectors.documents_of(application)),
            "events": history["events"],
            "deadlines": deadlines,
            "open_deadlines": open_deadlines,
            "unconfirmed_years": sorted({y for d in open_deadlines for y in d.unconfirmed_years}),
            "warnings": list(application.warnings.all()),
            "objections": list(
                application.objections.select_related("decided_by").prefetch_related("answers__documents")
            ),
            "verifications": list(application.verifications.select_related("officer")),
            "proposed": proposed,
            "proposed_label": dict(VerificationForm.base_fields["method"].choices).get(proposed, ""),
            "proposed_why": why,
            "required_work": district_rule_on(application.district, today).required_work,
            "panels": panels,
            "querystring": querystring,
            "qs_suffix": f"?{querystring}" if querystring else "",
        },
        status=status,
    )


def _application(request, pk: int) -> Application:
    """An application of the user's scope (never a draft: selectors.applications_for keeps those the buyer's)."""
    return selectors.application_for(user=request.user, pk=pk)


@login_required
def detail(request, pk: int):
    _enter(request)
    return _render_detail(request, _application(request, pk))


def _next_in_queue(request, pks_before: list[int], pk: int) -> str:
    """Where a decision leads: the next application of the same filtered queue, else the queue itself."""
    querystring = _querystring(request)
    suffix = f"?{querystring}" if querystring else ""
    following = pks_before[pks_before.index(pk) + 1 :] if pk in pks_before else pks_before
    following = [other for other in following if other != pk]
    if following:
        return reverse("office:detail", args=[following[0]]) + suffix
    return reverse("office:queue") + suffix


@login_required
def decide(request, pk: int, action: str):
    """One decision on one application (POST only). Without a required reason, or from the wrong state, nothing
    changes and the page says why; a decision returns to the queue at the next application."""
    _enter(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    chosen = ACTIONS[action]
    application = _application(request, pk)
    if chosen not in _available(application):
        messages.error(
            request,
            _("This cannot be done now: the application is %(state)s.") % {"state": application.get_state_display()},
        )
        return _render_detail(request, application)
    proposed, _why = selectors.proposed_verification(application=application)
    form = _form_for(chosen, application, proposed, request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, application, bound=(chosen.name, form))
    pks_before = list(_queue(request).values_list("pk", flat=True))
    try:
        chosen.run(application, request.user, form.cleaned_data)
    except services.ApplicationError as error:
        messages.error(request, error.message)
    except ConcurrentTransition:
        messages.error(request, _("Someone else decided this application meanwhile; here it is as it stands now."))
    else:
        messages.success(request, chosen.done % {"number": application.number or application.pk})
        return redirect(_next_in_queue(request, pks_before, application.pk))
    application = _application(request, pk)
    return _render_detail(request, application, bound=(chosen.name, form))


# --- Batches ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Batch:
    state: str
    title: Any
    explain: Any
    button: Any
    done: Any
    service: Callable[..., Application]


BATCHES = {
    "accept": Batch(
        State.SUBMITTED,
        gettext_lazy("Accept several applications"),
        gettext_lazy(
            "Each ticked application is accepted: its verification method is proposed, its verification clock "
            "(the district's working days, 13 unless it set others) and its overall clock (23 working days) start, "
            "and its buyer is told. Applications with warnings are not ticked: open them to decide one by one."
        ),
        gettext_lazy("Accept the ticked applications"),
        gettext_lazy("Accepted: %(numbers)s."),
        services.accept_application,
    ),
    "notice": Batch(
        State.VERIFIED,
        gettext_lazy("Open the public notice for verified applications"),
        gettext_lazy(
            "Each ticked application is published in its district's public notice for 5 working days, with the "
            "buyer's name masked; anyone may object meanwhile, and its buyer is told."
        ),
        gettext_lazy("Publish the ticked applications"),
        gettext_lazy("In public notice: %(numbers)s."),
        services.open_notice,
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def batch(request, kind: str):
    """A batch decision: the page lists what it will do, the officer ticks, and only then is it done."""
    _enter(request)
    spec = BATCHES[kind]
    form = _filter_form(request)
    filters = {**_selector_filters(form), "state": spec.state}
    candidates = list(selectors.with_open_warnings(selectors.office_queue(user=request.user, **filters))[:BATCH_LIMIT])
    _working_days_left(candidates, "next_due")
    querystring = _querystring(request)
    if request.method == "POST":
        chosen = BatchForm(request.POST, candidates=candidates)
        if chosen.is_valid():
            done, refused = _run_batch(spec, chosen.cleaned_data["ids"], request.user)
            if done:
                messages.success(request, spec.done % {"numbers": ", ".join(done)})
            for number, message in refused:
                messages.error(request, f"{number}: {message}")
            queue_filters = [(k, v) for k, v in request.GET.items() if k in FILTER_KEYS and k != "state"]
            return redirect(reverse("office:queue") + "?" + urlencode([*queue_filters, ("state", spec.state)]))
    else:
        chosen = BatchForm(
            initial={"ids": [app.pk for app in candidates if not app.open_warnings]}, candidates=candidates
        )
    ticked = set(ids_from(chosen.data.getlist("ids"))) if chosen.is_bound else set(chosen.initial["ids"])
    return render(
        request,
        "applications/office/batch.html",
        {
            "workspace": Workspace.OFFICE,
            "spec": spec,
            "kind": kind,
            "rows": candidates,
            "ticked": ticked,
            "form": chosen,
            "limit": BATCH_LIMIT,
            "querystring": querystring,
            "qs_suffix": f"?{querystring}" if querystring else "",
        },
    )


def _run_batch(spec: Batch, ids: list[int], officer) -> tuple[list[str], list[tuple[str, str]]]:
    """Each application in its own transaction: one refusal does not undo or stop the others."""
    done, refused = [], []
    for pk in ids:
        try:
            application = spec.service(application_id=pk, officer=officer)
        except services.ApplicationError as error:
            refused.append((str(pk), str(error.message)))
        except ConcurrentTransition:
            refused.append((str(pk), _("Someone else decided this application meanwhile.")))
        else:
            done.append(application.number or str(pk))
    return done, refused


# --- At risk (R35) ---------------------------------------------------------------------------------------------


@login_required
def at_risk(request):
    """R35: applications whose 23 working days for verification, notice and hand-over end within 3 working days,
    or have ended."""
    _enter(request)
    listing = list_page(request, selectors.at_risk(user=request.user), per_page=PAGE_SIZE)
    _working_days_left(listing.rows, "overall_due")
    return render(
        request,
        "applications/office/at_risk.html",
        {"workspace": Workspace.OFFICE, "listing": listing, "rows": listing.rows, "overall": Step.OVERALL},
    )
