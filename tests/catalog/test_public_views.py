"""The public catalogue (R6, R14, R25): browse, search by code or name, grades and amounts per grade, XLSX."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from catalog.models import FundSource

from .conftest import grade, priced

pytestmark = pytest.mark.django_db


def page(client, url, **params):
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def make_grades(n, code="1.1.2", demo=False):
    made = []
    for k in range(n):
        g = grade(code, f"旋耕机 幅宽档{k}", f"{k}m≤工作幅宽<{k + 1}m", is_demo=demo)
        priced(g, FundSource.CENTRAL, "900", price="3000")
        priced(g, FundSource.MUNICIPAL, "300", price="3000", ratio="0.10")
        made.append(g)
    return made


def test_catalogue_page_shows_both_trees_R6(client):
    body = page(client, reverse("catalog:public_catalogue"))
    assert "2.2.3 单粒(精密)播种机" in body
    assert "8.1.8 培菌机" in body
    assert reverse("catalog:public_item", args=["central", "2.2.3"]) in body


@pytest.mark.parametrize("query", ["2.2.3", "单粒(精密)播种机"])
def test_search_by_code_or_name_finds_the_item_R6(client, query):
    body = page(client, reverse("catalog:public_catalogue"), q=query)
    assert "单粒(精密)播种机" in body
    assert reverse("catalog:public_item", args=["central", "2.2.3"]) in body


def test_item_page_shows_grades_parameters_and_amounts_per_fund_source_R14(client):
    make_grades(1)
    body = page(client, reverse("catalog:public_item", args=["central", "1.1.2"]))
    assert "旋耕机 幅宽档0" in body
    assert "0m≤工作幅宽&lt;1m" in body
    assert "¥900.00" in body and "¥300.00" in body
    assert "demo-note" not in body


def test_demo_amounts_are_marked_as_such(client):
    make_grades(1, demo=True)
    body = page(client, reverse("catalog:public_item", args=["central", "1.1.2"]))
    assert 'class="demo-note"' in body
    assert "tag-warn" in body


def test_unknown_item_is_404(client):
    assert client.get(reverse("catalog:public_item", args=["central", "99.9.9"])).status_code == 404
    assert client.get(reverse("catalog:public_item", args=["nowhere", "1.1.1"])).status_code == 404


def test_amount_table_downloads_as_xlsx_per_grade_R14(client):
    make_grades(2)
    response = client.get(reverse("catalog:public_amounts_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 3
    first = rows[1]
    assert first[:5] == ("central", "1.1.2", "旋耕机", "旋耕机 幅宽档0", "0m≤工作幅宽<1m")
    assert (Decimal(str(first[8])), Decimal(str(first[10])), first[12]) == (Decimal("900"), Decimal("300"), None)


@pytest.mark.parametrize("url", ["catalog:public_catalogue", "catalog:public_amounts"])
def test_public_pages_keep_a_constant_number_of_queries(client, django_assert_num_queries, url):
    make_grades(2)
    with django_assert_num_queries(3 if url == "catalog:public_catalogue" else 4) as small:
        client.get(reverse(url))
    make_grades(12, code="2.2.3")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse(url))


def test_item_page_keeps_a_constant_number_of_queries(client, django_assert_num_queries):
    make_grades(2)
    url = reverse("catalog:public_item", args=["central", "1.1.2"])
    with django_assert_num_queries(4):
        client.get(url)
    make_grades(10)
    with django_assert_num_queries(4):
        client.get(url)


def test_search_page_keeps_a_constant_number_of_queries(client, django_assert_num_queries):
    url = reverse("catalog:public_catalogue")
    with django_assert_num_queries(1):
        client.get(url, {"q": "2.2"})
    with django_assert_num_queries(2):  # a word is also looked up among the everyday names (SearchSynonym)
        client.get(url, {"q": "机"})
    with django_assert_num_queries(2):
        client.get(url, {"q": "无人机"})


def test_the_public_sees_what_applied_on_an_earlier_day_R7(client, today):
    from datetime import timedelta

    from catalog.services import record_market_price, set_amount

    (g,) = make_grades(1)
    price = record_market_price(grade=g, year=today.year - 1, average_price="3000", source="market_survey")
    set_amount(grade=g, fund_source="central", amount="600", ratio="0.20", market_price=price, valid_from=today)
    url = reverse("catalog:public_item", args=["central", "1.1.2"])
    assert "¥600.00" in page(client, url)
    earlier = page(client, url, on=(today - timedelta(days=1)).isoformat())
    assert "¥900.00" in earlier and "¥600.00" not in earlier
    assert "¥600.00" in page(client, url, on="not-a-date")


def test_a_grade_shows_its_amounts_over_time_with_the_price_they_came_from_R14_R41(client, tractor_grades, today):
    """Each amount the grade has had or will have, per fund source, with its ratio and market price; a change
    announced for a later day is shown as such."""
    grade = tractor_grades[0]
    later = today + timedelta(days=30)
    priced(grade, FundSource.CENTRAL, "5100", ratio="0.12", valid_from=date(2024, 1, 1))
    priced(grade, FundSource.CENTRAL, "4800", ratio="0.11", price="48000", valid_from=later)
    priced(grade, FundSource.MUNICIPAL, "1000", ratio="0.10", valid_from=later)
    url = reverse("catalog:public_grade", args=[grade.pk])
    page = client.get(url)
    assert page.status_code == 200
    rows = [(a.fund_source, a.amount, a.valid_from, a.valid_to) for a in page.context["amounts"]]
    assert rows == [
        ("central", Decimal("4800.00"), later, None),
        ("municipal", Decimal("1000.00"), later, None),
        ("central", Decimal("5100.00"), date(2024, 1, 1), later),
    ]
    content = page.content.decode()
    assert "¥5,100.00" in content and "11%" in content and "¥48,000.00" in content
    assert content.count('data-status="announced"') == 2 and content.count('data-status="in-force"') == 1
    # The item page links each grade to its history.
    item_page = client.get(reverse("catalog:public_item", args=["central", "16.1.1"])).content.decode()
    assert url in item_page
    assert client.get(reverse("catalog:public_grade", args=[999999])).status_code == 404


def test_a_grade_history_takes_the_same_queries_however_long(client, tractor_grades, today, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    grade = tractor_grades[0]
    priced(grade, FundSource.CENTRAL, "5100", ratio="0.12", valid_from=date(2024, 1, 1))
    url = reverse("catalog:public_grade", args=[grade.pk])
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    for n in range(1, 4):
        priced(grade, FundSource.CENTRAL, str(5100 - n * 100), ratio="0.12", valid_from=today + timedelta(days=10 * n))
    with django_assert_num_queries(len(short.captured_queries)):
        assert len(client.get(url).context["amounts"]) == 4
