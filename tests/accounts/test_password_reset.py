"""Password reset works through the notification outbox: a text message and an e-mail carry the link."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from notifications.models import Notification, SmsMessage
from notifications.sms import OutboxBackend

LINK = re.compile(r"http://testserver(/accounts/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def mailbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return mail.outbox


@pytest.fixture
def gateway(monkeypatch):
    """The texts as the SMS gateway receives them (the outbox keeps them masked)."""
    sent = []
    original = OutboxBackend.send

    def send(self, *, phone, text):
        sent.append(text)
        original(self, phone=phone, text=text)

    monkeypatch.setattr(OutboxBackend, "send", send)
    return sent


@pytest.mark.django_db
def test_buyer_resets_password_by_text_message(client, cast, gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"login": "13900000001"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.url == reverse("accounts:password_reset_sent")
    sms = SmsMessage.objects.get()
    assert sms.phone == "13900000001"
    assert "请在两小时内打开此链接" in sms.text  # written in the buyer's language, whatever the browser's
    assert not LINK.search(sms.text) and "/accounts/reset/******/" in sms.text  # the outbox keeps it masked
    path = LINK.search(gateway[0]).group(1)
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "new-harvest-99", "new_password2": "new-harvest-99"}
    )
    assert done.url == reverse("accounts:password_reset_complete")
    assert User.objects.get(pk=cast["buyer"].pk).check_password("new-harvest-99")
    # The link works once.
    assert not client.get(path, follow=True).context["validlink"]


@pytest.mark.django_db
def test_official_resets_password_by_email(client, cast, mailbox, django_capture_on_commit_callbacks):
    cast["officer"].email = "wang@example.org"
    cast["officer"].save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"login": "wang@example.org"})
    assert len(mailbox) == 1 and mailbox[0].to == ["wang@example.org"]
    assert LINK.search(mailbox[0].body)


@pytest.mark.django_db
def test_unknown_account_gets_the_same_answer_and_nothing_is_sent(
    client, cast, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"login": "13999999999"})
    assert response.url == reverse("accounts:password_reset_sent")
    assert not SmsMessage.objects.exists() and mailbox == []


@pytest.mark.django_db
def test_the_reset_token_is_stored_nowhere_in_clear_R45(client, cast, gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"login": "13900000001"})
    token = LINK.search(gateway[0]).group(1).rstrip("/").rsplit("/", 1)[1]
    notification = Notification.objects.get(recipient=cast["buyer"])
    assert token not in notification.body and "/accounts/reset/******/" in notification.body
    assert token not in notification.secret_encrypted and token not in SmsMessage.objects.get().text
