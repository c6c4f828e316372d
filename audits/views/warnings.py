from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .. import selectors
from ..models import Sign
from .common import PAGE_SIZE, enter


@login_required
def warning_list(request):
    """The auditor's list of warning signs (R38), in plain words with their figures, newest first."""
    enter(request)
    sign = request.GET.get("sign", "")
    if sign not in Sign.values:
        sign = ""
    page = Paginator(selectors.warnings_for(request.user, sign=sign), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audits/warnings.html",
        {"workspace": "audit", "page": page, "signs": Sign.choices, "sign": sign},
    )
