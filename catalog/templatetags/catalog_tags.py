from decimal import Decimal

from django import template

from catalog.money import format_yuan

register = template.Library()


@register.filter
def yuan(value):
    """¥12,345.00; an empty value stays empty."""
    if value is None or value == "":
        return ""
    return f"¥{format_yuan(value)}"


@register.filter
def percent(value):
    """0.3000 as 30%, 0.125 as 12.5%."""
    if value is None or value == "":
        return ""
    return f"{(Decimal(value) * 100).normalize():f}%"
