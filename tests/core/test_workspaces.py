"""Every role lands on its own workspace; a workspace refuses the roles that do not work there."""

import pytest
from django.urls import reverse

LANDING = {
    "buyer": "apply:home",
    "officer": "core:office",
    "city": "core:office",
    "finance": "core:finance",
    "city_finance": "core:finance",
    "auditor": "core:audit",
    "maker": "core:filing",
}


@pytest.mark.django_db
@pytest.mark.parametrize("who,workspace", LANDING.items())
def test_each_role_lands_on_its_workspace(login, cast, who, workspace):
    client = login(cast[who])
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response.url == reverse(workspace)
    assert client.get(response.url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,workspace",
    [
        ("buyer", "core:office"),
        ("buyer", "core:finance"),
        ("officer", "core:finance"),
        ("finance", "core:office"),
        ("maker", "apply:home"),
        ("auditor", "core:filing"),
        ("officer", "apply:home"),
    ],
)
def test_a_workspace_refuses_other_roles(login, cast, who, workspace):
    assert login(cast[who]).get(reverse(workspace)).status_code == 403


@pytest.mark.django_db
def test_anonymous_lands_on_public_pages_and_workspaces_ask_to_sign_in(client):
    assert client.get(reverse("core:home")).url == reverse("core:public")
    assert client.get(reverse("core:public")).status_code == 200
    response = client.get(reverse("core:office"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_pages_are_chinese_first_and_switch_to_english(client):
    body = client.get(reverse("core:public")).content.decode()
    assert '<html lang="zh-hans">' in body and "农机购置与应用补贴" in body
    client.post(reverse("set_language"), {"language": "en", "next": "/public/"})
    body = client.get(reverse("core:public")).content.decode()
    assert '<html lang="en">' in body and "Agricultural Machinery Subsidy" in body


@pytest.mark.django_db
def test_health_answers(client):
    response = client.get(reverse("core:health"))
    assert response.status_code == 200 and response.json() == {"status": "ok"}
