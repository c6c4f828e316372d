"""Working-day (工作日) arithmetic on the calendar in the database.

A day is a working day unless it is a Saturday or Sunday, except where a confirmed year says otherwise: its
holidays are weekdays off and its adjusted working days (调休) are weekends worked. A year that is not confirmed
(or has no row) counts weekends only; results that span such years name them, so pages and commands can warn.

The day something is received is day 0; "within N working days" ends on the Nth working day after it.
Each public function reads the special days of all the years it needs in one query.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .models import CalendarYear, DayKind

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class DueDate:
    """A due date, with the years on the way whose calendar is not confirmed (counted as weekends only)."""

    start: datetime.date
    working_days: int
    date: datetime.date
    unconfirmed_years: tuple[int, ...]


class Calendar:
    """The special days of confirmed years, loaded a range of years per query as the arithmetic needs them."""

    def __init__(self):
        # year -> (holidays, workdays) for a confirmed year, None for a year that is not confirmed.
        self._years: dict[int, tuple[frozenset, frozenset] | None] = {}

    def load(self, first: int, last: int) -> None:
        missing = [year for year in range(first, last + 1) if year not in self._years]
        if not missing:
            return
        found: dict[int, tuple[set, set]] = {}
        rows = CalendarYear.objects.filter(year__in=missing, confirmed=True).values_list(
            "year", "special_days__date", "special_days__kind"
        )
        for year, day, kind in rows:
            holidays, workdays = found.setdefault(year, (set(), set()))
            if day is not None:
                (holidays if kind == DayKind.HOLIDAY else workdays).add(day)
        for year in missing:
            self._years[year] = (frozenset(found[year][0]), frozenset(found[year][1])) if year in found else None

    def is_working_day(self, day: datetime.date) -> bool:
        self.load(day.year, day.year)
        special = self._years[day.year]
        if special is not None:
            holidays, workdays = special
            if day in holidays:
                return False
            if day in workdays:
                return True
        return day.weekday() < 5

    def add(self, start: datetime.date, n: int) -> datetime.date:
        if n < 0:
            raise ValueError("the number of working days cannot be negative")
        # n working days rarely take more than 2n + 30 calendar days; later years are loaded if they do.
        self.load(start.year, (start + datetime.timedelta(days=2 * n + 30)).year)
        day = start
        while n:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def between(self, a: datetime.date, b: datetime.date) -> int:
        if b < a:
            return -self.between(b, a)
        self.load(a.year, b.year)
        return sum(self.is_working_day(a + datetime.timedelta(days=i)) for i in range(1, (b - a).days + 1))

    def unconfirmed_years(self, first: datetime.date, last: datetime.date) -> tuple[int, ...]:
        first, last = min(first, last), max(first, last)
        self.load(first.year, last.year)
        return tuple(year for year in range(first.year, last.year + 1) if self._years[year] is None)


def is_working_day(day: datetime.date) -> bool:
    return Calendar().is_working_day(day)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The Nth working day after ``start`` (day 0); ``start`` itself when N is 0."""
    return Calendar().add(start, n)


def set_days_left(rows, attr: str, *, on: datetime.date | None = None) -> tuple[int, ...]:
    """ "Working days left", in one place: set ``days_left`` on each row (working days from ``on``, today by
    default, to the date in ``attr``; negative when overdue; None without a date), reading the calendar of the years
    needed in one query. Returns the years among them whose calendar is not confirmed, for the page to say so."""
    today = on or timezone.localdate()
    dues = [getattr(row, attr) for row in rows if getattr(row, attr)]
    calendar = Calendar()
    unconfirmed: tuple[int, ...] = ()
    if dues:
        first, last = min([today, *dues]), max([today, *dues])
        calendar.load(first.year, last.year)
        unconfirmed = calendar.unconfirmed_years(first, last)
    for row in rows:
        due = getattr(row, attr)
        row.days_left = calendar.between(today, due) if due else None
    return unconfirmed


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """How many working days lie in (a, b]; negative when ``b`` is before ``a``."""
    return Calendar().between(a, b)


def unconfirmed_years(first: datetime.date, last: datetime.date) -> tuple[int, ...]:
    """The years from ``first`` to ``last`` whose calendar is not confirmed."""
    return Calendar().unconfirmed_years(first, last)


def due_date(start: datetime.date, n: int) -> DueDate:
    """When something received on ``start`` is due within N working days, and which years were unconfirmed."""
    calendar = Calendar()
    due = calendar.add(start, n)
    return DueDate(start=start, working_days=n, date=due, unconfirmed_years=calendar.unconfirmed_years(start, due))
