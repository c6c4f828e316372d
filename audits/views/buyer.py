from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.scope import Workspace, ensure_may_enter

from .. import services
from ..errors import AuditError
from ..forms import RemarkForm
from ..models import ControlReport


@login_required
def report(request, pk):
    """The buyer reads the control report of a check of their machine and may add remarks."""
    ensure_may_enter(request.user, Workspace.APPLY)
    found = (
        ControlReport.objects.select_related("task__application__product__item", "task__application__buyer")
        .filter(pk=pk, task__application__buyer=request.user)
        .first()
    )
    if found is None or not found.conclusion:
        raise Http404
    form = RemarkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_remark(report_id=found.pk, buyer=request.user, text=form.cleaned_data["text"])
        except AuditError as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(request, _("Your remarks are added to the record."))
            return redirect("audits_buyer:report", pk=found.pk)
    return render(request, "audits/buyer_report.html", {"report": found, "app": found.task.application, "form": form})
