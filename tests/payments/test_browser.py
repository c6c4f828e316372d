"""Issue 6 "Done when", in Debian's Chromium: a finance officer builds a batch, a second one approves it, the export
downloads, the treasury's return file is imported, and the buyer's page shows "paid" with the voucher (R36, R45)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.demo import DEMO_PASSWORD
from applications.workflow import State
from payments import ledger
from payments.models import Export, Payment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
VOUCHER = "GK2026-E2E-0001"


def signed_in(browser, live_server, username, viewport=DESK):
    context = browser.new_context(viewport=viewport, base_url=live_server.url, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("用户名或手机号码").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    return context, page


def test_batch_built_approved_exported_returned_and_paid_in_a_browser_R36(
    browser, live_server, cast, haidian, fund, requested, second_finance, tmp_path, shot
):
    fund(haidian)
    app = requested()

    # The first finance officer builds a batch from the queue.
    first_context, first = signed_in(browser, live_server, cast["finance"].username)
    first.goto(reverse("payments:queue"))
    first.check(f"#ids-{app.pk}")
    first.click("#build-batch")
    first.wait_for_selector("#batch-state[data-state='built']")
    batch_url = first.url
    assert first.locator("#approve").count() == 0  # never their own
    shot(first, "payments-batch-built")

    # The second officer approves it and downloads the file for the treasury.
    second_context, second = signed_in(browser, live_server, second_finance.username)
    second.goto(batch_url)
    second.click("#approve")
    second.wait_for_selector("#batch-state[data-state='approved']")
    with second.expect_download() as download_info:
        second.click("#export-xlsx")
    path = tmp_path / "batch.xlsx"
    download_info.value.save_as(path)
    rows = [list(r) for r in load_workbook(path).active.iter_rows(values_only=True)]
    assert rows[1][1] == app.number and rows[1][3] == "6228480010012345678"
    assert Export.objects.filter(by=second_finance).count() == 1

    # The treasury's return file is imported.
    header = ["批次号", "申请编号", "金额", "结果", "凭证号", "失败原因"]
    out = io.StringIO()
    csv.writer(out).writerows([header, [rows[1][0], app.number, rows[1][8], "成功", VOUCHER, ""]])
    returned = tmp_path / "return.csv"
    returned.write_text(out.getvalue(), encoding="utf-8")
    second.reload()
    second.set_input_files("#id_file", str(returned))
    second.click("#import")
    second.wait_for_selector("#batch-state[data-state='closed']")
    shot(second, "payments-batch-paid")
    assert Payment.objects.get(application=app).voucher == VOUCHER

    # The buyer reads "paid" and the voucher on a phone.
    buyer_context, buyer = signed_in(browser, live_server, cast["buyer"].username, viewport=PHONE)
    buyer.goto(f"/apply/{app.pk}/")
    assert buyer.locator("#state").inner_text().strip() != ""
    assert VOUCHER in buyer.content()
    shot(buyer, "payments-buyer-paid")
    app.refresh_from_db()
    assert app.state == State.PAID
    assert ledger.check()
    for context in (first_context, second_context, buyer_context):
        context.close()


def test_municipal_finance_enters_an_allocation_and_a_district_reads_it_on_a_phone_R21(
    browser, live_server, cast, haidian, shot
):
    context, page = signed_in(browser, live_server, cast["city_finance"].username)
    page.goto(reverse("payments:ledger"))
    page.select_option("#id_kind", "allocation")
    page.select_option("#id_district", str(haidian.pk))
    page.fill("#id_year", "2026")
    page.select_option("#id_source", "central")
    page.fill("#id_amount", "1200000")
    page.fill("#id_document", "京财农〔2026〕1号")
    page.fill("#id_reason", "2026年中央资金第一批下达")
    page.locator("section form button[type=submit]").click()
    page.wait_for_selector("#balances")
    shot(page, "payments-ledger-city")
    assert ledger.balance_of(haidian, 2026, "central").available == 1200000
    context.close()

    context, phone = signed_in(browser, live_server, cast["finance"].username, viewport=PHONE)
    phone.goto(reverse("payments:ledger"))
    phone.click("#balances a")
    phone.wait_for_selector("#entries")
    assert "京财农〔2026〕1号" in phone.content()
    shot(phone, "payments-fund-entries-phone")
    context.close()


def test_after_the_year_end_finance_sees_carried_requests_first_and_the_buyer_is_told_R37(
    browser, live_server, cast, haidian, fund, requested, shot
):
    from django.utils import timezone

    year = timezone.localdate().year
    fund(haidian)
    carried = requested(serial="SN-OLD")

    # The municipal finance bureau sees what closing the year carries, then closes it.
    context, page = signed_in(browser, live_server, cast["city_finance"].username)
    page.goto(reverse("payments:year_end"))
    page.get_by_label("要结转的补贴年度").fill(str(year))
    page.get_by_role("button", name="查看结转内容").click()
    page.wait_for_selector("#close-year")
    assert "结转申请 1 件" in page.locator("#plan").inner_text()
    shot(page, "payments-year-end-preview")
    page.get_by_role("button", name=f"提出结转{year}年度").click()  # one official asks (R45 four-eyes)
    page.wait_for_selector("#waiting-second")
    context.close()
    from tests.conftest import make_user

    second = make_user("c3", "city_finance")
    context, page = signed_in(browser, live_server, second.username)
    page.goto(f"{reverse('payments:year_end')}?year={year}")
    page.wait_for_selector("#asked-by")
    page.get_by_role("button", name=f"审核通过并结转{year}年度").click()  # a second approves, which closes it
    page.wait_for_selector("#closed-by")
    shot(page, "payments-year-end-closed")
    context.close()
    fund(haidian, year=year + 1)
    fresh = requested(serial="SN-NEW")
    fresh.refresh_from_db()
    assert (fresh.year, fresh.carried_from) == (year + 1, None)  # entered after the close: the next year's own

    context, page = signed_in(browser, live_server, cast["finance"].username)
    page.goto(reverse("payments:queue"))
    rows = page.locator("table tbody tr")
    assert f"由{year}年度结转" in rows.first.inner_text() and carried.number in rows.first.inner_text()
    shot(page, "payments-queue-carried")
    page.goto(reverse("payments:application", args=[carried.pk]))
    assert page.locator("#subsidy-year").inner_text().startswith(str(year + 1))
    context.close()

    context, phone = signed_in(browser, live_server, cast["buyer"].username, viewport=PHONE)
    phone.goto(f"/apply/{carried.pk}/")
    event = phone.locator("[data-action='carry_over']")
    assert "结转至下一年度，优先兑付" in event.inner_text() and str(year + 1) in event.inner_text()
    shot(phone, "apply-carried-phone")
    context.close()
