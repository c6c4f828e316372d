"""The paths a person walks through the frame: register on a phone, sign in at a desk, switch language."""

import pytest

from accounts.models import Role, User
from tests.conftest import texted_code

# serialized_rollback: the reference data loaded by migrations (districts, calendar, catalogue) is restored
# after other transactional tests have flushed it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_farmer_registers_on_a_phone_and_lands_on_my_applications_R3(phone, shot):
    page = phone
    page.goto("/")
    page.get_by_role("link", name="注册").first.click()
    page.get_by_label("农民专业合作经济组织").check()  # an organisation is asked its credit code, not an ID number
    assert page.get_by_label("统一社会信用代码").is_visible() and not page.get_by_label("居民身份证号码").is_visible()
    page.get_by_label("个人农民").check()
    assert page.get_by_label("居民身份证号码").is_visible() and not page.get_by_label("统一社会信用代码").is_visible()
    page.get_by_label("真实姓名或组织的完整登记名称").fill("李春生")
    page.get_by_label("居民身份证号码").fill("110105194912310021")  # wrong check digit first
    page.get_by_label("所在区").select_option(label="海淀区")
    page.get_by_label("手机号码").fill("13611112222")
    page.get_by_label("密码", exact=True).fill("spring-sowing-26")
    page.get_by_label("再次输入密码").fill("spring-sowing-26")
    page.get_by_role("button", name="继续").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "居民身份证号码" in summary.inner_text()
    assert page.get_by_label("手机号码").input_value() == "13611112222"  # nothing typed is lost
    shot(page, "register-error-phone-zh")
    page.get_by_label("居民身份证号码").fill("11010519491231002X")
    page.get_by_label("密码", exact=True).fill("spring-sowing-26")
    page.get_by_label("再次输入密码").fill("spring-sowing-26")
    page.get_by_role("button", name="继续").click()
    page.get_by_role("heading", name="确认手机号码").wait_for()  # the code texted to the mobile number (R3)
    page.get_by_label("验证码").fill(texted_code())
    page.get_by_role("button", name="创建账户").click()
    page.get_by_role("heading", name="我的申请").wait_for()
    shot(page, "apply-phone-zh")
    user = User.objects.get(display_name="李春生")
    assert user.role == Role.BUYER and user.district.name == "海淀区"


def test_officer_signs_in_and_switches_to_english(desk, shot, cast):
    page = desk
    page.goto("/accounts/login/")
    page.get_by_label("用户名或手机号码").fill("o1")
    page.get_by_label("密码").fill("demo12345")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="海淀区农业农村部门").wait_for()
    shot(page, "office-desk-zh")
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Haidian agriculture office").wait_for()
    shot(page, "office-desk-en")
    page.get_by_role("link", name="Registered buyers").click()
    assert "139****0001" in page.content()
