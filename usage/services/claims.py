"""The incentive claim (R20): once a machine's year of work meets its targets, the buyer claims in one step (signing
a short commitment that the records are true) or the office starts it. The claim is an ``Application`` of kind
``incentive`` naming the purchase (``incentive_for``), submitted into the district's queue: from there the office's
review, the 5-working-day notice, the hand-over, the batches with four-eyes approval, deferral and claw-back are the
purchase subsidy's own services, unchanged; its ledger entries are of the incentive kind.

It takes nothing of the buyer's annual purchase cap (R24): it is not a purchase subsidy. It carries no factory
serial number of its own, so the once-only serial rule (R11) is the purchase's; a machine earns one incentive (a
database constraint: its year after payment is the only year that counts)."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from accounts import scope
from applications import deadlines
from applications.locks import locked_application
from applications.messages import tell_buyer
from applications.models import Application, EventAction, Kind, State, Step
from applications.services.submission import SUBMISSION_FIELDS
from applications.transitions import transition
from applications.workflow import NOT_LIVE
from audits.models import Investigation
from catalog.money import format_yuan
from notifications.services import language_for
from payments.services import subsidy_year_on

from .. import rules
from ..errors import UsageError

COMMITMENT_VERSION = "usage-2026-1"

#: What the claim stores besides its state: what a purchase's submission stores.
CLAIM_FIELDS = SUBMISSION_FIELDS


def commitment() -> str:
    return _(
        "I claim the application subsidy for this machine and promise that the work records of it are true: the "
        "machine did this work itself, in the places and at the times recorded, and I have not altered a record or "
        "its evidence. If anything is false, the subsidy will be recovered and I accept the consequences under the "
        "law."
    )


def eligibility(machine: Application, *, claim: Application | None = None) -> tuple[object, str]:
    """(progress, "") when the machine may claim now (or, with ``claim``, resubmit that returned claim), else
    (progress or None, the reason)."""
    if machine.kind != Kind.PURCHASE or machine.state not in rules.PAID_STATES:
        return None, _("Only a machine whose purchase subsidy was paid can earn the application subsidy.")
    progress = rules.progress_for(machine)
    if progress is None:
        return None, _("This machine's kind is not a pilot kind of the application subsidy in its year after payment.")
    if Investigation.objects.filter(application=machine, closed_at__isnull=True).exists():
        return progress, _("This machine's purchase subsidy is under investigation.")
    if sum(rules.paid_base(machine).values(), Decimal("0")) <= 0:
        return progress, _("This machine's purchase subsidy was clawed back.")
    if machine.incentives.exclude(state__in=NOT_LIVE).exclude(pk=claim.pk if claim else None).exists():
        return progress, _("The application subsidy has already been claimed for this machine.")
    if not progress.met:
        return progress, _("The work targets are not met yet.")
    return progress, ""


def _price(claim: Application, machine: Application, progress) -> None:
    """The amounts by fund source and what they were computed from (R20, R41)."""
    amounts = rules.incentive_amounts(machine, progress.pilot)
    claim.central_amount = amounts["central"]
    claim.municipal_amount = amounts["municipal"]
    claim.district_amount = amounts["district"]
    claim.total_amount = sum(amounts.values(), Decimal("0.00"))
    claim.snapshot = {
        "on": timezone.localdate().isoformat(),
        "incentive": {
            "pilot": progress.pilot.pk,
            "work_year": progress.year,
            "rate": str(progress.pilot.rate),
            "fund_source": progress.pilot.fund_source,
            "base": {source: str(v) for source, v in rules.paid_base(machine).items()},
            "done": str(progress.done),
            "target": str(progress.target),
            "unit": progress.pilot.volume_unit,
            "measures": [{"name": m.name, "share": str(m.share)} for m in progress.measures],
        },
    }


def _claim(machine: Application, *, actor, signed: bool, note: str = "") -> Application:
    progress, refusal = eligibility(machine)
    if refusal:
        raise UsageError(refusal, rule="R20")
    today = timezone.localdate()
    claim = Application.objects.create(
        kind=Kind.INCENTIVE,
        incentive_for=machine,
        buyer=machine.buyer,
        district=machine.district,
        town=machine.town,
        ground=machine.ground,
        product=machine.product,
        purchase_date=machine.purchase_date,
        payee_name=machine.payee_name,
        bank_name=machine.bank_name,
        account_encrypted=machine.account_encrypted,
        account_index=machine.account_index,
    )
    claim.year = subsidy_year_on(today)
    claim.number = f"{claim.year}-{machine.district.code}-Y{claim.pk:07d}"
    _price(claim, machine, progress)
    if signed:
        with override(language_for(machine.buyer)):
            claim.commitment_text = commitment()
        claim.commitment_version, claim.commitment_signed_at = COMMITMENT_VERSION, timezone.now()
    transition(
        claim,
        "submit",
        action=EventAction.SUBMIT,
        actor=actor,
        reason=note,
        also_save=CLAIM_FIELDS,
        data={"incentive_for": machine.number, "total": str(claim.total_amount), "work_year": progress.year},
    )
    deadlines.start(claim, Step.ACCEPT, on=today)
    tell_buyer(
        claim,
        gettext_lazy("Application subsidy %(number)s submitted"),
        gettext_lazy("%(amount)s yuan is claimed. The district will check the work records within 2 working days."),
        amount=format_yuan(claim.total_amount),
    )
    return claim


def _resubmit(machine: Application, claim: Application, *, buyer) -> Application:
    """A claim the district returned (R30): the records amended, the buyer signs again and it goes back, priced on
    today's records."""
    progress, refusal = eligibility(machine, claim=claim)
    if refusal:
        raise UsageError(refusal, rule="R20")
    claim.year = subsidy_year_on(timezone.localdate())  # a returned application takes its resubmission's year
    _price(claim, machine, progress)
    with override(language_for(machine.buyer)):
        claim.commitment_text = commitment()
    claim.commitment_version, claim.commitment_signed_at = COMMITMENT_VERSION, timezone.now()
    transition(
        claim,
        "resubmit",
        action=EventAction.RESUBMIT,
        actor=buyer,
        also_save=CLAIM_FIELDS,
        data={"total": str(claim.total_amount), "done": str(progress.done)},
    )
    deadlines.start(claim, Step.ACCEPT, on=timezone.localdate())
    return claim


