"""Public disclosures: beneficiaries of the last three years (R42), masked, searchable, paginated, as XLSX, no
older entry shown; each district's funds and progress in brief (R25). Constant queries; no rule code shown."""

import io
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from applications.models import State
from payments.models import EntryKind


def _paid(rows, district, day, **extra):
    app = rows.application(district, state=State.PAID, **extra)
    rows.payment(app, day)
    return app


@time_machine.travel("2026-12-01 10:00 +0800")
def test_beneficiaries_of_three_years_masked_and_searchable_R42(rows, haidian, changping, client, cast):
    recent = _paid(rows, haidian, "2026-10-20")
    _paid(rows, haidian, "2024-01-05")
    old = _paid(rows, haidian, "2023-12-29", year=2023)  # more than three years back: not shown
    _paid(rows, changping, "2026-11-02", buyer=cast["other_buyer"])
    page = client.get("/public/beneficiaries/?district=110108")
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 2
    html = page.content.decode()
    assert "张*" in html and "张三" not in html and "110108197503120033" not in html and "139" not in html
    assert old.number not in html and recent.number not in html  # no application numbers either
    assert not re.search(r"\bR\d{1,2}\b", html.split("<main")[-1])  # no rule codes on a public page
    found = client.get("/public/beneficiaries/?q=TX-554").context["page"].paginator.count
    assert found == 3
    assert client.get("/public/beneficiaries/?q=不存在的型号").context["page"].paginator.count == 0


@time_machine.travel("2026-12-01 10:00 +0800")
def test_the_spreadsheet_has_numbers_and_no_formula(rows, haidian, client, cast):
    cast["buyer"].display_name = "=HYPERLINK(1)"
    cast["buyer"].buyer_kind = "cooperative"
    cast["buyer"].save()
    _paid(rows, haidian, "2026-10-20")
    book = load_workbook(io.BytesIO(client.get("/public/beneficiaries/?format=xlsx").content))
    sheet = book.active
    name, subsidy = sheet.cell(row=2, column=1), sheet.cell(row=2, column=8)
    assert (name.value, name.data_type) == ("=HYPERLINK(1)", "s")
    assert isinstance(subsidy.value, int | float) and subsidy.value == 18300


@time_machine.travel("2026-12-01 10:00 +0800")
def test_the_list_keeps_a_constant_number_of_queries(rows, haidian, client):
    _paid(rows, haidian, "2026-10-20")
    with CaptureQueriesContext(connection) as small:
        client.get("/public/beneficiaries/")
    for n in range(15):
        _paid(rows, haidian, f"2026-11-{1 + n:02d}")
    with CaptureQueriesContext(connection) as large:
        client.get("/public/beneficiaries/")
    assert len(large) == len(small)


@time_machine.travel("2026-12-01 10:00 +0800")
def test_each_districts_funds_and_progress_in_brief_R25(rows, haidian, client):
    rows.entry(haidian, "central", EntryKind.ALLOCATION, "100000.00", "2026-03-02")
    app = _paid(rows, haidian, "2026-10-20")
    rows.entry(haidian, "central", EntryKind.PAYMENT, f"-{app.total_amount}", "2026-10-20", application=app)
    rows.application(haidian, state=State.PREREGISTERED)
    response = client.get("/public/progress/")
    row = next(r for r in response.context["rows"] if r["district"].code == "110108")
    assert (str(row["received"]), str(row["paid"]), row["paid_count"], row["preregistered"]) == (
        "100000.00", "18300.00", 1, 1)  # fmt: skip
    assert "¥100,000.00" in response.content.decode()
    assert len(response.context["rows"]) == 13


@pytest.mark.django_db
def test_a_year_outside_the_published_three_is_ignored_never_a_failure_R42(client):
    """A year the list does not publish (or a number no year can be) shows the whole list, as with no year."""
    for year in ("99999999999999999999", "1999", "²", "2026"):
        assert client.get("/public/beneficiaries/", {"year": year}).status_code == 200, year
