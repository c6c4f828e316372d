"""Money is Decimal, quantised to 0.01 yuan with ROUND_HALF_UP, in this one helper."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def yuan(value) -> Decimal:
    """``value`` as an exact amount of yuan (never via float)."""
    if isinstance(value, float):
        value = repr(value)
    return Decimal(str(value).replace(",", "").strip()).quantize(CENT, rounding=ROUND_HALF_UP)


def format_yuan(value) -> str:
    """12,345.00: two decimals and thousands separators, for messages and pages."""
    return f"{Decimal(value):,.2f}"
