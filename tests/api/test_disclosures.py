"""Public disclosures as JSON (R42): the beneficiaries of the last three years and the decided violation cases,
masked as the pages mask them, paged by cursor, filtered by district; an unknown district is a problem."""

import pytest
import time_machine

from audits.models import Decision
from tests.audits.conftest import live  # noqa: F401, F811 - the fixture
from tests.audits.test_public import _decided_cases
from tests.reports.conftest import Rows
from tests.reports.test_public import _paid

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(cast, product):
    return Rows(cast, product)


@time_machine.travel("2026-12-01 10:00 +0800")
def test_beneficiaries_of_three_years_masked_and_paged_by_cursor_R42(api, rows, haidian, changping, cast):
    recent = _paid(rows, haidian, "2026-10-20")
    _paid(rows, haidian, "2024-01-05")
    _paid(rows, haidian, "2023-12-29", year=2023)  # more than three years back: not published
    _paid(rows, changping, "2026-11-02", buyer=cast["other_buyer"])
    first = api.get("/beneficiaries", district="110108", limit=1)
    assert first.status_code == 200
    body = first.json()
    assert body["first_year"] == 2024 and len(body["items"]) == 1 and body["next_cursor"]
    row = body["items"][0]
    assert (row["name"], row["district"], row["paid_on"]) == ("张*", "海淀区", "2026-10-20")
    assert row["subsidy"] == f"{recent.total_amount:.2f}" and "110108197503120033" not in first.content.decode()
    second = api.get("/beneficiaries", district="110108", limit=1, cursor=body["next_cursor"]).json()
    assert [r["paid_on"] for r in second["items"]] == ["2024-01-05"] and second["next_cursor"] is None
    assert len(api.get("/beneficiaries").json()["items"]) == 3
    assert api.get("/beneficiaries", q="不存在的型号").json()["items"] == []
    assert_problem(api.get("/beneficiaries", district="999999"), 404)


def test_only_decided_violations_are_published_masked_R42(api, cast, live):  # noqa: F811
    _decided_cases(cast, live, 3)
    _decided_cases(cast, live, 2, decision=Decision.CLEARED)
    body = api.get("/violations", limit=2).json()
    assert len(body["items"]) == 2 and body["next_cursor"]
    rest = api.get("/violations", limit=2, cursor=body["next_cursor"]).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    row = body["items"][0]
    assert row["kind"] == "虚假购置" and row["buyer"] == "张*" and row["district"] == "海淀区"
    assert api.get("/violations", district="110114").json()["items"] == []
    # The published rows carry no state, no amount, no personal number.
    assert set(row) == {"number", "decided_on", "district", "kind", "item", "manufacturer", "model", "buyer"}
