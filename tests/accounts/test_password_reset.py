"""Password reset works through the notification outbox: a text message and an e-mail carry the link."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from notifications.models import SmsMessage

LINK = re.compile(r"http://testserver(/accounts/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def mailbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return mail.outbox


@pytest.mark.django_db
def test_buyer_resets_password_by_text_message(client, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"login": "13900000001"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.url == reverse("accounts:password_reset_sent")
    sms = SmsMessage.objects.get()
    assert sms.phone == "13900000001"
    assert "请在两小时内打开此链接" in sms.text  # written in the buyer's language, whatever the browser's
    path = LINK.search(sms.text).group(1)
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
