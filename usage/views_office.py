"""The office's application-subsidy pages (/office/usage/, R20): the machines working this year with their progress
and claims, a machine's records, the flagged records to check, the office starting a claim, and the district's
spreadsheet import. The claim itself is then in the office's ordinary queue (/office/applications/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scope import Workspace, ensure_may_enter
from core.errors import DomainError
from core.inputs import plain_int

from . import rules, selectors, services
from .forms import ImportForm, ReviewForm, StartClaimForm
from .services.imports import HEADER


def _enter(request) -> None:
    ensure_may_enter(request.user, Workspace.OFFICE)


@login_required
def progress(request):
    _enter(request)
    year = plain_int(request.GET.get("year")) or timezone.localdate().year
    rows = selectors.office_machines(user=request.user, year=year)
    context = {
        "year": year,
        "rows": rows,
        "pilots": selectors.pilot_kinds(year),
        "flagged": selectors.flagged_records(request.user).count(),
        "workspace": Workspace.OFFICE,
    }
    return render(request, "usage/office/progress.html", context)


@login_required
def machine(request, pk):
    _enter(request)
    found = selectors.machine_for_office(user=request.user, pk=pk)
    context = {
        "machine": found,
        "progress": rules.progress_for(found),
        "claim": selectors.claim_of(found),
        "records": selectors.records_of(found)[:200],
        "form": StartClaimForm(),
        "review_form": ReviewForm(),
        "workspace": Workspace.OFFICE,
    }
    return render(request, "usage/office/machine.html", context)


@login_required
def flagged(request):
    _enter(request)
    records = selectors.flagged_records(request.user)[:200]
    context = {"records": records, "form": ReviewForm(), "workspace": Workspace.OFFICE}
    return render(request, "usage/office/flagged.html", context)


@login_required
@require_POST
def review(request, pk):
    _enter(request)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or reject and give the reason."))
        return redirect("office_usage:flagged")
    try:
        record = services.review_record(
            record_id=pk,
            officer=request.user,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("office_usage:flagged")
    messages.success(request, _("The record is checked."))
    if request.POST.get("next") == "machine":
        return redirect("office_usage:machine", pk=record.machine_id)
    return redirect("office_usage:flagged")


@login_required
@require_POST
def start_claim(request, pk):
    _enter(request)
    found = selectors.machine_for_office(user=request.user, pk=pk)
    form = StartClaimForm(request.POST)
    form.is_valid()
    try:
        made = services.start_claim(machine_id=found.pk, officer=request.user, note=form.cleaned_data.get("note", ""))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("office_usage:machine", pk=found.pk)
    messages.success(request, _("Claim %(number)s is in the queue.") % {"number": made.number})
    return redirect("office:detail", pk=made.pk)


@login_required
def import_file(request):
    _enter(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            done = services.import_records(officer=request.user, data=upload.read(), file_name=upload.name)
        except services.ImportRefused as refused:
            errors = refused.errors
            messages.error(request, refused.message)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(n)s records imported.") % {"n": done.rows})
            return redirect("office_usage:progress")
    context = {"form": form, "errors": errors, "header": HEADER, "workspace": Workspace.OFFICE}
    return render(request, "usage/office/import.html", context)
