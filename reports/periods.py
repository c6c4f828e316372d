"""The month a report covers, with its year to date, and its working days from the ``workdays`` calendar."""

import calendar as month_calendar
import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from workdays.calendar import Calendar


def _aware(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


class Moments:
    """The half-open moments [start, end) in Beijing time of a stretch of days ``first``..``last``, for timestamps."""

    @property
    def start(self) -> datetime.datetime:
        return _aware(self.first)

    @property
    def end(self) -> datetime.datetime:
        return _aware(self.last + datetime.timedelta(days=1))


@dataclass(frozen=True)
class Month(Moments):
    year: int
    month: int

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def last(self) -> datetime.date:
        return datetime.date(self.year, self.month, month_calendar.monthrange(self.year, self.month)[1])

    @property
    def year_first(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def year_start(self) -> datetime.datetime:
        return _aware(self.year_first)

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def previous(self) -> "Month":
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def is_past(self, today: datetime.date | None = None) -> bool:
        return self.last < (today or timezone.localdate())

    def working_days(self, calendar: Calendar | None = None) -> int:
        """Working days in the month, holidays and 调休 counted (the calendar's arithmetic: days in (a, b])."""
        calendar = calendar or Calendar()
        return calendar.between(self.first - datetime.timedelta(days=1), self.last)

    @classmethod
    def parse(cls, text: str) -> "Month":
        year, month = (int(part) for part in text.split("-"))
        if not 1 <= month <= 12 or not 2000 <= year <= 2100:
            raise ValueError(text)
        return cls(year, month)


def first_working_day(year: int, month: int, calendar: Calendar | None = None) -> datetime.date:
    calendar = calendar or Calendar()
    day = datetime.date(year, month, 1)
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


@dataclass(frozen=True)
class Span(Moments):
    """Any stretch of days [first, last], with the same moments as a ``Month`` (for the overtime page)."""

    first: datetime.date
    last: datetime.date

    @property
    def label(self) -> str:
        return f"{self.first.isoformat()} – {self.last.isoformat()}"
