"""Behind the HTTPS proxy (issue 14, part 6): the client's address comes from X-Forwarded-For only when the proxy
is named in TRUSTED_PROXIES, for axes and the objection limit alike (R34); failed sign-ins count against the
account whatever name was typed, and axes keeps no mobile number; password resets are throttled per account and
per address."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from applications import services
from applications.models import Objection
from core.clientip import client_ip

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.5"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY, "172.18.0.0/16"]
    return settings


@pytest.mark.parametrize(
    "remote, forwarded, client",
    [
        (PROXY, "1.2.3.4", "1.2.3.4"),
        (PROXY, "9.9.9.9, 1.2.3.4", "1.2.3.4"),  # the left part is whatever the client wrote
        (PROXY, "1.2.3.4, 172.18.0.9", "1.2.3.4"),  # a second trusted hop is skipped
        (PROXY, "not-an-address", PROXY),
        (PROXY, "", PROXY),
        ("8.8.8.8", "1.2.3.4", "8.8.8.8"),  # anyone else may write the header: ignored
    ],
)
def test_the_forwarded_address_counts_only_from_a_trusted_proxy_R34(behind_proxy, remote, forwarded, client):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == client


def test_without_a_trusted_proxy_the_header_is_ignored_R34(settings):
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == PROXY


@pytest.fixture
def notices(cast, verified):
    return [
        services.open_notice(application_id=verified(serial=f"SN-P{n}").pk, officer=cast["officer"]) for n in range(3)
    ]


def test_the_objection_limit_counts_each_client_behind_the_proxy_apart_R34(client, behind_proxy, notices):
    behind_proxy.OBJECTION_DAILY_LIMIT = 1

    def post(app, address):
        return client.post(
            reverse("notices:object", args=[app.pk]),
            {"text": "该机具实际为他人所有"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=address,
        )

    assert post(notices[0], "1.2.3.4").status_code == 302
    assert post(notices[1], "5.6.7.8").status_code == 302  # another person in the city, same proxy
    refused = post(notices[2], "1.2.3.4")
    assert refused.status_code == 200 and "条异议" in refused.content.decode()
    assert Objection.objects.count() == 2


def test_a_lock_out_behind_the_proxy_locks_one_address_not_the_whole_city(client, behind_proxy, cast):
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "o1", "password": "wrong"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert (
        client.post(
            url, {"username": "o1", "password": "demo12345"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4"
        ).status_code
        == 429
    )
    response = client.post(
        url, {"username": "o1", "password": "demo12345"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="5.6.7.8"
    )
    assert response.status_code == 302  # the official, at their own desk, still signs in


def test_failed_sign_ins_count_against_the_account_whatever_name_was_typed_and_no_mobile_is_stored(client, cast):
    url = reverse("accounts:login")
    for login in ("b1", "13900000001", "b1", "13900000001"):
        assert client.post(url, {"username": login, "password": "wrong"}).status_code == 200
    assert client.post(url, {"username": "13900000001", "password": "wrong"}).status_code == 429
    assert client.post(url, {"username": "b1", "password": "demo12345"}).status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"b1"}
    client.post(url, {"username": "13999999999", "password": "wrong"})
    assert not AccessAttempt.objects.filter(username__contains="13999999999").exists()


def test_password_resets_are_throttled_per_account_whatever_name_is_typed(client, cast, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT = 3
    url = reverse("accounts:password_reset")
    for login in ("b1", "13900000001", "b1"):
        assert client.post(url, {"login": login}).status_code == 302
    refused = client.post(url, {"login": "13900000001"})
    assert refused.status_code == 200 and "密码重置请求过多" in refused.content.decode()
    assert client.post(url, {"login": "o1"}).status_code == 302  # another account


def test_password_resets_are_throttled_per_address(client, cast, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 4
    url = reverse("accounts:password_reset")
    for n in range(4):
        assert client.post(url, {"login": f"nobody{n}"}, REMOTE_ADDR="1.2.3.4").status_code == 302
    assert "密码重置请求过多" in client.post(url, {"login": "o1"}, REMOTE_ADDR="1.2.3.4").content.decode()
    assert client.post(url, {"login": "o1"}, REMOTE_ADDR="5.6.7.8").status_code == 302
