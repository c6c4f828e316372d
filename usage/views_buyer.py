"""The buyer's application-subsidy pages (/apply/usage/, R20): each machine taking part with its progress
(已完成 326/500 亩), its work records, a record entered by hand with photos, and the claim in one step. The claim's
own page is the application page every application has (/apply/<pk>/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scope import Workspace, ensure_may_enter
from applications.models import State
from core.errors import DomainError

from . import rules, selectors, services
from .forms import ClaimForm, RecordForm


def _enter(request) -> None:
    ensure_may_enter(request.user, Workspace.APPLY)


@login_required
def home(request):
    _enter(request)
    rows = selectors.buyer_machines(request.user)
    return render(request, "usage/buyer/home.html", {"rows": rows, "workspace": Workspace.APPLY})


@login_required
def machine(request, pk):
    _enter(request)
    found = selectors.machine_for_buyer(user=request.user, pk=pk)
    progress = rules.progress_for(found)
    claim = selectors.claim_of(found)
    open_to_claim = progress is not None and (claim is None or claim.state == State.RETURNED)
    _progress, refusal = services.eligibility(found, claim=claim) if open_to_claim else (None, "")
    context = {
        "machine": found,
        "progress": progress,
        "claim": claim,
        "may_claim": open_to_claim and not refusal,
        "refusal": refusal,
        "commitment": services.commitment(),
        "form": ClaimForm(),
        "records": selectors.records_of(found)[:100],
        "workspace": Workspace.APPLY,
    }
    return render(request, "usage/buyer/machine.html", context)


@login_required
@require_POST
def claim(request, pk):
    _enter(request)
    found = selectors.machine_for_buyer(user=request.user, pk=pk)
    form = ClaimForm(request.POST)
    form.is_valid()
    try:
        made = services.claim_incentive(
            machine_id=found.pk, buyer=request.user, accept_commitment=form.cleaned_data.get("accept_commitment")
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("apply_usage:machine", pk=found.pk)
    messages.success(request, _("Your claim %(number)s is submitted.") % {"number": made.number})
    return redirect("apply:application", pk=made.pk)


@login_required
def add_record(request, pk):
    _enter(request)
    found = selectors.machine_for_buyer(user=request.user, pk=pk)
    pilot = rules.pilot_for(found)
    if pilot is None:
        return redirect("apply_usage:machine", pk=found.pk)
    form = RecordForm(request.POST or None, request.FILES or None, pilot=pilot)
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_record(
                machine_id=found.pk, buyer=request.user, incoming=form.incoming(), files=form.cleaned_data["files"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The record is saved; the district checks it before it counts."))
            return redirect("apply_usage:machine", pk=found.pk)
    context = {"machine": found, "pilot": pilot, "form": form, "workspace": Workspace.APPLY}
    return render(request, "usage/buyer/add_record.html", context)
