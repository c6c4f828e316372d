"""Reading the calendar for pages. The calendar is not personal data: every official may read all of it."""

from .models import CalendarYear, SpecialDay


def calendar_year(*, year: int) -> CalendarYear | None:
    return CalendarYear.objects.select_related("confirmed_by").filter(year=year).first()


def special_days(*, year: int) -> list[SpecialDay]:
    return list(SpecialDay.objects.filter(calendar_year__year=year).order_by("date"))
