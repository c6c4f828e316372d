"""The auditor's work on /audit/: the task list by due date, the task with its control report, the print."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..errors import AuditError
from ..forms import ReportForm
from ..models import ControlReport, ReportPhoto, TaskState
from .common import PAGE_SIZE, enter


@login_required
def task_list(request):
    """/audit/: the tasks of the auditor's districts, next due first (R38)."""
    enter(request)
    state = request.GET.get("state", "")
    if state not in TaskState.values:
        state = ""
    page = Paginator(selectors.tasks_for(request.user, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audits/tasks.html",
        {"workspace": "audit", "page": page, "states": TaskState.choices, "state": state},
    )


def _report_of(task):
    try:
        return task.report
    except ControlReport.DoesNotExist:
        return None


@login_required
def task_detail(request, pk):
    enter(request)
    task = selectors.task_for(request.user, pk=pk)
    report = _report_of(task)
    form = ReportForm(request.POST or None, request.FILES or None, instance=report)
    if request.method == "POST" and task.state != TaskState.CONCLUDED and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.REPORT_FIELDS}
        try:
            services.record_report(
                task_id=task.pk,
                auditor=request.user,
                conclusion=form.cleaned_data["conclusion"],
                photos=form.cleaned_data["photos"],
                **fields,
            )
        except AuditError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The control report is saved."))
            return redirect("audits:task", pk=task.pk)
    return render(
        request,
        "audits/task.html",
        {"workspace": "audit", "task": task, "report": report, "form": form, "app": task.application},
    )


@login_required
def task_print(request, pk):
    enter(request)
    task = selectors.task_for(request.user, pk=pk)
    return render(
        request,
        "audits/task_print.html",
        {"task": task, "report": _report_of(task), "app": task.application},
    )


@login_required
def photo(request, pk):
    enter(request)
    found = ReportPhoto.objects.filter(pk=pk).select_related("report__task").first()
    if found is None:
        raise Http404
    selectors.task_for(request.user, pk=found.report.task_id)  # 404 outside the auditor's districts
    return FileResponse(found.file.open("rb"), content_type=found.content_type)
