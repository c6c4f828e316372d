"""Reports in /office/ and /finance/: a district's officials download their district's reports only (another
district's, and the city's, are 404); the municipal bureaus see all, generate a month and correct a report."""

import pytest

from reports import services
from reports.models import MonthlyReport
from reports.periods import Month
from tests.reports.scenario import build

OCTOBER = Month(2026, 10)


@pytest.fixture
def reports(rows, haidian, changping, cast, monkeypatch):
    # The files' rendering is proven in test_pdf; here small stand-ins keep the page tests quick.
    monkeypatch.setattr(
        services,
        "render_files",
        lambda report: (b"PK xlsx " + report.figures_sha256.encode(), b"%PDF- " + report.figures_sha256.encode()),
    )
    build(rows, haidian, changping, cast)
    return {
        "haidian": services.generate_report(month=OCTOBER, district=haidian)[0],
        "changping": services.generate_report(month=OCTOBER, district=changping)[0],
        "city": services.generate_report(month=OCTOBER)[0],
    }


def test_a_district_officer_downloads_their_districts_report(reports, login, cast):
    client = login(cast["officer"])
    page = client.get("/office/reports/")
    assert page.status_code == 200
    assert reports["haidian"].scope_name in page.content.decode()
    assert f"/office/reports/{reports['changping'].pk}/" not in page.content.decode()
    pdf = client.get(f"/office/reports/{reports['haidian'].pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content == bytes(reports["haidian"].pdf)
    assert pdf["X-Content-SHA256"] == reports["haidian"].pdf_sha256
    finance = login(cast["finance"]).get(f"/finance/reports/{reports['haidian'].pk}/xlsx/")
    assert finance.status_code == 200


@pytest.mark.parametrize("which", ["changping", "city"])
def test_another_districts_report_and_the_citys_are_not_found(reports, login, cast, which):
    client = login(cast["officer"])
    for path in ("", "pdf/", "xlsx/"):
        assert client.get(f"/office/reports/{reports[which].pk}/{path}").status_code == 404
    assert login(cast["finance"]).get(f"/finance/reports/{reports[which].pk}/pdf/").status_code == 404


def test_anonymous_and_buyers_are_refused(reports, client, login, cast):
    response = client.get(f"/office/reports/{reports['haidian'].pk}/pdf/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert login(cast["buyer"]).get(f"/office/reports/{reports['haidian'].pk}/pdf/").status_code == 403
    assert login(cast["officer"]).get(f"/office/reports/{reports['haidian'].pk}/exe/").status_code == 404


def test_the_bureau_sees_every_report_and_the_city(reports, login, cast):
    client = login(cast["city"])
    page = client.get("/office/reports/").content.decode()
    assert all(f"/office/reports/{r.pk}/" in page for r in reports.values())
    detail = client.get(f"/office/reports/{reports['city'].pk}/").content.decode()
    assert "实施进度统计表" in detail and "海淀区" in detail and "昌平区" in detail
    assert login(cast["city_finance"]).get(f"/finance/reports/{reports['city'].pk}/pdf/").status_code == 200


def test_only_the_bureau_generates_and_corrects(reports, login, cast):
    officer = login(cast["officer"])
    assert officer.post("/office/reports/generate/", {"month": "2026-09"}).status_code == 403
    assert officer.post(f"/office/reports/{reports['haidian'].pk}/correct/", {"reason": "x"}).status_code == 403
    assert MonthlyReport.objects.count() == 3


def test_the_bureau_corrects_a_report_and_bad_input_is_explained(reports, login, cast, rows, haidian):
    client = login(cast["city"])
    response = client.post("/office/reports/generate/", {"month": "2099-13"})
    assert response.status_code == 400 and "2026-10" in response.content.decode()
    response = client.post(f"/office/reports/{reports['haidian'].pk}/correct/", {"reason": "复核"}, follow=True)
    assert "没有任何数据变动" in response.content.decode()
    assert MonthlyReport.objects.count() == 3
    from applications.models import EventAction

    app = rows.application(haidian)
    rows.event(app, EventAction.SUBMIT, "2026-10-30")
    response = client.post(f"/office/reports/{reports['haidian'].pk}/correct/", {"reason": "补录"}, follow=True)
    new = MonthlyReport.objects.get(version=2)
    assert response.redirect_chain[-1][0] == f"/office/reports/{new.pk}/"
    assert "applications.month.received" in response.content.decode()
