"""The hooks the submission calls (R16, R19, R24, R31, R37), in ``submit_application``'s transaction with the
application row locked: the subsidy year it enters, the caps it must fit, and what happens after its state change
(the ratio alert, pre-registration when funds are short). Reservation and release on the later decisions are
``payments.services.funds.reserve`` and ``release``."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from applications.models import Application, Warning
from catalog.models import Grade, LimitKind
from catalog.money import format_yuan
from catalog.rules import rules_in_force

from .. import selectors
from ..errors import PaymentError
from ..models import GradeReview
from .common import RATIO_ALERT, ZERO
from .year_end import subsidy_year_on

__all__ = ["check_submission", "on_submission", "raise_ratio_alert", "subsidy_year_on"]

RATIO_MARGIN = Decimal("0.15")  # R19: percentage points above the grade's calculation ratio
MUNICIPAL_RATIO_ALERT = Decimal("0.50")  # R19


def check_submission(application: Application, *, on: date) -> dict:
    """Refuse a submission above the buyer's annual cap (R24) or a complete set above the central limit (R16).
    Returns what to keep in the application's snapshot: the cap that applied and any lifting rule."""
    cap, lifting = selectors.cap_for(application.buyer, application.district, on)
    granted = selectors.granted_this_year(application.buyer, application.year, excluding=application.pk)
    remaining = max(cap - granted, ZERO)
    if application.total_amount > remaining:
        raise PaymentError(
            _(
                "Above the annual cap: a buyer may receive at most %(cap)s yuan a year; %(granted)s yuan is already "
                "applied for or granted this year, so %(remaining)s yuan remains and this application asks %(asked)s."
            )
            % {
                "cap": format_yuan(cap),
                "granted": format_yuan(granted),
                "remaining": format_yuan(remaining),
                "asked": format_yuan(application.total_amount),
            },
            rule="R24",
        )
    if application.snapshot.get("item", {}).get("is_complete_set"):
        limit = rules_in_force(on=on).limit(LimitKind.COMPLETE_SET_CENTRAL)
        if limit is not None and (application.central_amount or ZERO) > limit:
            raise PaymentError(
                _("Central funds for a complete set are at most %(limit)s yuan a set.") % {"limit": format_yuan(limit)},
                rule="R16",
            )
    return {
        "cap": str(cap),
        "granted_before": str(granted),
        "lifting": {"id": lifting.pk, "document": lifting.document} if lifting else None,
    }


def raise_ratio_alert(application: Application) -> Warning | None:
    """R19: central ÷ invoice price above the grade's calculation ratio + 15 points, or municipal ÷ price above 50%:
    a warning on the application (payment waits until it is cleared) and the grade flagged for re-evaluation."""
    price = application.invoice_price
    if not price:
        return None
    amounts = application.snapshot.get("amounts", {})
    central_ratio = Decimal(amounts.get("central", {}).get("ratio", "0") or "0")
    reasons = []
    central = (application.central_amount or ZERO) / price
    municipal = (application.municipal_amount or ZERO) / price
    if central_ratio and central > central_ratio + RATIO_MARGIN:
        reasons.append(
            _("central funds are %(actual).1f%% of the invoice price; the grade's ratio is %(ratio).1f%%")
            % {"actual": central * 100, "ratio": central_ratio * 100}
        )
    if municipal > MUNICIPAL_RATIO_ALERT:
        reasons.append(_("municipal funds are %(actual).1f%% of the invoice price") % {"actual": municipal * 100})
    if not reasons:
        return None
    message = (_("Ratio alert: %(reasons)s.") % {"reasons": "; ".join(reasons)})[:300]
    warning, _created = Warning.objects.get_or_create(
        application=application, code=RATIO_ALERT, cleared_at=None, defaults={"rule": "R19", "message": message}
    )
    grade_id = application.snapshot.get("grade", {}).get("id")
    if grade_id:
        GradeReview.objects.get_or_create(
            grade=Grade.objects.get(pk=grade_id), application=application, defaults={"reason": message}
        )
    return warning


def on_submission(application: Application, *, actor) -> None:
    """Called by ``submit_application`` after the state change, in its transaction: R19's alert, and R31's
    pre-registration when the funds do not cover the application."""
    raise_ratio_alert(application)
    if not selectors.funds_cover(application):
        application.preregister()
        application.save()
