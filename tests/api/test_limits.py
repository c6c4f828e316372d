"""Limits: requests per token per minute (then 429 with Retry-After), and request bodies bounded (413)."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from catalog.sale import Sale

from .conftest import assert_problem
from .test_clients import sale_body

pytestmark = pytest.mark.django_db


def test_a_token_over_its_requests_a_minute_gets_429_with_retry_after(api, settings, token_of):
    settings.API_REQUESTS_PER_MINUTE = 3
    token = token_of("officer")
    start = timezone.make_aware(datetime(2026, 9, 30, 10, 0, 15))
    with time_machine.travel(start, tick=False):
        assert [api.get("/office/applications", token).status_code for _ in range(3)] == [200] * 3
        refused = api.get("/office/applications", token)
        body = assert_problem(refused, 429)
        assert refused["Retry-After"] == "45" and "45" in body["detail"]
        assert api.get("/office/applications", token_of("other_officer")).status_code == 200  # per token
    with time_machine.travel(start + timedelta(seconds=45), tick=False):
        assert api.get("/office/applications", token).status_code == 200


def test_a_body_over_the_bound_is_refused_before_it_is_read(api, settings, product, maker_client):
    settings.API_MAX_BODY_BYTES = 200
    body = sale_body(product, invoice_number="N" * 40, serial_number="S" * 64)
    assert_problem(api.post("/sales", {**body, "padding": "x" * 300}, maker_client[1], key="big"), 413)
    assert not Sale.objects.exists()
