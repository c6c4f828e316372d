"""Sampling runs for the municipal bureau and the district offices: draw one, list them, read one's figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.models import District, Role
from accounts.scope import Workspace, audit_scoped, get_or_404, may_enter

from .. import selectors
from ..errors import AuditError
from ..forms import DrawForm
from ..sampling import draw_run


def _enter(request) -> None:
    if not (may_enter(request.user, Workspace.AUDIT) or may_enter(request.user, Workspace.OFFICE)):
        raise PermissionDenied(_("Your role does not work in this area."))


@login_required
def run_list(request):
    _enter(request)
    may_draw = request.user.role in (Role.CITY_AGRICULTURE, Role.DISTRICT_AGRICULTURE)
    return render(
        request,
        "audits/runs.html",
        {"workspace": "audit", "runs": selectors.runs_for(request.user)[:200], "may_draw": may_draw},
    )


@login_required
def run_new(request):
    _enter(request)
    if request.user.role not in (Role.CITY_AGRICULTURE, Role.DISTRICT_AGRICULTURE):
        raise PermissionDenied(
            _("Only the municipal bureau or the district's agriculture office draws a sampling run.")
        )
    districts = audit_scoped(request.user, District.objects.filter(active=True), district=None)
    form = DrawForm(request.POST or None, districts=districts, runs=selectors.runs_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = draw_run(by=request.user, **data)
        except AuditError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Run %(n)s drawn.") % {"n": run.number})
            return redirect("audits:run", pk=run.pk)
    return render(request, "audits/run_new.html", {"workspace": "audit", "form": form})


@login_required
def run_detail(request, pk):
    _enter(request)
    run = get_or_404(selectors.runs_for(request.user), pk=pk)
    from ..effectiveness import figures

    return render(request, "audits/run.html", {"workspace": "audit", "run": run, "figures": figures(run)})
