"""The API's frame: the OpenAPI document, the local documentation page, errors as problems in the caller's
language with each field's error, ISO dates."""

import re

import pytest
from django.contrib.staticfiles import finders

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


def test_openapi_document_is_generated_and_names_every_endpoint(api):
    response = api.get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/catalogue", "/api/v1/amounts", "/api/v1/notices", "/api/v1/workdays/due"} <= set(schema["paths"])


def test_docs_page_loads_only_the_apps_own_static_files(api):
    """No CDN: every script, stylesheet and icon of the documentation page is a local /static/ file that exists."""
    response = api.get("/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(url.startswith("/static/") for url in assets), assets
    assert "swagger-ui-bundle.js" in html
    for url in assets:
        assert finders.find(url.removeprefix("/static/")), url
    assert "http://" not in html and "https://" not in html
    assert '"validatorUrl": null' in html  # Swagger UI's default fetches a badge from validator.swagger.io


def test_invalid_input_is_a_problem_in_chinese_by_default_with_each_fields_error(api):
    body = assert_problem(api.get("/workdays/due", start="30.09.2026", days="two"), 422)
    assert body["detail"] == "部分字段无效。"
    messages = {e["field"]: e["message"] for e in body["errors"]}
    assert messages == {"query.start": "请按 YYYY-MM-DD 填写日期。", "query.days": "请输入整数。"}


def test_problem_follows_accept_language(api):
    body = assert_problem(api.get("/workdays/due", start="2026-09-30", language="en"), 422)
    assert body["detail"] == "Some fields are not valid."
    assert body["errors"] == [{"field": "query.days", "message": "This field is required."}]


def test_a_bad_cursor_is_a_400_problem_not_a_500(api):
    assert_problem(api.get("/notices", cursor="not-a-cursor"), 400)


def test_unknown_district_and_unknown_path_are_404_problems(api):
    assert_problem(api.get("/notices", district="999999"), 404)
    assert_problem(api.get("/no-such-endpoint"), 404)


def test_a_method_an_endpoint_lacks_is_a_405_problem(api):
    response = api.post("/catalogue", {})
    assert_problem(response, 405)
    assert response["Allow"] == "GET"
