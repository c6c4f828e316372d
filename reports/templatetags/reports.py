import base64
from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.safestring import mark_safe

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


@register.filter
def svg_image(svg: str) -> str:
    """A chart on a page, as an image of its own: the SVG keeps its styles, which the page's Content-Security-Policy
    (no inline style) would refuse inside the page itself. The PDF draws the SVG inline."""
    encoded = base64.b64encode(svg.encode()).decode()
    return mark_safe(f'<img src="data:image/svg+xml;base64,{encoded}" alt="">')  # the table beside it says it all
