"""Custom 403, 404 and 500 pages: in the site's frame, in the user's language, saying what happened and offering
the way back (never a bare English "403 Forbidden")."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error


def _text(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_a_refused_workspace_shows_the_framed_403_in_chinese_with_its_reason_and_a_way_back(login, cast):
    response = login(cast["buyer"]).get(reverse("core:office"))
    body = _text(response)
    assert response.status_code == 403
    assert "Forbidden" not in body
    assert "您无法打开此页面" in body and "您的角色无权使用此功能区" in body
    assert f'href="{reverse("core:home")}"' in body and 'class="site-header"' in body


@pytest.mark.django_db
def test_the_403_page_speaks_english_to_a_user_who_chose_it(login, cast):
    client = login(cast["finance"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = _text(client.get(reverse("core:office")))
    assert "You cannot open this page" in body and "Your role does not work in this area." in body
    assert not re.search(r"[\u4e00-\u9fff]{2}", body.split("<main")[1].split("</main>")[0])


@pytest.mark.django_db
def test_an_unknown_address_shows_the_framed_404_with_the_way_back(client):
    response = client.get("/apply/no-such-page/")
    body = _text(response)
    assert response.status_code == 404
    assert "Not Found" not in body and "我们找不到此页面" in body
    assert f'href="{reverse("core:public")}"' in body and 'class="site-header"' in body


@pytest.mark.django_db
def test_another_buyers_application_is_the_same_framed_404(login, cast, client):
    """A stranger's object is a 404 (accounts.scope), and it reads like any missing page."""
    response = login(cast["buyer"]).get("/apply/999999/")
    assert response.status_code == 404 and "我们找不到此页面" in _text(response)


@pytest.mark.django_db
def test_the_500_page_is_framed_says_nothing_saved_is_lost_and_offers_the_way_back():
    request = RequestFactory().get("/")
    with translation.override("zh-hans"):
        response = server_error(request)
    body = _text(response)
    assert response.status_code == 500
    assert "我们这边出了问题" in body and "已经保存的内容不会丢失" in body
    assert f'href="{reverse("core:home")}"' in body and 'class="site-header"' in body
