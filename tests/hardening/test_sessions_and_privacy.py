"""Sessions and personal data (issue 14, part 6; R45): idle sessions end (officials sooner than buyers), a 403 is
one line in the log, the officer's buyer search keeps ID numbers out of URLs, and an objector's contact is
encrypted in the database."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Objection

pytestmark = pytest.mark.django_db


def test_an_idle_officials_session_ends_after_30_minutes_R45(login, cast):
    start = timezone.now()
    client = login(cast["officer"])
    with time_machine.travel(start, tick=False):
        assert client.get(reverse("core:office")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get(reverse("core:office")).status_code == 200  # activity keeps it alive
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        response = client.get(reverse("core:office"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_a_buyers_session_lasts_longer_but_ends_too_R45(login, cast):
    start = timezone.now()
    client = login(cast["buyer"])
    with time_machine.travel(start, tick=False):
        assert client.get(reverse("apply:home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert client.get(reverse("apply:home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=31 + 241), tick=False):
        assert client.get(reverse("apply:home")).status_code == 302


def test_a_403_is_one_line_in_the_log_not_a_traceback(login, cast, caplog):
    client = login(cast["buyer"])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("core:office")).status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Forbidden (Permission denied): /office/" and record.exc_info is None


def test_the_buyer_search_keeps_id_numbers_out_of_urls_R45(login, cast):
    client = login(cast["officer"])
    response = client.post(reverse("accounts:buyers"), {"q": "110108197503120033"}, follow=True)
    assert [b.username for b in response.context["page"].object_list] == ["b1"]
    assert all("110108197503120033" not in url for url, _ in response.redirect_chain)
    assert client.get(reverse("accounts:buyers"), {"q": "13900000001"}).context["q"] != "13900000001"


def test_an_objectors_contact_is_encrypted_in_the_database_R45(cast, verified):
    app = services.open_notice(application_id=verified().pk, officer=cast["officer"])
    services.object_to_notice(application_id=app.pk, text="该机具实际为他人所有", contact="13700137000")
    assert Objection.objects.get().contact == "13700137000"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM applications_objection")
        assert "13700137000" not in repr(cursor.fetchall())
