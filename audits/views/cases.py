"""Investigations and cases, for auditors and the agriculture offices (R38, R39, R43)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scope import audit_scoped

from .. import cases, selectors
from ..errors import AuditError
from ..forms import DecideForm, ProposeForm, ReasonForm, ReferForm, RemarkForm
from ..models import Case, RiskWarning, Source
from .common import PAGE_SIZE
from .runs import _enter


@login_required
def investigation_list(request):
    _enter(request)
    rows = selectors.investigations_for(request.user, open_only=request.GET.get("open") == "1")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audits/investigations.html", {"workspace": "audit", "page": page})


@login_required
@require_POST
def open_from_warning(request, pk):
    _enter(request)
    warning = get_object_or_404(
        audit_scoped(request.user, RiskWarning.objects.all(), district="application__district"), pk=pk
    )
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what is suspected."))
        return redirect("audits:warnings")
    try:
        investigation = cases.open_investigation(
            application_id=warning.application_id,
            source=Source.WARNING,
            warning=warning,
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except AuditError as exc:
        messages.error(request, exc.message)
        return redirect("audits:warnings")
    return redirect("audits:investigation", pk=investigation.pk)


def _forms(request, action):
    data = request.POST if request.method == "POST" else None
    return {
        "refer_form": ReferForm(data if action == "refer" else None),
        "propose_form": ProposeForm(data if action == "propose" else None),
        "answer_form": RemarkForm(data if action == "answer" else None),
        "decide_form": DecideForm(data if action == "decide" else None),
    }


def _act(request, investigation, action, forms):
    form = forms.get(f"{action}_form")
    if form is None or not form.is_valid():
        return False
    data, user = form.cleaned_data, request.user
    case = Case.objects.filter(investigation=investigation).first()
    try:
        if action == "refer":
            cases.refer_to_judiciary(investigation_id=investigation.pk, officer=user, **data)
        elif action == "propose":
            cases.propose_decision(investigation_id=investigation.pk, officer=user, **data)
        elif action == "answer" and case:
            cases.record_answer(case_id=case.pk, user=user, text=data["text"])
        elif action == "decide" and case:
            cases.decide_case(case_id=case.pk, officer=user, **data)
    except AuditError as exc:
        form.add_error(None, exc.message)
        return False
    return True


@login_required
def investigation_detail(request, pk):
    _enter(request)
    investigation = selectors.investigation_for(request.user, pk=pk)
    action = request.POST.get("action", "")
    forms = _forms(request, action)
    if request.method == "POST" and _act(request, investigation, action, forms):
        messages.success(request, _("Saved."))
        return redirect("audits:investigation", pk=investigation.pk)
    case = Case.objects.filter(investigation=investigation).first()
    return render(
        request,
        "audits/investigation.html",
        {
            "workspace": "audit",
            "investigation": investigation,
            "app": investigation.application,
            "case": case,
            "trail": selectors.events_of([investigation, case]),
            "may_decide": request.user.role in cases.DECIDERS,
            **forms,
        },
    )
