"""The buyer's timeline shows the steps still ahead, each with the latest date it should happen by on the
working-day calendar (R30, R33–R36); every pause is said in the buyer's words (a payment on hold at finance is
not "the district is checking"); the officials' calendar banner is not shown to buyers."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from applications import services
from payments import services as payments
from workdays.calendar import add_working_days

pytestmark = pytest.mark.django_db


def at(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def page(login, cast, app) -> str:
    return login(cast["buyer"]).get(reverse("apply:application", args=[app.pk])).content.decode()


def steps_ahead(body: str) -> list[str]:
    return re.findall(r'<li class="ahead" data-step="(\w+)">', body)


def test_an_accepted_application_shows_each_step_ahead_with_its_latest_date_across_national_day_R33_R34_R35_R36(
    login, cast, submitted
):
    with at("2026-09-28"):
        app = submitted()
        services.accept_application(application_id=app.pk, officer=cast["officer"])
        body = page(login, cast, app)
    verify_by = add_working_days(date(2026, 9, 28), 13)
    notice_by = add_working_days(verify_by, 5)
    hand_over_by = add_working_days(notice_by, 5)
    pay_by = add_working_days(hand_over_by, 15)
    assert verify_by.isoformat() == "2026-10-21"  # 13 working days: 10-01..10-07 off, Saturday 10-10 worked
    assert steps_ahead(body) == ["notice", "hand_over", "pay"]
    for day in (verify_by, notice_by, hand_over_by, pay_by):
        assert day.isoformat() in body, day
    assert "公示5个工作日" in body and "补贴发放到您的账户" in body


def test_a_paused_step_gives_no_dates_for_what_follows_R34(login, cast, verified, client):
    app = services.open_notice(application_id=verified().pk, officer=cast["officer"])
    services.object_to_notice(application_id=app.pk, text="铭牌可疑")
    body = page(login, cast, app)
    assert steps_ahead(body) == ["hand_over", "pay"]
    assert "前一步继续办理后再确定日期" in body
    assert "区里核查期间暂停计时" in body


def test_a_payment_on_hold_is_said_in_the_buyers_words_not_as_a_district_check_R36(
    login, cast, haidian, fund, requested
):
    fund(haidian)
    app = requested(serial="TL-1")
    payments.defer_payment(application_id=app.pk, officer=cast["finance"], reason="funds_short", note="资金未到位")
    body = page(login, cast, app)
    assert "财政部门暂缓付款" in body
    assert "区里核查期间暂停计时" not in body
