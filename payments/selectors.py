"""Reads for /finance/, scoped to the user (accounts.scope): a district's finance sees its own district, the
municipal finance bureau every district; anything else is not found (404)."""

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts import scope
from applications.models import Application, Step, Warning
from applications.workflow import State
from workdays.calendar import Calendar

from . import ledger
from .models import (
    BatchItem,
    Deferral,
    Fund,
    ItemOutcome,
    LedgerEntry,
    PaymentBatch,
    ReconciliationException,
    Rollover,
)


def funds_for(user) -> QuerySet[Fund]:
    return scope.scoped(user, Fund.objects.select_related("district"), district="district")


def balances_for(user, *, year: int | None = None) -> list[ledger.Balance]:
    funds = funds_for(user)
    if year:
        funds = funds.filter(year=year)
    return ledger.balances(funds)


def fund_for(*, user, pk: int) -> Fund:
    return scope.get_or_404(funds_for(user), pk=pk)


def entries_of(fund: Fund) -> QuerySet[LedgerEntry]:
    return fund.entries.select_related("actor", "application", "batch").order_by("-at", "-id")


def applications_for(user) -> QuerySet[Application]:
    return scope.scoped(user, Application.objects.all(), district="district")


def application_for(*, user, pk: int) -> Application:
    return scope.get_or_404(
        applications_for(user)
        .exclude(state=State.DRAFT)
        .select_related("buyer", "district", "product__item", "product__grade"),
        pk=pk,
    )


def payment_queue(*, user) -> QuerySet[Application]:
    """R36: requested payments not in a batch with the treasury; those that waited (deferred before, or carried from
    an earlier year, R37) first, then in order of request (the 15-working-day clock the request started, joined
    rather than looked up row by row). Each row gets ``pay_due``, ``was_deferred`` and ``ratio_alert``."""
    pending = BatchItem.objects.filter(application=OuterRef("pk"), outcome=ItemOutcome.PENDING)
    return (
        applications_for(user)
        .filter(state=State.PAYMENT_REQUESTED)
        .annotate(
            pay=FilteredRelation("deadlines", condition=Q(deadlines__step=Step.PAY, deadlines__met_at__isnull=True))
        )
        .annotate(
            pay_due=F("pay__due_on"),
            in_batch=Exists(pending),
            was_deferred=Exists(Deferral.objects.filter(application=OuterRef("pk"))),
            ratio_alert=Exists(
                Warning.objects.filter(application=OuterRef("pk"), code="ratio_alert", cleared_at__isnull=True)
            ),
        )
        .filter(in_batch=False)
        .select_related("buyer", "district", "product__item", "product__grade")
        .order_by(
            F("was_deferred").desc(),
            F("carried_from").asc(nulls_last=True),
            F("pay__started_on").asc(nulls_last=True),
            F("pay__id").asc(nulls_last=True),
            "pk",
        )
    )


def deferred_for(*, user) -> QuerySet[Application]:
    return (
        applications_for(user)
        .filter(state=State.PAYMENT_DEFERRED)
        .select_related("buyer", "district")
        .order_by("submitted_at", "pk")
    )


def with_due_dates(rows) -> list:
    """Set ``due_on`` (the 15-working-day deadline row of R36, paused while deferred) and ``days_left``."""
    calendar = Calendar()
    today = timezone.localdate()
    out = []
    for row in rows:
        row.due_on = getattr(row, "pay_due", None)
        row.days_left = calendar.between(today, row.due_on) if row.due_on else None
        out.append(row)
    return out


def batches_for(user) -> QuerySet[PaymentBatch]:
    return scope.scoped(user, PaymentBatch.objects.select_related("district", "built_by", "approved_by"))


def batch_for(*, user, pk: int) -> PaymentBatch:
    return scope.get_or_404(batches_for(user), pk=pk)


def items_of(batch: PaymentBatch) -> QuerySet[BatchItem]:
    return batch.items.select_related("application__buyer", "application__payment").order_by("application__number")


def exceptions_of(batch: PaymentBatch) -> QuerySet[ReconciliationException]:
    return (
        ReconciliationException.objects.filter(return_import__batch=batch)
        .select_related("application")
        .order_by("return_import__at", "row")
    )


def open_exceptions_for(user) -> QuerySet[ReconciliationException]:
    return ReconciliationException.objects.filter(
        return_import__batch__in=batches_for(user), resolved_at__isnull=True
    ).select_related("return_import__batch", "application")


def rollovers() -> QuerySet[Rollover]:
    """The subsidy years closed (R37), newest first: the municipal finance bureau's page, every district."""
    return Rollover.objects.select_related("by").order_by("-year")
