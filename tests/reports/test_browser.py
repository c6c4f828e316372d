"""Issue 12 "Done when", in Debian's Chromium: the municipal bureau walks from the dashboard to a district's monthly
report and downloads its PDF; a district officer sees their own district's reports only (R40, R45)."""

import hashlib

import pytest

from reports import services
from reports.periods import Month
from tests.payments.test_browser import DESK, PHONE, signed_in
from tests.reports.scenario import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def reports(rows, haidian, changping, cast):
    build(rows, haidian, changping, cast)
    month = Month(2026, 10)
    return {
        "haidian": services.generate_report(month=month, district=haidian)[0],
        "changping": services.generate_report(month=month, district=changping)[0],
    }


def test_the_bureau_goes_from_the_dashboard_to_a_districts_report_R40(browser, live_server, cast, reports, tmp_path,
                                                                      shot):  # fmt: skip
    context, page = signed_in(browser, live_server, cast["city"].username)
    page.goto("/office/")
    page.get_by_role("link", name="工作看板").click()
    page.wait_for_selector("h1:has-text('工作看板')")
    charts = page.locator("figure.chart img")  # SVG images of their own, drawn (not refused by the page's CSP)
    assert charts.count() == 2 and page.locator("table caption").count() >= 3
    assert all(charts.nth(i).evaluate("img => img.complete && img.naturalWidth > 0") for i in range(2))
    shot(page, "reports-dashboard-desk")
    page.get_by_role("link", name="月度合规报告").first.click()
    page.get_by_role("link", name="海淀区").first.click()
    page.wait_for_selector("h1:has-text('海淀区月度合规报告')")
    shot(page, "reports-report-desk")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载 PDF").click()
    path = tmp_path / "report.pdf"
    download_info.value.save_as(path)
    content = path.read_bytes()
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == reports["haidian"].pdf_sha256
    context.close()
    context, page = signed_in(browser, live_server, cast["city"].username, viewport=PHONE)
    page.goto("/office/dashboard/")
    shot(page, "reports-dashboard-phone")
    context.close()


def test_a_district_officer_sees_their_own_reports_only(browser, live_server, cast, reports, shot):
    context, page = signed_in(browser, live_server, cast["officer"].username, viewport=DESK)
    page.goto("/office/reports/")
    assert page.get_by_role("link", name="海淀区", exact=True).count() == 1
    assert page.get_by_role("link", name="昌平区", exact=True).count() == 0
    assert page.get_by_role("link", name="北京市", exact=True).count() == 0
    shot(page, "reports-list-district")
    response = page.goto(f"/office/reports/{reports['changping'].pk}/")
    assert response.status == 404
    response = page.goto(f"/office/reports/{reports['changping'].pk}/pdf/")
    assert response.status == 404
    context.close()
