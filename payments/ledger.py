"""The fund ledger (R21–R23, R45): append entries, read balances. The balances are running totals kept by each
append (``payments.totals``, where they are described); ``check`` recomputes them from the entries."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from catalog.models import FundSource
from catalog.money import yuan
from core import chain, checkpoints

from . import totals
from .models import PAID_KINDS, EntryKind, Fund, LedgerEntry
from .totals import Balance, available_by_source, balance_of, balances  # noqa: F401 - read here as before

SOURCES = [FundSource.CENTRAL, FundSource.MUNICIPAL, FundSource.DISTRICT]
ZERO = Decimal("0.00")


def fund_for(district, year: int, source: str, *, lock: bool = True) -> Fund:
    """The fund row, created on first use and locked: the ledger's writers of one fund queue here."""
    fund, _ = Fund.objects.get_or_create(district=district, year=year, source=source)
    if lock:
        fund = Fund.objects.select_for_update().get(pk=fund.pk)
    return fund


def lock_funds(district, year: int) -> dict[str, Fund]:
    """Lock the three funds of a district's year, always in the same order (no deadlock between writers)."""
    for source in SOURCES:
        Fund.objects.get_or_create(district=district, year=year, source=source)
    funds = Fund.objects.select_for_update().filter(district=district, year=year).order_by("source")
    return {f.source: f for f in funds}


def append(
    fund: Fund,
    *,
    kind: str,
    amount: Decimal,
    actor=None,
    reason: str = "",
    document: str = "",
    application=None,
    batch=None,
    pair=None,
) -> LedgerEntry:
    """Append one entry to a fund locked by the caller (``fund_for`` / ``lock_funds``), chained to the last."""
    entry = LedgerEntry(
        fund=fund,
        kind=kind,
        amount=yuan(amount),
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        reason=reason or "",
        document=document or "",
        application=application,
        batch=batch,
        pair=pair,
    )
    entry = chain.append(entry, chain=LedgerEntry.objects.filter(fund=fund))
    totals.record(entry)  # the fund's running totals, in this transaction (payments.totals)
    return entry


def is_funded(district, year: int) -> bool:
    """Whether the municipality has put money in the district's year: only then are its funds counted (R31)."""
    return (
        LedgerEntry.objects.filter(
            fund__district=district, fund__year=year, kind__in=[EntryKind.ALLOCATION, EntryKind.REALLOCATION]
        ).exists()
        or LedgerEntry.objects.filter(
            fund__district=district, fund__year=year, kind=EntryKind.CARRY_OVER, amount__gt=0
        ).exists()
    )


def net_for_application(application) -> dict[tuple[int, str], Decimal]:
    """(fund id, kind group) → net amount of one application's entries: 'reserved' and 'paid'."""
    out: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    rows = (
        LedgerEntry.objects.filter(application=application)
        .values("fund_id", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        group = "reserved" if row["kind"] in (EntryKind.RESERVATION, EntryKind.RELEASE) else row["kind"]
        out[(row["fund_id"], group)] += row["total"]
    return out


def verify_chain() -> LedgerEntry | None:
    """The first entry whose chain is broken (altered, or one before it removed), or None when intact."""
    return chain.first_broken(LedgerEntry)


@dataclass
class CheckResult:
    problems: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return not self.problems


def check(*, since_checkpoint: bool = False) -> CheckResult:
    """``ledger check``: for every district, year and source, allocations + reallocations + carry-over − payments
    − reservations (+ recoveries − advances + settlements) = available; each reallocation and carry-over pair sums to
    zero; the reservations and payments agree with the applications' states; and each fund's chain is intact and
    agrees with the last signed checkpoint (core/checkpoints.py)."""
    from applications.models import Application
    from applications.workflow import RESERVED, State

    result = CheckResult()
    for b in balances(Fund.objects.all()):
        expected = b.allocated + b.reallocated + b.carried - b.paid - b.reserved + b.recovered - b.advanced + b.settled
        if expected != b.available:
            result.problems.append(f"fund {b.fund_id}: formula gives {expected}, entries sum to {b.available}")
        if b.reserved < 0:
            result.problems.append(f"fund {b.fund_id}: more released than reserved ({b.reserved})")
    pairs = LedgerEntry.objects.filter(pair__isnull=False).values("pair").annotate(total=Sum("amount")).order_by()
    for row in pairs:
        if row["total"] != 0:
            result.problems.append(f"pair {row['pair']} sums to {row['total']}, not zero")
    # Only the applications that disagree come back: SQL compares, so the check does not grow with the paid ones.
    reserved = Q(application__state__in=RESERVED)
    held = (
        LedgerEntry.objects.filter(kind__in=[EntryKind.RESERVATION, EntryKind.RELEASE], application__isnull=False)
        .values("application_id", "application__state", "application__total_amount")
        .annotate(total=Sum("amount"))
        .order_by()
        .filter((reserved & ~Q(total=-F("application__total_amount"))) | (~reserved & ~Q(total=0)))
    )
    for row in held:
        app_id, owed = row["application_id"], row["application__total_amount"]
        if row["application__state"] in RESERVED:
            result.problems.append(f"application {app_id}: reserved {-row['total']}, owes {owed}")
        else:
            result.problems.append(f"application {app_id} ({row['application__state']}) still holds {-row['total']}")
    reached = (  # what reached the buyer: payments, and district advances for a short source (R22)
        LedgerEntry.objects.filter(application=OuterRef("pk"), kind__in=[*PAID_KINDS, EntryKind.ADVANCE])
        .values("application")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    unpaid = (
        Application.objects.filter(state__in=[State.PAID, State.CLAWED_BACK])
        .annotate(paid=Coalesce(Subquery(reached), ZERO))
        .filter(Q(payment__isnull=True) | ~Q(payment__total=-F("paid")))
        .values_list("pk", "paid")
    )
    for pk, paid in unpaid:
        result.problems.append(f"application {pk}: paid in the ledger {-paid}")
    result.problems += totals.differences()
    result.problems += checkpoints.verify([LedgerEntry], since=since_checkpoint).problems
    return result
