"""Dashboards: the municipal bureaus see the city (or one district with ?district=), a district's officials their
own district. Charts are SVG drawn on the server, each with an accessible table beside it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.scope import districts_for, ensure_may_enter, get_or_404, sees_all_districts

from . import charts
from .dashboard import dashboard
from .summaries import statuses


def dashboard_page(request, workspace: str):
    ensure_may_enter(request.user, workspace)
    districts = districts_for(request.user)
    chosen = None
    if request.GET.get("district") and sees_all_districts(request.user):
        chosen = get_or_404(districts, code=request.GET["district"])
        districts = districts.filter(pk=chosen.pk)
    data = dashboard(districts)
    context = {
        "workspace": workspace,
        "data": data,
        "chosen": chosen,
        "all_districts": list(districts_for(request.user)) if sees_all_districts(request.user) else [],
        "states_chart": charts.states_chart(data["states"]),
        "money_chart": charts.money_chart(data["money"]),
    }
    if sees_all_districts(request.user):  # R44: districts whose summary is overdue after 30 November
        context["summaries_overdue"] = [r["district"].name for r in statuses(year=data["year"]) if r["overdue"]]
    return render(request, "reports/dashboard.html", context)


def bound(workspace: str):
    view = login_required(lambda request: dashboard_page(request, workspace))
    view.__name__ = f"{workspace}_dashboard"
    return view
