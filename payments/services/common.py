"""What the money services share: zero, today, and the two checks of what was typed (a reason, an amount)."""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.money import yuan

from ..errors import PaymentError

ZERO = Decimal("0.00")
RATIO_ALERT = "ratio_alert"  # R19: the warning's code


def local_today() -> date:
    return timezone.localdate()


def required_reason(reason: str, rule: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise PaymentError(_("Give the reason; it is kept on record."), rule=rule)
    return reason


def positive(amount) -> Decimal:
    amount = yuan(amount)
    if amount <= 0:
        raise PaymentError(_("The amount must be more than zero."), rule="R21")
    return amount
