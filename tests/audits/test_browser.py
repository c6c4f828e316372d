"""Issue 11 "Done when", in Debian's Chromium: an auditor on a phone goes from the task list through a control
report to a suspected violation; the district officer, at a desk, proposes a decision, enters the party's answer
and decides the case (R38, R45)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.workflow import State
from audits.models import Case, Investigation
from audits.sampling import draw_run
from catalog.models import Item
from tests.conftest import make_user
from tests.payments.test_browser import DESK, PHONE, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_auditor_on_a_phone_reports_a_suspected_violation_and_the_officer_decides_R38(
    browser, live_server, cast, submitted, haidian, shot
):
    app = submitted()
    Item.objects.filter(pk=app.product.item_id).update(is_high_risk=True)
    today = timezone.localdate()
    draw_run(district=haidian, period_start=today - timedelta(days=1), period_end=today, seed="e2e", by=cast["city"])
    auditor = make_user("a-hd", "auditor", haidian)

    context, page = signed_in(browser, live_server, auditor.username, viewport=PHONE)
    page.goto(reverse("audits:tasks"))
    shot(page, "audits-phone-tasks")
    page.click(f"text={app.number}")
    page.fill("[name=met]", "张三本人")
    page.fill("[name=nameplate_seen]", "TX-554")
    page.fill("[name=serial_seen]", "SN-9999")
    page.fill("[name=location]", "海淀区上庄镇")
    page.fill("[name=notes]", "铭牌上的出厂编号与申请不符")
    page.check("input[name=conclusion][value=suspected]")
    shot(page, "audits-phone-report")
    page.click("text=保存核查记录")
    page.wait_for_selector("#conclusion")
    assert "涉嫌违规" in page.inner_text("#conclusion")
    context.close()
    investigation = Investigation.objects.get(application=app)
    app.refresh_from_db()
    assert app.state == State.UNDER_INVESTIGATION

    context, page = signed_in(browser, live_server, cast["officer"].username, viewport=DESK)
    page.goto(reverse("audits:investigation", args=[investigation.pk]))
    page.check("#form-propose input[name=party][value=buyer]")
    page.fill("#form-propose [name=proposed]", "拟认定重复使用铭牌，不予补贴")
    page.click("#form-propose button")
    page.wait_for_selector("#case-facts")
    page.fill("#form-answer [name=text]", "书面答复：无异议")
    page.click("#form-answer button")
    page.wait_for_selector("#form-decide")
    page.check("#form-decide input[name=decision][value=violation]")
    page.select_option("#form-decide [name=kind]", "reused_nameplate")
    page.fill("#form-decide [name=text]", "出厂编号不符，认定重复使用铭牌")
    page.check("#form-decide [name=bar_buyer]")
    page.click("#form-decide button")
    page.wait_for_selector("#decision")
    shot(page, "audits-desk-decided")
    assert "重复使用铭牌" in page.inner_text("#decision")
    context.close()
    case = Case.objects.get(investigation=investigation)
    assert case.decision == "violation" and case.kind == "reused_nameplate"
    app.refresh_from_db()
    assert app.state == State.REJECTED
