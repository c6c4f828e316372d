"""Fund balances from running totals (R21–R23): one row per fund and kind of entry (``FundTotal``), added to by
``record`` in the same transaction, under the same fund lock, as each ledger entry is appended; the balances read
those few rows instead of summing every entry. ``differences`` recomputes them from the entries (``ledger check``).

Balances of a fund:

- ``received``: allocations + cuts + reallocations + carry-over (the money the district has for the year)
- ``reserved``: what acceptances hold and no release or payment has given back (reservations + releases, negated)
- ``paid``: payments and incentives of the application subsidy (negated), ``recovered``: recoveries of claw-backs
- ``advanced`` / ``settled``: district advances for a short source and their settlement by the municipality (R22)
- ``available``: the sum of every entry: received − reserved − paid + recovered − advanced + settled
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce

from catalog.models import FundSource

from .models import PAID_KINDS, EntryKind, Fund, FundTotal, LedgerEntry

ZERO = Decimal("0.00")
RECEIVED_KINDS = [EntryKind.ALLOCATION, EntryKind.CUT, EntryKind.REALLOCATION, EntryKind.CARRY_OVER]


def record(entry: LedgerEntry) -> None:
    """Add a just-appended entry to its fund's total of its kind (the caller holds the fund's lock)."""
    kept = FundTotal.objects.filter(fund_id=entry.fund_id, kind=entry.kind).update(total=F("total") + entry.amount)
    if not kept:
        FundTotal.objects.create(fund_id=entry.fund_id, kind=entry.kind, total=entry.amount)


def _sum(kinds) -> Coalesce:
    return Coalesce(Sum("totals__total", filter=Q(totals__kind__in=kinds)), ZERO)


BALANCE_ANNOTATIONS = {
    "received": _sum(RECEIVED_KINDS),
    "allocated": _sum([EntryKind.ALLOCATION, EntryKind.CUT]),
    "reallocated": _sum([EntryKind.REALLOCATION]),
    "carried": _sum([EntryKind.CARRY_OVER]),
    "reserved_net": _sum([EntryKind.RESERVATION, EntryKind.RELEASE]),
    "paid_net": _sum(PAID_KINDS),
    "advanced_net": _sum([EntryKind.ADVANCE]),
    "settled": _sum([EntryKind.SETTLEMENT]),
    "recovered": _sum([EntryKind.RECOVERY]),
    "available": Coalesce(Sum("totals__total"), ZERO),
}


@dataclass
class Balance:
    district_id: int
    year: int
    source: str
    received: Decimal = ZERO
    allocated: Decimal = ZERO
    reallocated: Decimal = ZERO
    carried: Decimal = ZERO
    reserved: Decimal = ZERO
    paid: Decimal = ZERO
    advanced: Decimal = ZERO
    settled: Decimal = ZERO
    recovered: Decimal = ZERO
    available: Decimal = ZERO
    fund_id: int | None = None


def balances(funds) -> list[Balance]:
    """Balances of each fund in ``funds`` (a Fund queryset), in one query over their running totals."""
    rows = funds.annotate(**BALANCE_ANNOTATIONS).order_by("district__sort_order", "-year", "source")
    return [
        Balance(
            district_id=f.district_id,
            year=f.year,
            source=f.source,
            received=f.received,
            allocated=f.allocated,
            reallocated=f.reallocated,
            carried=f.carried,
            reserved=-f.reserved_net,
            paid=-f.paid_net,
            advanced=-f.advanced_net,
            settled=f.settled,
            recovered=f.recovered,
            available=f.available,
            fund_id=f.pk,
        )
        for f in rows
    ]


def balance_of(district, year: int, source: str) -> Balance:
    found = balances(Fund.objects.filter(district=district, year=year, source=source))
    return found[0] if found else Balance(district_id=district.pk, year=year, source=source)


def available_by_source(district, year: int) -> dict[str, Decimal]:
    out = dict.fromkeys(FundSource, ZERO)
    for b in balances(Fund.objects.filter(district=district, year=year)):
        out[b.source] = b.available
    return out


def differences() -> list[str]:
    """Each running total that is not the sum of its fund's entries of its kind (``ledger check``), in two grouped
    reads."""
    summed = {
        (row["fund_id"], row["kind"]): row["total"]
        for row in LedgerEntry.objects.values("fund_id", "kind").annotate(total=Sum("amount")).order_by()
    }
    kept = {(t.fund_id, t.kind): t.total for t in FundTotal.objects.all()}
    return [
        f"fund {fund_id}: running total of {kind} is {kept.get((fund_id, kind))}, its entries sum to {total}"
        for (fund_id, kind), total in sorted({**dict.fromkeys(kept, None), **summed}.items(), key=str)
        if kept.get((fund_id, kind)) != total
    ]
