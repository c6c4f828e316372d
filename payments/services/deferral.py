"""Holding and taking back a payment (R19, R36–R38, R45), district finance's work on one application: clearing a
ratio alert, deferring a payment and resuming it, clawing back a paid subsidy and recording what is recovered."""

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scope
from applications import events
from applications.locks import locked_application
from applications.messages import subsidy_text
from applications.models import Application, EventAction, Warning
from applications.transitions import transition
from applications.workflow import State
from catalog.models import FundSource
from catalog.money import format_yuan

from .. import ledger
from ..errors import PaymentError
from ..models import BatchItem, ClawBack, Deferral, DeferralReason, EntryKind, ItemOutcome
from .common import RATIO_ALERT, ZERO, positive, required_reason


def clear_ratio_alert(*, application_id: int, officer, finding: str) -> Application:
    """R19: the district clears the alert with district finance (who and why recorded); cleared without a violation,
    the application is paid as applied."""
    finding = required_reason(finding, "R19")
    with transaction.atomic():
        application = locked_application(application_id)
        scope.ensure_pays_for(officer, application.district_id)
        warning = (
            Warning.objects.select_for_update()
            .filter(application=application, code=RATIO_ALERT, cleared_at__isnull=True)
            .first()
        )
        if warning is None:
            raise PaymentError(_("This application has no open ratio alert."), rule="R19")
        warning.cleared_at, warning.cleared_by, warning.clear_reason = timezone.now(), officer, finding
        warning.save(update_fields=["cleared_at", "cleared_by", "clear_reason"])
        events.record(
            application,
            action=EventAction.RATIO_CLEARED,
            actor=officer,
            from_state=application.state,
            reason=finding,
            data={"warning": warning.pk},
        )
    return application


def defer(application: Application, *, reason: str, officer, note: str = "", expected: str = "") -> Deferral:
    """The payment waits for ``reason``; its 15 working days wait while the reason holds (R36)."""
    deferral = Deferral.objects.create(application=application, reason=reason, note=note, expected=expected, by=officer)
    transition(
        application,
        "defer_payment",
        action=EventAction.DEFER,
        actor=officer,
        reason=note or str(DeferralReason(reason).label),
        data={"reason": reason, "expected": expected},
        pause=True,
        tell=(
            gettext_lazy("Payment of application %(number)s deferred"),
            gettext_lazy(
                "Why: %(reason)s. %(note)s When it may be paid: %(expected)s. It is paid first when the reason "
                "clears. %(subsidy)s"
            ),
            {
                "reason": DeferralReason(reason).label,
                "note": note,
                "expected": expected or gettext_lazy("as soon as the reason clears"),
                "subsidy": subsidy_text(application),
            },
        ),
    )
    return deferral


def defer_payment(*, application_id: int, officer, reason: str, note: str = "", expected: str = "") -> Deferral:
    """R36: a payment must wait (funds short, investigation, year end): the buyer is told why and when."""
    if reason not in DeferralReason.values:
        raise PaymentError(_("Choose why the payment waits."), rule="R36")
    with transaction.atomic():
        application = locked_application(application_id)
        scope.ensure_pays_for(officer, application.district_id)
        if application.state != State.PAYMENT_REQUESTED:
            raise PaymentError(_("Only a requested payment can be deferred."), rule="R36")
        if BatchItem.objects.filter(application=application, outcome=ItemOutcome.PENDING).exists():
            raise PaymentError(_("It is in a batch with the treasury; wait for the return file."), rule="R36")
        return defer(application, reason=reason, officer=officer, note=note.strip(), expected=expected.strip())


def resume_payment(*, application_id: int, officer, note: str = "") -> Application:
    """The reason cleared: back to the queue, ahead of requests that never waited (R36, R37)."""
    with transaction.atomic():
        application = locked_application(application_id)
        scope.ensure_pays_for(officer, application.district_id)
        if application.state != State.PAYMENT_DEFERRED:
            raise PaymentError(_("This payment is not deferred."), rule="R36")
        resume(application, actor=officer, note=note)
    return application


def resume(application: Application, *, actor, note: str) -> None:
    transition(
        application,
        "resume_payment",
        action=EventAction.RESUME,
        actor=actor,
        reason=note,
        then=lambda: Deferral.objects.filter(application=application, ended_at__isnull=True).update(
            ended_at=timezone.now()
        ),
        resume=True,
    )


def claw_back(*, application_id: int, officer, amount, decision_document: str, reason: str) -> ClawBack:
    """R38, R45: a paid application found in violation: the amount to recover, the decision and who decided."""
    amount = positive(amount)
    reason = required_reason(reason, "R45")
    document = required_reason(decision_document, "R45")
    with transaction.atomic():
        application = locked_application(application_id)
        scope.ensure_pays_for(officer, application.district_id)
        if application.state != State.PAID:
            raise PaymentError(_("Only a paid application can be clawed back."), rule="R38")
        if amount > application.payment.total:
            raise PaymentError(_("More than was paid cannot be recovered."), rule="R38")
        record = ClawBack.objects.create(
            application=application, amount=amount, decision_document=document, reason=reason, decided_by=officer
        )
        transition(
            application,
            "claw_back",
            action=EventAction.CLAW_BACK,
            actor=officer,
            reason=reason,
            data={"amount": str(amount), "document": document},
            tell=(
                gettext_lazy("Subsidy of application %(number)s to be repaid"),
                gettext_lazy("Decision %(document)s: %(amount)s yuan is to be repaid. Reason: %(reason)s"),
                {"document": document, "amount": format_yuan(amount), "reason": reason},
            ),
        )
    return record


def record_recovery(*, application_id: int, officer, amount, document: str = "") -> list:
    """The recovered money, when received, is a ledger entry per fund source (central first, as far as it was paid)."""
    amount = positive(amount)
    with transaction.atomic():
        application = locked_application(application_id)
        scope.ensure_pays_for(officer, application.district_id)
        if application.state != State.CLAWED_BACK:
            raise PaymentError(_("Only a clawed-back application has money to recover."), rule="R38")
        recovered = (
            ledger.LedgerEntry.objects.filter(application=application, kind=EntryKind.RECOVERY).aggregate(
                t=Sum("amount")
            )["t"]
            or ZERO
        )
        if recovered + amount > application.claw_back_record.amount:
            raise PaymentError(
                _("Only %(left)s yuan is left to recover.")
                % {"left": format_yuan(application.claw_back_record.amount - recovered)},
                rule="R38",
            )
        payment = application.payment
        funds = ledger.lock_funds(application.district, application.year)
        before = {
            row["fund__source"]: row["t"]
            for row in ledger.LedgerEntry.objects.filter(application=application, kind=EntryKind.RECOVERY)
            .values("fund__source")
            .annotate(t=Sum("amount"))
            .order_by()
        }
        entries, left = [], amount
        for source, paid in (
            (FundSource.CENTRAL, payment.central),
            (FundSource.MUNICIPAL, payment.municipal),
            (FundSource.DISTRICT, payment.district_amount),
        ):
            part = min(left, paid - before.get(source, ZERO))
            if part > 0:
                entries.append(
                    ledger.append(
                        funds[source],
                        kind=EntryKind.RECOVERY,
                        amount=part,
                        actor=officer,
                        application=application,
                        document=document or application.claw_back_record.decision_document,
                        reason=application.number,
                    )
                )
                left -= part
    return entries
