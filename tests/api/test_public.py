"""Public endpoints: the same data and masking as /public/ (R25, R34, R14, R7), and the working-day calendar."""

from datetime import date

import pytest

from catalog.grading import parse_parameters
from catalog.models import Category, Item
from catalog.selectors import grades_in_force
from catalog.services import create_grade

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


def test_workdays_due_counts_working_days_like_the_command_R30(api):
    body = api.get("/workdays/due", start="2026-09-30", days=2).json()
    assert body == {
        "start": "2026-09-30",
        "working_days": 2,
        "due": "2026-10-09",
        "unconfirmed_years": [],
        "warnings": [],
    }


def test_workdays_due_into_an_unconfirmed_year_warns_like_the_command(api):
    body = api.get("/workdays/due", start="2026-12-31", days=1).json()
    assert body["due"] == "2027-01-01" and body["unconfirmed_years"] == [2027]
    assert body["warnings"] == ["2027年的工作日历尚未确认：只按周末计算休息日，日期可能变化。"]


def test_workdays_due_refuses_a_year_out_of_range(api):
    assert_problem(api.get("/workdays/due", start="9999-12-31", days=1), 400)


def test_catalogue_tree_has_both_catalogues_with_items_and_grades_R6(api, product):
    body = api.get("/catalogue").json()
    assert {c["scope"] for c in body["categories"]} == {"central", "municipal"}
    assert len(body["categories"]) == Category.objects.in_force(date.today()).count()
    items = {(c["scope"], i["code"]): i for c in body["categories"] for s in c["subcategories"] for i in s["items"]}
    tractor = items[("central", "16.1.1")]
    assert [g["name"] for g in tractor["grades"]] == [product.grade.name]
    assert tractor["grades"][0]["parameters"]
    assert len(items) == Item.objects.in_force(date.today()).count()


def test_amounts_in_force_are_decimal_strings_exact_to_the_fen_R14(api, product):
    body = api.get("/amounts", q="16.1.1").json()
    row = next(r for r in body["items"] if r["grade_id"] == product.grade_id)
    assert {a["fund_source"]: a["amount"] for a in row["amounts"]} == {"central": "15300.00", "municipal": "3000.00"}
    assert row["amounts"][0]["valid_from"] == "2024-01-01"


def test_amounts_before_they_applied_are_not_in_force_R7(api, product):
    body = api.get("/amounts", q="16.1.1", on="2023-06-01").json()
    assert product.grade_id not in [r["grade_id"] for r in body["items"]]


def test_amounts_page_by_cursor_every_row_once_in_order(api, product):
    item = Item.objects.get(scope="central", code="16.1.1")
    for n in range(4):
        params = parse_parameters(f"功率≥{n}马力")
        create_grade(item=item, name=f"档次{n}", parameters=params, valid_from=date(2024, 1, 1))
    seen, cursor = [], ""
    while True:
        body = api.get("/amounts", limit=2, **({"cursor": cursor} if cursor else {})).json()
        seen += [r["grade_id"] for r in body["items"]]
        if not (cursor := body["next_cursor"]):
            break
    expected = list(grades_in_force(on=date.today()).values_list("pk", flat=True))
    assert seen == expected and len(seen) == 5


def test_public_notices_mask_the_buyer_and_publish_no_personal_number_R34(api, cast, verified):
    from applications.services import open_notice

    app = verified()
    open_notice(application_id=app.pk, officer=cast["officer"])
    response = api.get("/notices", district="110108")
    row = response.json()["items"][0]
    assert (row["number"], row["buyer"], row["district"]) == (app.number, "张*", "海淀区")
    assert row["subsidy"] == "18300.00" and row["notice_start"] and row["notice_end"]
    text = response.content.decode()
    for secret in ("张三", "110108197503120033", "13900000001", "6228480010012345678", "5678", "0033"):
        assert secret not in text
    assert api.get("/notices", district="110114").json()["items"] == []
