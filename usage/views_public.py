"""The public list of the year's pilot kinds of the application subsidy and their targets (/public/usage/, R20)."""

from django.shortcuts import render
from django.utils import timezone

from accounts.scope import Workspace
from core.inputs import plain_int

from . import selectors


def pilot_kinds(request):
    year = plain_int(request.GET.get("year"), digits=4) or timezone.localdate().year
    context = {"year": year, "pilots": selectors.pilot_kinds(year), "workspace": Workspace.PUBLIC}
    return render(request, "usage/public/pilot_kinds.html", context)
