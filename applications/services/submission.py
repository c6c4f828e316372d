"""The buyer submits (R5, R11, R16, R19, R24, R26–R31, R39, R41) and may withdraw before payment (R39)."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, override

from accounts.models import BuyerKind
from catalog.models import LimitKind
from catalog.money import yuan
from catalog.rules import rules_in_force
from catalog.selectors import may_name_product, qualification, snapshot_for
from notifications.services import language_for
from payments.services import funds
from payments.services import submission as submission_hooks

from .. import deadlines, hooks
from ..commitment import commitment_letter
from ..errors import ApplicationError
from ..messages import subsidy_text, tell_buyer
from ..models import Application, EventAction, Step, Warning
from ..rules import cash_flagged
from ..transitions import require_state, transition
from ..workflow import WITHDRAWABLE, State
from .common import local_today, own
from .drafts import missing_for_submission

#: What a submission writes besides its state: the letter as signed, the snapshot and the amounts (R29, R41).
SUBMISSION_FIELDS = (
    "commitment_version",
    "commitment_text",
    "commitment_signed_at",
    "snapshot",
    "central_amount",
    "municipal_amount",
    "district_amount",
    "total_amount",
    "year",
    "number",
)


def tonnes(value: Decimal) -> str:
    """1200.50 → "1200.5", 100.00 → "100": a weight as people write it."""
    return format(value.normalize(), "f")


def minimum_supply(*, on: date) -> Decimal | None:
    """R5: the municipality's minimum annual supply to Beijing from a base outside it, once published (a row)."""
    return rules_in_force(on=on).limit(LimitKind.OUTSIDE_BASE_MIN_SUPPLY)


def _check_submission(application: Application, today: date) -> None:
    missing = missing_for_submission(application)
    if missing:
        raise ApplicationError(
            _("Please complete: %(missing)s.") % {"missing": "、".join(str(m) for m in missing)}, rule="R29"
        )
    if application.outside_base and application.buyer.buyer_kind == BuyerKind.INDIVIDUAL:
        raise ApplicationError(_("Only an organisation may apply for equipment at a base outside Beijing."), rule="R5")
    minimum = minimum_supply(on=today)
    if application.outside_base and minimum is not None and application.annual_supply_tonnes < minimum:
        raise ApplicationError(
            _(
                "A base outside Beijing must supply at least %(minimum)s tonnes of produce to Beijing a year; "
                "%(declared)s tonnes are declared."
            )
            % {"minimum": tonnes(minimum), "declared": tonnes(application.annual_supply_tonnes)},
            rule="R5",
        )
    if application.purchase_date > today:
        raise ApplicationError(_("The purchase date is in the future."), rule="R29")
    decision = may_name_product(product=application.product, on=today)
    if not decision:
        raise ApplicationError(decision.reason, rule="R27" if application.product.closed else "R26")
    qualified = qualification(
        product=application.product, produced_on=application.production_date, bought_on=application.purchase_date
    )
    if not qualified:
        raise ApplicationError(" ".join(str(r) for r in qualified.reasons), rule=qualified.rule)
    taken = (
        Application.objects.filter(manufacturer_id=application.manufacturer_id, serial_key=application.serial_key)
        .exclude(state__in=[State.DRAFT, State.WITHDRAWN, State.REJECTED])
        .exclude(pk=application.pk)
    )
    if taken.exists():
        raise ApplicationError(_("A machine with this factory serial number has already been applied for."), rule="R11")
    hooks.run_checks(application, on=today)  # issue 11: a buyer barred by a decided violation case (R39)


def _raise_warnings(application: Application) -> None:
    if cash_flagged(application.payment_method, application.invoice_price):
        Warning.objects.get_or_create(
            application=application,
            code="cash_over_5000",
            cleared_at=None,
            # The English source text is stored, and translated where it is shown.
            defaults={"rule": "R28", "message": gettext_noop("Paid in cash above 5,000 yuan.")},
        )


