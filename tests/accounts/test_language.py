"""Chinese first, English complete: the language a user chooses on the site is kept, and their inbox, e-mails and
text messages are written in it; signing in on another device brings it back."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from notifications.models import Notification
from notifications.services import language_for
from tests.accounts.test_registration import form_data, register

pytestmark = pytest.mark.django_db
SWITCH = reverse("set_language")


def test_a_signed_in_users_choice_is_kept_for_their_messages(login, cast):
    buyer = cast["buyer"]
    assert language_for(buyer) == "zh-hans"
    client = login(buyer)
    response = client.post(SWITCH, {"language": "en", "next": reverse("apply:home")})
    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    buyer.refresh_from_db()
    assert (buyer.language, language_for(buyer)) == ("en", "en")
    client.post(SWITCH, {"language": "klingon"})  # not a language of the site: nothing kept
    buyer.refresh_from_db()
    assert buyer.language == "en"


def test_someone_signed_out_switches_the_pages_only(client):
    response = client.post(SWITCH, {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Sign in" in client.get(reverse("accounts:login")).content.decode()


def test_a_buyer_who_registers_in_english_is_written_to_in_english(client, haidian):
    client.post(SWITCH, {"language": "en", "next": "/"})
    register(client, form_data(district=haidian.pk))
    user = User.objects.get(display_name="王小明")
    assert user.language == "en"
    welcome = Notification.objects.get(recipient=user)
    assert welcome.subject == "Welcome to the agricultural machinery subsidy service"


def _sign_in(client, user):
    user.set_password("harvest-2026")
    user.save()
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": "harvest-2026"})
    assert response.status_code == 302
    return response


def test_signing_in_on_a_new_device_brings_back_the_language_chosen_before(client, cast):
    officer = cast["officer"]
    officer.language = "en"
    officer.save(update_fields=["language"])
    response = _sign_in(client, officer)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Sign out" in client.get(reverse("accounts:profile")).content.decode()


def test_a_language_chosen_on_this_device_before_signing_in_wins_and_is_kept(client, cast):
    officer = cast["officer"]
    officer.language = "en"
    officer.save(update_fields=["language"])
    client.post(SWITCH, {"language": "zh-hans", "next": "/"})
    response = _sign_in(client, officer)
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies  # the device's choice stands
    officer.refresh_from_db()
    assert officer.language == "zh-hans"


def test_without_any_choice_the_browsers_language_is_left_alone(client, cast):
    response = _sign_in(client, cast["officer"])
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    cast["officer"].refresh_from_db()
    assert cast["officer"].language == ""
