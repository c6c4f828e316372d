"""/finance/ ledger pages: the municipal finance bureau sees every district and enters money; a district sees its own
balances and entries; other roles are refused (403), another district's fund is not found (404)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from payments import ledger
from payments.models import LedgerEntry

pytestmark = pytest.mark.django_db


def test_municipal_finance_enters_an_allocation_and_sees_every_district_R21(login, cast, haidian, changping, fund):
    fund(changping, central="5", municipal="0", district_funds="0")
    client = login(cast["city_finance"])
    response = client.post(
        reverse("payments:move_funds"),
        {
            "kind": "allocation",
            "district": haidian.pk,
            "year": 2026,
            "source": "central",
            "amount": "1200000.00",
            "reason": "年度资金下达",
            "document": "京财农〔2026〕1号",
        },
    )
    assert response.status_code == 302
    assert ledger.balance_of(haidian, 2026, "central").available == Decimal("1200000.00")
    page = client.get(reverse("payments:ledger"))
    assert page.status_code == 200
    assert {d.pk for d, _ in page.context["rows"]} == {haidian.pk, changping.pk}


def test_a_reallocation_without_a_receiving_district_is_refused_R23(login, cast, haidian):
    client = login(cast["city_finance"])
    response = client.post(
        reverse("payments:move_funds"),
        {
            "kind": "reallocation",
            "district": haidian.pk,
            "year": 2026,
            "source": "central",
            "amount": "1",
            "reason": "x",
        },
    )
    assert response.status_code == 400
    assert not LedgerEntry.objects.exists()


def test_a_district_sees_only_its_own_funds_and_entries_R21(login, cast, haidian, changping, fund):
    fund(haidian)
    fund(changping)
    client = login(cast["finance"])
    page = client.get(reverse("payments:ledger"))
    assert {d.pk for d, _ in page.context["rows"]} == {haidian.pk}
    own = LedgerEntry.objects.filter(fund__district=haidian).first().fund_id
    other = LedgerEntry.objects.filter(fund__district=changping).first().fund_id
    assert client.get(reverse("payments:fund", args=[own])).status_code == 200
    assert client.get(reverse("payments:fund", args=[other])).status_code == 404


def test_district_finance_cannot_enter_allocations_R21(login, cast, haidian):
    response = login(cast["finance"]).post(
        reverse("payments:move_funds"),
        {"kind": "allocation", "district": haidian.pk, "year": 2026, "source": "central", "amount": "1", "reason": "x"},
    )
    assert response.status_code == 403
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("who", ["officer", "buyer", "city", "auditor"])
def test_other_roles_are_refused_on_finance_pages(login, cast, who):
    client = login(cast[who])
    for name in ("payments:ledger", "payments:queue", "payments:batches"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("core:finance")).status_code == 403


def test_anonymous_users_are_sent_to_sign_in(client):
    assert client.get(reverse("payments:ledger")).status_code == 302


@pytest.mark.parametrize("who", ["finance", "city_finance"])
def test_the_finance_home_links_the_money_pages(login, cast, who):
    page = login(cast[who]).get(reverse("core:finance")).content.decode()
    assert reverse("payments:ledger") in page and reverse("payments:batches") in page
    assert (reverse("payments:queue") in page) == (who == "finance")


def test_settling_more_than_the_open_advances_is_refused_on_the_page_R22(login, cast, haidian, fund):
    fund(haidian)
    before = LedgerEntry.objects.count()
    response = login(cast["city_finance"]).post(
        reverse("payments:move_funds"),
        {
            "kind": "settlement",
            "district": haidian.pk,
            "year": 2026,
            "source": "district",
            "amount": "1",
            "reason": "清算",
        },
    )
    assert response.status_code == 302
    assert LedgerEntry.objects.count() == before
