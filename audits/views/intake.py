"""The intake of complaints and objections (R25, R34): open an investigation, or answer a complaint directly."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import complaints
from ..errors import AuditError
from ..forms import OutcomeForm, ReasonForm
from .runs import _enter


@login_required
def intake(request):
    _enter(request)
    open_complaints, objections = complaints.intake_for(request.user)
    return render(
        request,
        "audits/intake.html",
        {
            "workspace": "audit",
            "complaints": open_complaints[:100],
            "objections": objections[:100],
            "reason_form": ReasonForm(),
            "outcome_form": OutcomeForm(),
        },
    )


@login_required
@require_POST
def act(request, kind, pk):
    _enter(request)
    try:
        if kind == "answer":
            form = OutcomeForm(request.POST)
            if form.is_valid():
                complaints.answer_complaint(complaint_id=pk, officer=request.user, **form.cleaned_data)
                messages.success(request, _("The answer is sent."))
                return redirect("audits:intake")
        else:
            form = ReasonForm(request.POST)
            if form.is_valid():
                start = complaints.investigate_complaint if kind == "complaint" else complaints.investigate_objection
                key = "complaint_id" if kind == "complaint" else "objection_id"
                investigation = start(officer=request.user, reason=form.cleaned_data["reason"], **{key: pk})
                return redirect("audits:investigation", pk=investigation.pk)
        messages.error(request, _("Write the reason or the answer."))
    except AuditError as exc:
        messages.error(request, exc.message)
    return redirect("audits:intake")