def _sign_and_snapshot(application: Application, *, buyer, on: date, year: int) -> str:
    """The commitment letter as signed (in the buyer's language), and what applied today: the catalogue, the amounts
    by fund source and the buyer's cap (R16, R24, R29, R41). Returns the letter's version."""
    with override(language_for(buyer)):
        version, text = commitment_letter()
    snapshot = snapshot_for(grade=application.product.grade, on=on)
    amounts = {fund: yuan(a["amount"]) for fund, a in snapshot["amounts"].items()}
    application.commitment_version, application.commitment_text = version, text
    application.commitment_signed_at = timezone.now()
    application.snapshot = snapshot
    application.central_amount = amounts.get("central", Decimal("0.00"))
    application.municipal_amount = amounts.get("municipal", Decimal("0.00"))
    application.district_amount = amounts.get("district", Decimal("0.00"))
    application.total_amount = sum(amounts.values(), Decimal("0.00"))
    application.year = year
    application.snapshot["buyer_cap"] = submission_hooks.check_submission(application, on=on)  # R16, R24
    if not application.number:
        application.number = f"{on.year}-{application.district.code}-{application.pk:07d}"
    return version


def _tell_submitted(application: Application, *, on: date) -> None:
    if application.state == State.PREREGISTERED:
        tell_buyer(
            application,
            gettext_lazy("Application %(number)s pre-registered"),
            gettext_lazy(
                "The district's subsidy funds are used up for now. Your application is entered as a "
                "pre-registration and goes to the district in order of entry when funds arrive. "
                "%(subsidy)s"
            ),
            subsidy=subsidy_text(application),
        )
        return
    deadlines.start(application, Step.ACCEPT, on=on)
    tell_buyer(
        application,
        gettext_lazy("Application %(number)s submitted"),
        gettext_lazy("The district will accept it or tell you what to amend within 2 working days."),
    )


def submit_application(*, application_id: int, buyer, accept_commitment: bool) -> Application:
    """Sign the commitment letter (R29) and submit. Only a violation may stop a submission (R39): a closed or
    unpublished product (R26, R27), an unqualified one (R10, R12, R13), a serial number already applied for
    (R11). The catalogue, amounts and rules in force today are stored with the application (R41)."""
    if not accept_commitment:
        raise ApplicationError(_("Read the commitment letter and tick the box to sign it."), rule="R29")
    today = local_today()
    try:
        with transaction.atomic():
            # R1, R37: the open subsidy year of submission. Its lock is taken before any row lock, as the year end
            # takes it, so a submission and the year end cannot wait on each other.
            year = submission_hooks.subsidy_year_on(today)
            application = own(application_id, buyer)
            require_state(application, State.DRAFT, State.RETURNED)
            _check_submission(application, today)
            version = _sign_and_snapshot(application, buyer=buyer, on=today, year=year)
            resubmitting = application.state == State.RETURNED

            def after_state_change():
                _raise_warnings(application)
                hooks.run_after_submission(application)  # issue 11: the warning signs of R38 (never a refusal)
                submission_hooks.on_submission(application, actor=buyer)  # R19 alert; R31 pre-registration

            transition(
                application,
                "resubmit" if resubmitting else "submit",
                action=EventAction.RESUBMIT if resubmitting else EventAction.SUBMIT,
                actor=buyer,
                also_save=SUBMISSION_FIELDS,
                then=after_state_change,
                data={
                    "commitment_version": version,
                    "total": str(application.total_amount),
                    "grade": application.snapshot["grade"]["name"],
                    "catalogue_on": application.snapshot["on"],
                },
            )
            _tell_submitted(application, on=today)
    except IntegrityError as exc:  # the database's word on R11, for two submissions racing
        raise ApplicationError(
            _("A machine with this factory serial number has already been applied for."), rule="R11"
        ) from exc
    return application


def withdraw_application(*, application_id: int, buyer, reason: str = "") -> Application:
    """R39: the buyer may withdraw any application before payment (not while it is under investigation)."""
    with transaction.atomic():
        application = own(application_id, buyer)
        require_state(application, *WITHDRAWABLE)
        transition(
            application,
            "withdraw",
            action=EventAction.WITHDRAW,
            actor=buyer,
            reason=reason,
            then=lambda: funds.release(application, actor=buyer, reason="withdrawn"),
            end=True,
        )
    return application
