"""The fund ledger (R21–R23, R45): append-only entries, balances as sums, the municipality's allocations, cuts and
reallocations, and ``ledger check``."""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from payments import ledger
from payments import services as payments
from payments.models import EntryKind, Fund, LedgerEntry
from payments.services import PaymentError

pytestmark = pytest.mark.django_db
YEAR = 2026


def test_allocation_cut_and_balances_are_sums_of_entries_R21(cast, haidian):
    payments.allocate(
        district=haidian, year=YEAR, source="central", amount="1000000", actor=cast["city_finance"], reason="下达"
    )
    payments.cut(
        district=haidian, year=YEAR, source="central", amount="250000.50", actor=cast["city_finance"], reason="调减"
    )
    balance = ledger.balance_of(haidian, YEAR, "central")
    assert balance.received == Decimal("749999.50") and balance.available == Decimal("749999.50")
    entries = LedgerEntry.objects.filter(fund__district=haidian).order_by("id")
    assert [(e.kind, e.amount, e.actor) for e in entries] == [
        (EntryKind.ALLOCATION, Decimal("1000000.00"), cast["city_finance"]),
        (EntryKind.CUT, Decimal("-250000.50"), cast["city_finance"]),
    ]
    assert entries[1].prev_hash == entries[0].hash


def test_a_cut_beyond_what_is_available_is_refused_and_nothing_written_R23(cast, haidian):
    payments.allocate(
        district=haidian, year=YEAR, source="municipal", amount="100", actor=cast["city_finance"], reason="x"
    )
    with pytest.raises(PaymentError) as refused:
        payments.cut(
            district=haidian, year=YEAR, source="municipal", amount="100.01", actor=cast["city_finance"], reason="y"
        )
    assert refused.value.rule == "R23"
    assert LedgerEntry.objects.count() == 1


def test_reallocation_is_a_pair_summing_to_zero_R23(cast, haidian, changping):
    payments.allocate(
        district=haidian, year=YEAR, source="central", amount="500000", actor=cast["city_finance"], reason="x"
    )
    payments.reallocate(
        from_district=haidian,
        to_district=changping,
        year=YEAR,
        source="central",
        amount="200000",
        actor=cast["city_finance"],
        reason="余缺调剂",
        document="京财农〔2026〕9号",
    )
    pair = LedgerEntry.objects.filter(kind=EntryKind.REALLOCATION)
    assert pair.count() == 2 and len({e.pair for e in pair}) == 1
    assert sum(e.amount for e in pair) == 0
    assert ledger.balance_of(haidian, YEAR, "central").available == Decimal("300000.00")
    assert ledger.balance_of(changping, YEAR, "central").available == Decimal("200000.00")
    assert ledger.check()


def test_reallocating_more_than_is_available_is_refused_R23(cast, haidian, changping):
    with pytest.raises(PaymentError):
        payments.reallocate(
            from_district=haidian,
            to_district=changping,
            year=YEAR,
            source="central",
            amount="1",
            actor=cast["city_finance"],
            reason="x",
        )
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("who", ["finance", "officer", "city", "buyer"])
def test_only_the_municipal_finance_bureau_allocates_R21(cast, haidian, who):
    with pytest.raises(PermissionDenied):
        payments.allocate(district=haidian, year=YEAR, source="central", amount="1", actor=cast[who], reason="x")
    assert not LedgerEntry.objects.exists()


def test_a_ledger_entry_cannot_be_updated_or_deleted_R45(cast, haidian):
    entry = payments.allocate(
        district=haidian, year=YEAR, source="central", amount="10", actor=cast["city_finance"], reason="x"
    )
    assert connection.vendor == "postgresql"
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1000000"))
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("10.00")


def test_an_entry_with_the_wrong_sign_for_its_kind_is_refused_by_the_database_R21(haidian):
    fund = Fund.objects.create(district=haidian, year=YEAR, source="central")
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.create(fund=fund, kind=EntryKind.ALLOCATION, amount=Decimal("-5"), hash="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.create(fund=fund, kind=EntryKind.PAYMENT, amount=Decimal("5"), hash="x")


def test_ledger_check_passes_on_a_balanced_ledger_and_fails_on_a_broken_pair_R23(cast, haidian, changping, capsys):
    payments.allocate(
        district=haidian, year=YEAR, source="central", amount="100", actor=cast["city_finance"], reason="x"
    )
    call_command("ledger", "check")
    assert "balanced" in capsys.readouterr().out
    # A reallocation written by hand with one leg only: the pair does not sum to zero.
    fund = ledger.fund_for(changping, YEAR, "central")
    ledger.append(fund, kind=EntryKind.REALLOCATION, amount=Decimal("50"), pair=uuid.uuid4(), reason="one leg")
    with pytest.raises(SystemExit) as exit_:
        call_command("ledger", "check")
    assert exit_.value.code != 0
