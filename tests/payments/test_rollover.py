"""Year end (R37): ``rollover YEAR`` carries the unspent balance over as a pair of entries (used first, R23) and the
pre-registrations into the next year, ahead of its entries; ``--dry-run`` writes nothing; a second run does nothing."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.workflow import State
from payments import ledger
from payments import services as payments
from payments.models import EntryKind, LedgerEntry

pytestmark = pytest.mark.django_db


def test_rollover_carries_balance_and_pre_registrations_once_R37(cast, haidian, fund, submitted, capsys):
    year = timezone.localdate().year
    fund(haidian, central="20000", municipal="10000", district_funds="0")
    first = submitted(serial="R-1")
    carried = submitted(serial="R-2")
    assert carried.state == State.PREREGISTERED
    call_command("rollover", str(year), "--dry-run")
    assert "would carry" in capsys.readouterr().out
    assert not LedgerEntry.objects.filter(kind=EntryKind.CARRY_OVER).exists()

    call_command("rollover", str(year))
    # What the submitted application will take stays; the rest moves.
    assert ledger.balance_of(haidian, year, "central").available == Decimal("15300.00")
    assert ledger.balance_of(haidian, year + 1, "central").carried == Decimal("4700.00")
    carried.refresh_from_db()
    assert (carried.year, carried.state) == (year + 1, State.PREREGISTERED)
    first.refresh_from_db()
    assert first.year == year
    count = LedgerEntry.objects.count()
    call_command("rollover", str(year))
    assert LedgerEntry.objects.count() == count
    assert ledger.check()

    # Next year's money pays the carried pre-registration first.
    payments.allocate(
        district=haidian, year=year + 1, source="central", amount="10600", actor=cast["city_finance"], reason="x"
    )
    carried.refresh_from_db()
    assert carried.state == State.SUBMITTED
