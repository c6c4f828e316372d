"""``{% load workdays %}``: the unconfirmed-calendar warning and dates shown with their weekday."""

from django import template
from django.utils import dateformat

register = template.Library()


@register.inclusion_tag("workdays/_unconfirmed.html")
def unconfirmed_warning(years):
    """Warn that the calendar of these years is not confirmed; renders nothing for no years.

    ``{% unconfirmed_warning result.unconfirmed_years %}`` with a ``DueDate`` or a clock's state.
    """
    return {"years": ", ".join(str(year) for year in years), "count": len(years)}


@register.filter
def with_weekday(day):
    """2026-10-09 星期五 (the weekday in the active language)."""
    if not day:
        return ""
    return dateformat.format(day, "Y-m-d l")
