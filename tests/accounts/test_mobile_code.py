"""Registration (R3) as a new farmer meets it: the mobile number is confirmed by a code sent by text message
before any account exists; an individual is asked for the ID number only and an organisation for the credit code
only; every error says in Chinese what to do."""

import time

import pytest
import time_machine
from django.urls import reverse

from accounts import mobile_check
from accounts.models import Role, User
from notifications.models import SmsMessage
from tests.accounts.test_registration import form_data
from tests.conftest import texted_code

pytestmark = pytest.mark.django_db

REGISTER = reverse("accounts:register")
CONFIRM = reverse("accounts:register_confirm")


@pytest.fixture
def data(haidian):
    return form_data(district=haidian.pk)


def test_no_account_exists_until_the_texted_code_is_entered_R3(client, data):
    response = client.post(REGISTER, data)
    assert response.url == CONFIRM
    assert not User.objects.filter(role=Role.BUYER).exists()
    message = SmsMessage.objects.get()
    assert message.phone == "13712345678" and "验证码" in message.text
    page = client.get(CONFIRM).content.decode()
    assert "137****5678" in page and "13712345678" not in page
    response = client.post(CONFIRM, {"code": texted_code()})
    assert response.url == reverse("apply:home")
    assert User.objects.get(role=Role.BUYER).mobile == "13712345678"


def test_the_waiting_registration_keeps_no_personal_number_or_password_in_clear_R3(client, data):
    client.post(REGISTER, data)
    pending = str(client.session[mobile_check.SESSION_KEY])
    for secret in ("13712345678", data["id_number"], data["password1"], texted_code()):
        assert secret not in pending


def test_a_wrong_code_is_refused_in_chinese_and_nothing_is_made_R3(client, data):
    client.post(REGISTER, data)
    code = texted_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = client.post(CONFIRM, {"code": wrong})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert not User.objects.filter(role=Role.BUYER).exists()
    assert "验证码为6位数字" in client.post(CONFIRM, {"code": "12ab"}).content.decode()


def test_after_five_wrong_codes_even_the_right_one_needs_a_new_code_R3(client, data):
    client.post(REGISTER, data)
    code = texted_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(mobile_check.MAX_ATTEMPTS):
        client.post(CONFIRM, {"code": wrong})
    response = client.post(CONFIRM, {"code": code})
    assert "输错次数过多" in response.content.decode()
    assert not User.objects.filter(role=Role.BUYER).exists()


def test_an_expired_code_is_refused_and_a_new_one_can_be_sent_after_a_minute_R3(client, data):
    client.post(REGISTER, data)
    first = texted_code()
    assert "秒后可以重新发送" in client.post(CONFIRM, {"resend": "1"}, follow=True).content.decode()
    assert SmsMessage.objects.count() == 1
    with time_machine.travel(time.time() + mobile_check.CODE_MINUTES * 60 + 1):
        assert "验证码已过期" in client.post(CONFIRM, {"code": first}).content.decode()
        client.post(CONFIRM, {"resend": "1"})
        assert SmsMessage.objects.count() == 2
        response = client.post(CONFIRM, {"code": texted_code()})
    assert response.url == reverse("apply:home") and User.objects.filter(role=Role.BUYER).count() == 1


def test_going_back_to_the_form_keeps_what_was_typed_but_the_password_R3(client, data):
    client.post(REGISTER, data)
    body = client.get(REGISTER).content.decode()
    assert 'value="王小明"' in body and 'value="13712345678"' in body and data["id_number"] in body
    assert data["password1"] not in body


def test_neither_number_is_called_optional_each_is_required_for_its_kind_R3(client):
    """Which of the two a page shows is proven in a browser (tests/end_to_end/test_sign_up_and_sign_in.py)."""
    body = client.get(REGISTER).content.decode()
    for field in ("id_number", "credit_code"):
        block = body.split(f'id="field-{field}"')[1].split("</div>")[0]
        assert "选填" not in block, field


def test_an_empty_form_says_what_to_do_for_each_field_never_the_generic_message_R3(client):
    body = client.post(REGISTER, {"buyer_kind": "individual"}).content.decode()
    assert "这个字段是必填项" not in body
    said = ("请填写身份证上的姓名", "请输入居民身份证号码", "请选择户籍或生产经营所在的区", "请填写手机号码")
    said += ("请设置至少8位的密码",)
    for told in said:
        assert told in body, told


def test_the_embedded_default_prints_the_texted_code_to_the_terminal_and_production_does_not_R3(
    client, data, settings, capfd
):
    """Whoever runs the demo reads a registration's code where the run command prints; never in production."""
    settings.SMS_ECHO = True
    client.post(REGISTER, data)
    assert "SMS to 137****5678: " in capfd.readouterr().err and texted_code() in SmsMessage.objects.get().text
    settings.SMS_ECHO = False
    with time_machine.travel(time.time() + mobile_check.RESEND_SECONDS + 1):
        client.post(CONFIRM, {"resend": "1"})
    assert SmsMessage.objects.count() == 2 and capfd.readouterr().err == ""
