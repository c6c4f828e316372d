"""Fixtures for the JSON API: a JSON client, tokens for the cast, machine clients of each kind."""

import json

import pytest

from api import tokens
from api.models import ApiClient, ClientKind
from catalog.models import Dealer, Manufacturer
from tests.applications.conftest import (  # noqa: F401 - fixtures shared with the application tests
    _private_media,
    fill,
    make_product,
    photo,
    product,
    submitted,
    today,
    verified,
)
from tests.payments.conftest import approved, fund, requested, return_file, second_finance  # noqa: F401

PROBLEM_JSON = "application/problem+json"


class Api:
    """Django's test client, speaking JSON to /api/v1/ with an optional bearer token."""

    def __init__(self, client):
        self.client = client

    def _headers(self, token, language, extra):
        headers = {"HTTP_ACCEPT_LANGUAGE": language}
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        for name, value in (extra or {}).items():
            headers["HTTP_" + name.upper().replace("-", "_")] = value
        return headers

    def get(self, path, token=None, *, language="zh-hans", headers=None, **params):
        return self.client.get(f"/api/v1{path}", params, **self._headers(token, language, headers))

    def post(self, path, body, token=None, *, key=None, language="zh-hans", headers=None):
        extra = dict(headers or {})
        if key:
            extra["Idempotency-Key"] = key
        return self.client.post(
            f"/api/v1{path}",
            json.dumps(body) if not isinstance(body, (bytes, str)) else body,
            content_type="application/json",
            **self._headers(token, language, extra),
        )


@pytest.fixture
def api(client):
    return Api(client)


def assert_problem(response, status, *, rule=None):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == PROBLEM_JSON
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    if rule:
        assert body["rule"] == rule
    return body


@pytest.fixture
def token_of(cast):
    """A personal token's secret for an official of the cast: ``token_of("officer")``."""
    made = {}

    def _token_of(name):
        if name not in made:
            made[name] = tokens.create_personal_token(user=cast[name], name="test")[1]
        return made[name]

    return _token_of


@pytest.fixture
def maker_client(cast):
    maker, _ = Manufacturer.objects.get_or_create(
        name="北京测试农机有限公司", defaults={"credit_code": "91110000600037341L"}
    )
    client = ApiClient.objects.create(name="测试厂销售系统", kind=ClientKind.SALES, manufacturer=maker)
    return client, tokens.issue_client_token(client=client, by=cast["city"])[1]


@pytest.fixture
def dealer_client(cast):
    dealer = Dealer.objects.create(name="北京测试农机经销公司", credit_code="91110108MA01ABCD1X")
    client = ApiClient.objects.create(name="经销商系统", kind=ClientKind.SALES, dealer=dealer)
    return client, tokens.issue_client_token(client=client, by=cast["city"])[1]


@pytest.fixture
def treasury_client(cast, haidian):
    client = ApiClient.objects.create(name="海淀区国库接口", kind=ClientKind.TREASURY, district=haidian)
    return client, tokens.issue_client_token(client=client, by=cast["city"])[1]


@pytest.fixture
def other_treasury_client(cast, changping):
    client = ApiClient.objects.create(name="昌平区国库接口", kind=ClientKind.TREASURY, district=changping)
    return client, tokens.issue_client_token(client=client, by=cast["city"])[1]
