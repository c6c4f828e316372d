"""Buyers register with a mobile number and real-name data (R3), checked by GB 11643 / GB 32100."""

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import BuyerKind, Role, User
from tests.conftest import texted_code

VALID_ID = "11010519491231002X"  # GB 11643 example: valid
BAD_CHECK_DIGIT_ID = "110105194912310021"  # same number, wrong check digit
VALID_USCC = "91110000600037341L"
BAD_USCC = "91110000600037341M"


def form_data(**overrides):
    data = {
        "buyer_kind": BuyerKind.INDIVIDUAL,
        "display_name": "王小明",
        "id_number": VALID_ID,
        "credit_code": "",
        "district": "",
        "mobile": "13712345678",
        "email": "",
        "password1": "harvest-2026",
        "password2": "harvest-2026",
    }
    data.update(overrides)
    return data


@pytest.fixture
def data(haidian):
    return form_data(district=haidian.pk)


def register(client, data):
    """The form, then the code texted to the mobile number (R3)."""
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 302 and response.url == reverse("accounts:register_confirm")
    return client.post(reverse("accounts:register_confirm"), {"code": texted_code()})


@pytest.mark.django_db
def test_individual_registers_with_valid_id_number_R3(client, data):
    response = register(client, data)
    assert response.status_code == 302
    assert response.url == reverse("apply:home")
    user = User.objects.get(display_name="王小明")
    assert user.role == Role.BUYER
    assert user.buyer_kind == BuyerKind.INDIVIDUAL
    assert user.id_number == VALID_ID
    assert user.mobile == "13712345678"
    assert user.district.code == "110108"
    # Signed in straight away.
    assert client.get(reverse("apply:home")).status_code == 200


@pytest.mark.django_db
def test_personal_numbers_are_stored_encrypted_with_a_blind_index(client, data):
    register(client, data)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number_encrypted, mobile_encrypted, id_number_index FROM accounts_user")
        id_cipher, mobile_cipher, id_index = cursor.fetchone()
    assert VALID_ID not in id_cipher and "13712345678" not in mobile_cipher
    assert VALID_ID not in id_index and len(id_index) == 64
    assert User.objects.with_id_number(VALID_ID.lower()).count() == 1


@pytest.mark.django_db
def test_wrong_id_check_digit_is_refused_and_typed_values_are_kept_R3(client, data):
    response = client.post(reverse("accounts:register"), {**data, "id_number": BAD_CHECK_DIGIT_ID})
    assert response.status_code == 200
    assert not User.objects.filter(role=Role.BUYER).exists()
    form = response.context["form"]
    assert "id_number" in form.errors
    assert form.errors.as_data()["id_number"][0].code == "invalid_id_number"
    body = response.content.decode()
    assert 'value="王小明"' in body and 'value="13712345678"' in body
    assert 'href="#id_id_number"' in body  # the error summary links to the field


@pytest.mark.django_db
def test_id_number_error_is_in_chinese_by_default(client, data):
    response = client.post(reverse("accounts:register"), {**data, "id_number": BAD_CHECK_DIGIT_ID})
    assert "不是有效的居民身份证号码" in response.content.decode()


@pytest.mark.django_db
def test_organisation_registers_with_valid_credit_code_R3(client, data):
    response = register(
        client,
        {
            **data,
            "buyer_kind": BuyerKind.COOPERATIVE,
            "display_name": "某某农机专业合作社",
            "id_number": "",
            "credit_code": VALID_USCC.lower(),
        },
    )
    assert response.status_code == 302
    user = User.objects.get(credit_code=VALID_USCC)
    assert user.buyer_kind == BuyerKind.COOPERATIVE
    assert user.id_number == ""
    assert user.is_organisation


@pytest.mark.django_db
def test_wrong_credit_code_check_character_is_refused_R3(client, data):
    response = client.post(
        reverse("accounts:register"),
        {**data, "buyer_kind": BuyerKind.ENTERPRISE, "id_number": "", "credit_code": BAD_USCC},
    )
    assert response.status_code == 200
    assert "credit_code" in response.context["form"].errors
    assert not User.objects.filter(role=Role.BUYER).exists()


@pytest.mark.django_db
def test_a_mobile_number_registers_once(client, data, cast):
    response = client.post(reverse("accounts:register"), {**data, "mobile": cast["buyer"].mobile})
    assert "mobile" in response.context["form"].errors
    assert User.objects.with_mobile(cast["buyer"].mobile).count() == 1


@pytest.mark.django_db
def test_an_id_number_registers_once(client, data, cast):
    response = client.post(reverse("accounts:register"), {**data, "id_number": cast["buyer"].id_number})
    assert "id_number" in response.context["form"].errors


@pytest.mark.django_db
def test_buyer_signs_in_with_mobile_number(client, cast):
    response = client.post(reverse("accounts:login"), {"username": "13900000001", "password": "demo12345"})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).url == reverse("apply:home")