def _locked_purchase(machine_id: int) -> Application:
    machine = locked_application(machine_id)
    if machine.kind != Kind.PURCHASE:
        raise Http404
    return machine


def claim_incentive(*, machine_id: int, buyer, accept_commitment: bool) -> Application:
    """The buyer claims in one step, signing that the records are true (R20, R29); a claim the district returned
    is resubmitted the same way."""
    if not accept_commitment:
        raise UsageError(_("Tick the box to sign that the work records are true."), rule="R20")
    try:
        with transaction.atomic():
            machine = _locked_purchase(machine_id)
            if machine.buyer_id != buyer.pk:
                raise Http404
            returned = machine.incentives.filter(state=State.RETURNED).first()
            if returned is not None:
                return _resubmit(machine, locked_application(returned.pk), buyer=buyer)
            return _claim(machine, actor=buyer, signed=True)
    except IntegrityError as exc:  # two claims at once: the database allows one
        raise UsageError(_("The application subsidy has already been claimed for this machine."), rule="R20") from exc


def start_claim(*, machine_id: int, officer, note: str = "") -> Application:
    """The office starts the claim for a machine of its district whose targets are met (R20)."""
    try:
        with transaction.atomic():
            machine = _locked_purchase(machine_id)
            if not scope.scoped(officer, Application.objects.filter(pk=machine.pk)).exists():
                raise Http404
            scope.ensure_agriculture_office(officer)
            return _claim(machine, actor=officer, signed=False, note=note.strip())
    except IntegrityError as exc:
        raise UsageError(_("The application subsidy has already been claimed for this machine."), rule="R20") from exc
