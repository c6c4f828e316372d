"""The annual summary pages (R44) in /office/summaries/: a district's agriculture office drafts, writes and
submits its own; the municipal agriculture bureau sees the 13 districts' status, reads each as a PDF, and
returns one for amendment."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import CITY_ROLES
from accounts.scope import Workspace, ensure_may_enter, get_or_404, scoped
from core.inputs import plain_int

from . import pdf, summaries
from .errors import ReportError
from .models import AnnualSummary
from .tables import tables

SECTIONS = ("flow", "steps", "funds", "innovation", "progress", "settlement")


class SummaryForm(forms.Form):
    implementation = forms.CharField(label=gettext_lazy("How the year went"), widget=forms.Textarea({"rows": 6}),
                                     max_length=20000, required=False)  # fmt: skip
    pilots = forms.CharField(label=gettext_lazy("Pilots and their results"), widget=forms.Textarea({"rows": 4}),
                             max_length=20000, required=False)  # fmt: skip
    problems = forms.CharField(label=gettext_lazy("Problems and what is planned"),
                               widget=forms.Textarea({"rows": 4}), max_length=20000, required=False)  # fmt: skip


class ReturnForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("What to amend"), widget=forms.Textarea({"rows": 2}), max_length=2000)


def _summary_tables(summary):
    return [t for t in tables(summary.figures) if t.key in SECTIONS]


@login_required
def summary_page(request):
    ensure_may_enter(request.user, Workspace.OFFICE)
    today = timezone.localdate()
    if request.user.role in CITY_ROLES:
        year = plain_int(request.GET.get("year"), digits=4) or today.year
        rows = summaries.statuses(year=year, today=today)
        context = {"workspace": "office", "rows": rows, "year": year, "due": summaries.due_date(year),
                   "return_form": ReturnForm()}  # fmt: skip
        return render(request, "reports/summaries_city.html", context)
    district = request.user.district
    summary = AnnualSummary.objects.filter(district=district, year=today.year).first()
    summary = summary or summaries.draft(district=district, year=today.year)
    form = SummaryForm(initial={"implementation": summary.implementation, "pilots": summary.pilots,
                                "problems": summary.problems})  # fmt: skip
    context = {"workspace": "office", "summary": summary, "form": form, "tables": _summary_tables(summary),
               "due": summaries.due_date(today.year),
               "overdue": summaries.is_overdue(summary.state if summary.pk else None, today.year, today)}  # fmt: skip
    return render(request, "reports/summary_district.html", context)


@login_required
@require_POST
def summary_save(request):
    ensure_may_enter(request.user, Workspace.OFFICE)
    form = SummaryForm(request.POST)
    if not form.is_valid() or request.user.district_id is None:
        return HttpResponse(status=400 if request.user.district_id else 403)
    try:
        summary = summaries.save_text(district=request.user.district, year=timezone.localdate().year,
                                      by=request.user, **form.cleaned_data)  # fmt: skip
        if "submit" in request.POST:
            summaries.submit(summary_id=summary.pk, by=request.user)
            messages.success(request, _("Submitted to the municipal agriculture bureau."))
        else:
            messages.success(request, _("Saved. The figures were drafted again as they stand today."))
    except ReportError as exc:
        messages.error(request, str(exc.message))
    return redirect("reports:summaries")


@login_required
@require_POST
def summary_return(request, pk: int):
    ensure_may_enter(request.user, Workspace.OFFICE)
    summary = get_or_404(scoped(request.user, AnnualSummary.objects.all()), pk=pk)
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            raise ReportError(_("Say what to amend."))
        summaries.return_for_amendment(summary_id=summary.pk, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Returned to the district for amendment."))
    except ReportError as exc:
        messages.error(request, str(exc.message))
    return redirect(f"{reverse('reports:summaries')}?year={summary.year}")


@login_required
def summary_pdf(request, pk: int):
    ensure_may_enter(request.user, Workspace.OFFICE)
    summary = get_or_404(scoped(request.user, AnnualSummary.objects.select_related("district")), pk=pk)
    with translation.override("zh-hans"):
        title = _("%(district)s annual implementation summary, %(year)s") % {
            "district": summary.district.name, "year": summary.year}  # fmt: skip
        context = {"title": title, "summary": summary, "tables": _summary_tables(summary), "footer": title,
                   "empty": _("None")}  # fmt: skip
        content = pdf.render("reports/summary_pdf.html", context)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="summary-{summary.district.code}-{summary.year}.pdf"'
    return response
