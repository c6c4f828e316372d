"""Issue 17 "Done when", in Debian's Chromium on a phone: the buyer sees the progress (已完成 x/500 亩), claims
the application subsidy once the targets are met by signing the commitment, and sees the claim paid after the
district and finance did their work (done here through the services) (R20)."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.demo import DEMO_PASSWORD
from applications import services
from applications.models import Application, Kind, State
from tests.end_to_end.conftest import PHONE
from tests.payments.conftest import close_notice_today
from tests.usage.conftest import at, pay, work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_buyer_on_a_phone_sees_progress_claims_and_sees_it_paid_R20(
    browser, live_server, cast, machine, pilot, approved, shot
):
    m = machine()
    work(m, start=at(4, 1, 8), volume="326")
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, base_url=live_server.url, locale="zh-CN"
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("用户名或手机号码").fill(m.buyer.username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()

    page.goto(reverse("apply:home"))
    page.click("#usage-link a")
    page.click(f"[data-machine='{m.pk}']")
    assert "已完成 326/500 亩" in page.locator("#progress").inner_text()
    assert page.locator("#claim-form").count() == 0
    shot(page, "usage-progress-phone")

    work(m, start=at(4, 2, 8), volume="174")  # the terminal's next records reach the target
    page.reload()
    assert "已完成 500/500 亩" in page.locator("#progress").inner_text()
    page.check("#claim-form input[name=accept_commitment]")
    page.click("#claim-form button[type=submit]")
    page.wait_for_selector("#state")
    claim = Application.objects.get(kind=Kind.INCENTIVE, incentive_for=m)
    assert page.url.endswith(reverse("apply:application", args=[claim.pk]))
    assert claim.state == State.SUBMITTED and claim.total_amount == 3660
    shot(page, "usage-claimed-phone")

    officer = cast["officer"]
    services.accept_application(application_id=claim.pk, officer=officer)
    services.record_verification(
        application_id=claim.pk,
        officer=officer,
        method="documents",
        checked_on=at(12, 1, 9).date(),
        findings="作业记录与终端数据一致",
        passed=True,
    )
    services.open_notice(application_id=claim.pk, officer=officer)
    close_notice_today(claim)
    services.request_payment(application_id=claim.pk, officer=officer)
    pay(Application.objects.get(pk=claim.pk), cast, approved, voucher="GK-E2E-USE-1")

    page.reload()
    assert page.locator("[data-action='pay']").count() == 1
    page.goto(reverse("apply_usage:machine", args=[m.pk]))
    with translation.override("zh-hans"):  # the page's language, whatever an earlier test left active here
        paid = Application.objects.get(pk=claim.pk).get_state_display()
    assert page.locator("#claim-state").inner_text().strip() == paid
    shot(page, "usage-paid-phone")
    context.close()
