"""The ledger's balances come from running totals kept by each entry's write (payments.totals), not from a sum over
every entry per page view (R21–R23). After every test of applications and payments the totals are compared with
the entries (tests/kept.py); here: a drifted total is caught by ``ledger check``, and the ledger and year-end pages
take the same number of queries however many entries there are."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from payments import ledger, totals
from payments.models import EntryKind, FundTotal, LedgerEntry

pytestmark = pytest.mark.django_db


def test_each_entry_adds_to_its_funds_running_total_of_its_kind_R21(cast, haidian, fund):
    fund(haidian, central="1000", municipal="0", district_funds="0")
    fund(haidian, central="250.50", municipal="0", district_funds="0")
    central = ledger.fund_for(haidian, timezone.localdate().year, "central")
    assert FundTotal.objects.get(fund=central, kind=EntryKind.ALLOCATION).total == Decimal("1250.50")
    assert ledger.balance_of(haidian, central.year, "central").available == Decimal("1250.50")
    assert totals.differences() == []


def test_ledger_check_names_a_running_total_that_differs_from_its_entries_R21(cast, haidian, fund, capsys):
    fund(haidian, central="1000", municipal="0", district_funds="0")
    FundTotal.objects.filter(kind=EntryKind.ALLOCATION).update(total=Decimal("999.99"))
    problems = totals.differences()
    assert len(problems) == 1 and "allocation is 999.99, its entries sum to 1000.00" in problems[0]
    assert any("999.99" in p for p in ledger.check().problems)
    FundTotal.objects.filter(kind=EntryKind.ALLOCATION).update(total=Decimal("1000.00"))  # the autouse check after


def _ledger_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("payments:ledger")).status_code == 200
    return len(ctx.captured_queries)


def test_the_ledger_page_takes_the_same_queries_at_1_and_200_entries_a_fund_R21(login, cast, haidian, changping, fund):
    fund(haidian)
    client = login(cast["city_finance"])
    small = _ledger_page_queries(client)
    for _ in range(199):
        fund(haidian, central="1", municipal="1", district_funds="1")
    fund(changping)
    assert LedgerEntry.objects.count() > 600
    assert _ledger_page_queries(client) == small


def test_the_year_end_page_takes_the_same_queries_at_any_size_R37(login, cast, haidian, changping, fund, submitted):
    fund(haidian)
    client = login(cast["city_finance"])
    url = reverse("payments:year_end") + f"?year={timezone.localdate().year}"

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    for n in range(6):
        submitted(serial=f"YE-{n}")
    fund(changping)
    assert queries() == small
