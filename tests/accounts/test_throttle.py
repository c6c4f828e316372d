"""Failed sign-ins are throttled (django-axes): after 5 failures even the right password is refused."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_for_a_while(client, cast):
    url = reverse("accounts:login")
    for _ in range(4):
        response = client.post(url, {"username": "o1", "password": "wrong-password"})
        assert response.status_code == 200
        assert "不正确" in response.content.decode()
    locked = client.post(url, {"username": "o1", "password": "wrong-password"})
    assert locked.status_code == 429
    # The right password no longer helps while the lock lasts.
    response = client.post(url, {"username": "o1", "password": "demo12345"})
    assert response.status_code == 429
    assert "15" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lock_of_one_account_does_not_lock_another(client, cast):
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "o1", "password": "wrong-password"})
    response = client.post(url, {"username": "o2", "password": "demo12345"})
    assert response.status_code == 302
