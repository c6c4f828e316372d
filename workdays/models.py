"""The working-day calendar (工作日历) as data: per year, the days that differ from the weekend rule."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import dateformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """One year's 工作日历, entered from the State Council's notice and confirmed by the municipal bureau.

    Until a year is confirmed its special days are ignored and only weekends are days off.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True, help_text=_("The notice the days were taken from."))

    class Meta:
        verbose_name = _("working-day calendar year")
        verbose_name_plural = _("working-day calendar years")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday (weekday off)")
    WORKDAY = "workday", _("Adjusted working day (weekend day worked)")


class SpecialDay(models.Model):
    """A day that breaks the weekend rule: a statutory holiday on a weekday, or a weekend day worked (调休补班)."""

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("calendar year"), on_delete=models.CASCADE, related_name="special_days"
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    note = models.CharField(_("note"), max_length=50, blank=True, help_text=_("For example 国庆节 or 春节调休."))

    class Meta:
        verbose_name = _("special day")
        verbose_name_plural = _("special days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date.isoformat()} {self.get_kind_display()}"


def special_day_error(*, day: datetime.date, kind: str, year: int) -> str:
    """Why ``day`` cannot be a special day of ``kind`` in the calendar of ``year``; empty when it can."""
    values = {"date": day.isoformat(), "weekday": dateformat.format(day, "l"), "year": year}
    if day.year != year:
        return gettext("%(date)s is not in %(year)s.") % values
    if kind == DayKind.HOLIDAY and day.weekday() >= 5:
        return gettext("%(date)s is a %(weekday)s: a weekend day is off anyway, so it cannot be a holiday.") % values
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        return (
            gettext("%(date)s is a %(weekday)s: a weekday is worked anyway, so it cannot be an adjusted working day.")
            % values
        )
    return ""
