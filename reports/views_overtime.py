"""The overtime page (超时办理, R40): per district for a chosen stretch of days, sortable, as XLSX, and the periodic
notice (通报) as a PDF. The municipal bureaus see every district; a district's officials their own."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scope import districts_for, ensure_may_enter

from . import charts, labels, pdf, xlsx
from .overtime import SORTS, overtime
from .periods import Span
from .tables import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SpanForm(forms.Form):
    first = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput({"type": "date"}))
    last = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput({"type": "date"}))
    sort = forms.ChoiceField(choices=[(k, k) for k in SORTS], required=False)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        data["first"] = data.get("first") or today.replace(day=1)
        data["last"] = data.get("last") or today
        if data["last"] < data["first"]:
            raise forms.ValidationError(_("The end of the period is before its start."))
        if (data["last"] - data["first"]).days > 731:
            raise forms.ValidationError(_("Choose a period of at most two years."))
        return data


def _defaults() -> dict:
    today = timezone.localdate()
    return {"first": today.replace(day=1), "last": today, "sort": ""}


def overtime_tables(result) -> list[Table]:
    head = [_("District"), _("Met"), _("Late"), _("Working days over"), _("Open past due"),
            _("Their working days over"), _("On time (%)")]  # fmt: skip
    districts = Table("districts", _("Overtime by district"), head)
    for r in result["districts"]:
        rate = r["rate"] if r["rate"] is not None else "—"
        districts.add(r["name"], r["met"], r["late"], r["days_over"], r["open_past_due"], r["open_days_over"], rate)
    head = [str(h) for k, h in labels.LATE_COLUMNS if k != "held_by"]
    cases = Table("cases", _("Late and overdue cases"), head)
    for c in result["cases"]:
        cases.add(c["number"], c["district"], labels.step_label(c["step"], c["working_days"]), c["due_on"].isoformat(),
                  c["met_on"].isoformat() if c["met_on"] else _("still open"), c["days_over"],
                  str(labels.OFFICE_LABELS[c["office"]]))  # fmt: skip
    trend = Table("trend", _("Month by month"), [_("Month"), _("Met"), _("Late")])
    for t in result["trend"]:
        trend.add(t["month"], t["met"], t["late"])
    return [districts, cases, trend]


def _files(request, result, kind: str) -> HttpResponse:
    stem = f"overtime-{result['span'].first.isoformat()}-{result['span'].last.isoformat()}"
    with translation.override("zh-hans"):
        layout = overtime_tables(result)
        now = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        cover = [(_("Period"), result["span"].label), (_("Generated at"), now)]
        if kind == "xlsx":
            content, ctype = xlsx.workbook(layout, cover), XLSX
        else:
            chart = charts.overtime_chart(result)
            title = _("Notice of overtime cases by district, %(period)s") % {"period": result["span"].label}
            context = {"title": title, "tables": layout, "charts": [chart], "span": result["span"],
                       "totals": result["totals"], "footer": title, "empty": _("None"),
                       "generated_at": cover[1][1]}  # fmt: skip
            content, ctype = pdf.render("reports/overtime_pdf.html", context), "application/pdf"
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{kind}"'
    return response


def overtime_page(request, workspace: str):
    ensure_may_enter(request.user, workspace)
    form = SpanForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "reports/overtime.html", {"workspace": workspace, "form": form}, status=400)
    data = form.cleaned_data if request.GET else _defaults()
    result = overtime(Span(data["first"], data["last"]), districts_for(request.user), sort=data.get("sort") or "")
    kind = request.GET.get("format")
    if kind in ("xlsx", "pdf"):
        return _files(request, result, kind)
    context = {"workspace": workspace, "form": form, "result": result, "sort": data.get("sort") or "district",
               "query": request.GET.urlencode(), "chart": charts.overtime_chart(result)}  # fmt: skip
    return render(request, "reports/overtime.html", context)


def bound(workspace: str):
    view = login_required(lambda request: overtime_page(request, workspace))
    view.__name__ = f"{workspace}_overtime"
    return view
