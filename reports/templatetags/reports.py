from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def is_number(value) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


@register.filter
def figure(value) -> str:
    """Money with two decimals and thousands separators, counts with separators."""
    if isinstance(value, Decimal):
        return intcomma(f"{value:.2f}", use_l10n=False)
    return intcomma(value, use_l10n=False)


@register.filter
def css_string(value) -> str:
    """Text for a CSS string literal ("..."), e.g. a page footer's content."""
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
