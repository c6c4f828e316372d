"""The overtime page (超时办理, R40): per district, late steps with their working days over the National Day week,
sortable, as XLSX and as the 通报 PDF; a district officer sees their own district only; constant queries."""

import io
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from applications.models import Step
from tests.reports.scenario import build, working_days_between

OCTOBER = "first=2026-10-01&last=2026-10-31"


@pytest.fixture
def scenario(rows, haidian, changping, cast):
    return build(rows, haidian, changping, cast)


def _row(response, name):
    return next(r for r in response.context["result"]["districts"] if r["name"] == name)


def test_the_bureau_sees_every_district_with_working_days_over_R40(scenario, login, cast):
    response = login(cast["city"]).get(f"/office/overtime/?{OCTOBER}")
    assert response.status_code == 200
    assert len(response.context["result"]["districts"]) == 13
    haidian = _row(response, "海淀区")
    over = working_days_between("2026-09-30", "2026-10-09") + working_days_between("2026-10-16", "2026-10-20")
    assert (haidian["met"], haidian["late"], haidian["days_over"]) == (2, 2, over)
    assert (haidian["open_past_due"], haidian["open_days_over"]) == (1, 26)
    assert _row(response, "昌平区")["late"] == 0
    cases = response.context["result"]["cases"]
    assert cases[0]["number"] == scenario["open_verify"].number and cases[0]["days_over"] == 26


def test_sorting_by_late_puts_the_worst_first(scenario, login, cast):
    response = login(cast["city"]).get(f"/office/overtime/?{OCTOBER}&sort=late")
    assert response.context["result"]["districts"][0]["name"] == "海淀区"


def test_a_district_officer_sees_their_own_district_only(scenario, login, cast):
    response = login(cast["other_officer"]).get(f"/office/overtime/?{OCTOBER}")
    assert [r["name"] for r in response.context["result"]["districts"]] == ["昌平区"]
    assert scenario["late_accept"].number not in response.content.decode()
    assert login(cast["buyer"]).get("/office/overtime/").status_code == 403


def test_bad_dates_are_explained(login, cast):
    response = login(cast["city"]).get("/office/overtime/?first=2026-10-31&last=2026-10-01")
    assert response.status_code == 400
    assert "结束日期早于开始日期" in response.content.decode()


def test_xlsx_and_the_overtime_notice_pdf(scenario, login, cast, tmp_path):
    client = login(cast["city"])
    book = load_workbook(io.BytesIO(client.get(f"/office/overtime/?{OCTOBER}&format=xlsx").content))
    sheet = book.worksheets[1]
    haidian = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "海淀区")
    assert haidian[1:4] == (2, 2, 4)
    pdf = client.get(f"/office/overtime/?{OCTOBER}&format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert "超时办理情况通报" in text and "海淀区" in text and scenario["open_verify"].number in text


def test_the_page_keeps_a_constant_number_of_queries(scenario, rows, haidian, login, cast):
    client = login(cast["city"])
    with CaptureQueriesContext(connection) as small:
        client.get(f"/office/overtime/?{OCTOBER}")
    for n in range(12):
        app = rows.application(haidian)
        rows.deadline(app, Step.ACCEPT, "2026-10-12", 2, f"2026-10-{14 + n % 3}", met="2026-10-23")
        rows.deadline(app, Step.VERIFY, "2026-09-12", 13, f"2026-09-{21 + n % 4}")
    with CaptureQueriesContext(connection) as large:
        client.get(f"/office/overtime/?{OCTOBER}")
    assert len(large) == len(small)
