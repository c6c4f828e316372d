"""Monthly reports in /office/ and /finance/: the list, one report with its versions, downloads, and for the
municipal bureaus generation on demand and corrections. Thin: scope and look-up in the selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import CITY_ROLES
from accounts.scope import ensure_may_enter

from . import selectors, services
from .errors import ReportError
from .forms import CorrectionForm, MonthForm
from .tables import tables

CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _enter(request, workspace: str) -> None:
    ensure_may_enter(request.user, workspace)


def _is_city(user) -> bool:
    return user.role in CITY_ROLES


def report_list(request, workspace: str):
    _enter(request, workspace)
    page = Paginator(selectors.reports_for(request.user), 50).get_page(request.GET.get("page"))
    context = {"workspace": workspace, "page": page, "rows": page.object_list, "is_city": _is_city(request.user)}
    context["form"] = MonthForm() if context["is_city"] else None
    return render(request, "reports/list.html", context)


def report_detail(request, workspace: str, pk: int):
    _enter(request, workspace)
    report = selectors.report_for(request.user, pk)
    context = {
        "workspace": workspace,
        "report": report,
        "versions": list(selectors.versions_of(report)),
        "tables": tables(report.figures),
        "is_city": _is_city(request.user),
        "correction_form": CorrectionForm() if _is_city(request.user) else None,
    }
    return render(request, "reports/detail.html", context)


def report_file(request, workspace: str, pk: int, kind: str):
    _enter(request, workspace)
    if kind not in CONTENT_TYPES:
        raise Http404
    report = selectors.report_for(request.user, pk)
    content = bytes(getattr(report, kind))
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{report.file_stem}.{kind}"'
    response["X-Content-SHA256"] = getattr(report, f"{kind}_sha256")
    return response


@require_POST
def generate(request, workspace: str):
    _enter(request, workspace)
    if not _is_city(request.user):
        return HttpResponse(status=403)
    form = MonthForm(request.POST)
    if not form.is_valid():
        page = Paginator(selectors.reports_for(request.user), 50).get_page(1)
        context = {"workspace": workspace, "page": page, "rows": page.object_list, "is_city": True, "form": form}
        return render(request, "reports/list.html", context, status=400)
    month = form.cleaned_data["month"]
    created = services.generate_month(month=month, by=request.user)
    messages.success(
        request,
        _("%(n)s reports generated for %(month)s; those that existed are unchanged.")
        % {"n": len(created), "month": month.label},
    )
    return redirect(f"reports:{workspace}_list")


@require_POST
def correct(request, workspace: str, pk: int):
    _enter(request, workspace)
    report = selectors.report_for(request.user, pk)
    if not _is_city(request.user):
        return HttpResponse(status=403)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            new = services.correct_report(report_id=report.pk, by=request.user, reason=form.cleaned_data["reason"])
        except ReportError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("Version %(v)s saved; the earlier versions stay readable.") % {"v": new.version}
            )
            return redirect(f"reports:{workspace}_report", new.pk)
    else:
        messages.error(request, _("Say why the report is corrected."))
    return redirect(f"reports:{workspace}_report", report.pk)


def _bind(view, workspace: str):
    wrapped = login_required(lambda request, **kw: view(request, workspace, **kw))
    wrapped.__name__ = f"{workspace}_{view.__name__}"
    return wrapped


VIEWS = {"list": report_list, "report": report_detail, "file": report_file, "generate": generate, "correct": correct}


def bound(name: str, workspace: str):
    return _bind(VIEWS[name], workspace)
