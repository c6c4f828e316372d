from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from accounts.scope import Workspace

from . import selectors
from .calendar import due_date
from .forms import FIRST_YEAR, LAST_YEAR, DueDateForm


@login_required
def calendar_page(request):
    """The year's holidays and adjusted working days, and a due-date calculator, for officials."""
    if not request.user.is_official:
        raise PermissionDenied(gettext("Only officials use the working-day calendar."))
    year = _year(request.GET.get("year"))
    form = DueDateForm(request.GET if "start" in request.GET else None)
    due = due_date(form.cleaned_data["start"], form.cleaned_data["working_days"]) if form.is_valid() else None
    context = {
        "workspace": Workspace.OFFICE,
        "year": year,
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
        "calendar_year": selectors.calendar_year(year=year),
        "special_days": selectors.special_days(year=year),
        "form": form,
        "due": due,
    }
    return render(request, "workdays/calendar.html", context)


def _year(text: str | None) -> int:
    """The year asked for, or this year when it is missing or out of range."""
    try:
        year = int(text or "")
    except ValueError:
        return timezone.localdate().year
    return year if FIRST_YEAR <= year <= LAST_YEAR else timezone.localdate().year
