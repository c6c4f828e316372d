"""Property-based: schemathesis generates requests from the API's own OpenAPI document and runs them in-process
against the WSGI app, with a valid token of the right kind and with none. No answer is a 5xx; every 4xx is an
application/problem+json document; every success conforms to the document."""

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from config.wsgi import application

from .conftest import PROBLEM_JSON

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def test_the_openapi_document_validates():
    """Loading it validates it against the OpenAPI specification; every operation is there."""
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 16  # issue 17 added POST /work-records; beneficiaries and violations


@pytest.fixture
def _keep_the_test_connection():
    """Django's WSGI handler closes the database connection after each request; the test client stops that, and so
    must a test that calls the WSGI app itself inside the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(_keep_the_test_connection, settings, token_of, maker_client, treasury_client, submitted):
    settings.API_REQUESTS_PER_MINUTE = 100_000
    submitted()
    by_tag = {
        "officials": token_of("officer"),
        "machine clients: sales": maker_client[1],
        "machine clients: treasury": treasury_client[1],
    }

    def _bearer(case):
        tags = case.operation.tags or []
        token = next((by_tag[t] for t in tags if t in by_tag), None)
        return {"Authorization": f"Bearer {token}"} if token else {}

    return _bearer


def _is_a_problem(response):
    if 400 <= response.status_code < 500:
        assert response.headers.get("content-type") == [PROBLEM_JSON], (response.status_code, response.text[:300])
        body = response.json()
        assert body["status"] == response.status_code and body["title"] and body["detail"]


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_never_fail_and_refuse_as_problems(case, bearer):
    for headers in (bearer(case), {}):
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
        _is_a_problem(response)
        if response.status_code < 300 and response.headers.get("content-type", [""])[0] == "application/json":
            case.validate_response(response, checks=[response_schema_conformance])
