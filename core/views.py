from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import District
from accounts.scope import Workspace, ensure_may_enter, home_url


def home(request):
    """Everyone lands on their own workspace; the public lands on the public pages."""
    return redirect(home_url(request.user))


def public(request):
    """The programme in brief, and what each district publishes (R25): its telephones and its rules in force."""
    from applications.rules import district_rules_on

    districts = list(District.objects.filter(active=True))
    rules = district_rules_on(districts, timezone.localdate())
    rows = [(district, rules[district.pk]) for district in districts]
    return render(request, "core/public.html", {"districts": districts, "rows": rows, "workspace": Workspace.PUBLIC})


def _workspace_view(workspace: str, template: str):
    @login_required
    def view(request):
        ensure_may_enter(request.user, workspace)
        return render(request, template, {"workspace": workspace})

    view.__name__ = f"{workspace}_home"
    return view


@login_required
def office_home(request):
    """The office's day at a glance: what to accept, verify, publish, hand over, and what is overdue, each count
    linking to the queue filtered to those rows (applications.today)."""
    from applications.today import office_today

    ensure_may_enter(request.user, Workspace.OFFICE)
    return render(request, "core/office.html", {"workspace": Workspace.OFFICE, "today": office_today(request.user)})


@login_required
def finance_home(request):
    """Finance's day at a glance: requests to pay and overdue, batches to approve, return files awaited."""
    from payments.today import finance_today

    ensure_may_enter(request.user, Workspace.FINANCE)
    return render(request, "core/finance.html", {"workspace": Workspace.FINANCE, "today": finance_today(request.user)})


audit_home = _workspace_view(Workspace.AUDIT, "core/audit.html")
filing_home = _workspace_view(Workspace.FILING, "core/filing.html")


@never_cache
@require_GET
def health(request):
    """For load balancers and the production-shape test: the process answers and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})
