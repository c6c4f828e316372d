"""R20: monitoring platforms post work records to /api/v1/work-records: per-record answers, idempotent by the
platform's record number, a revoked token refused, another platform's machine refused, in the OpenAPI document."""

import pytest
from django.utils import timezone

from api.models import ApiClient, ApiToken, ClientKind
from tests.usage.conftest import at, record
from usage.models import Flag, SaleOn, WorkRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(machine, pilot, platform, bind):
    m = machine()
    client, secret = platform
    bind(client, m)
    return m, client, secret


def test_a_batch_is_answered_record_by_record_R20(api, ready):
    m, _client, secret = ready
    batch = [
        record(1, start=at(4, 1, 8)),
        record(2, start=at(4, 1, 9)),  # overlaps record 1
        record(3, start=at(4, 2, 8), terminal="BD-9999"),
    ]
    response = api.post("/work-records", {"records": batch}, secret, key="b-1")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["accepted"], body["duplicate"], body["refused"]) == (2, 0, 1)
    assert body["results"][0] == {"id": "R-1", "result": "accepted", "reason": None, "flags": []}
    assert body["results"][1]["flags"] == [Flag.OVERLAP]
    assert body["results"][2]["result"] == "refused" and body["results"][2]["reason"]
    assert WorkRecord.objects.filter(machine=m).count() == 2


def test_the_same_batch_twice_changes_nothing_R20(api, ready):
    _m, _client, secret = ready
    batch = {"records": [record(1, start=at(4, 1, 8)), record(2, start=at(4, 2, 8))]}
    first = api.post("/work-records", batch, secret, key="b-1")
    assert first.json()["accepted"] == 2
    again = api.post("/work-records", batch, secret, key="b-1")  # the same request: the first answer
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    anew = api.post("/work-records", batch, secret, key="b-2")  # posted anew: each record a duplicate
    assert (anew.json()["accepted"], anew.json()["duplicate"]) == (0, 2)
    assert WorkRecord.objects.count() == 2


def test_a_record_number_repeated_within_a_batch_is_taken_once_R20(api, ready):
    _m, _client, secret = ready
    batch = {"records": [record(1, start=at(4, 1, 8)), record(1, start=at(4, 2, 8))]}
    body = api.post("/work-records", batch, secret, key="b-1").json()
    assert [r["result"] for r in body["results"]] == ["accepted", "duplicate"]


def test_a_revoked_token_is_refused_R20(api, ready):
    _m, client, secret = ready
    ApiToken.objects.filter(client=client).update(revoked_at=timezone.now())
    response = api.post("/work-records", {"records": [record(1, start=at(4, 1, 8))]}, secret, key="b-1")
    assert response.status_code == 401
    assert WorkRecord.objects.count() == 0


def test_another_kind_of_clients_token_is_refused(api, ready, cast):
    from api import tokens
    from catalog.models import Manufacturer

    sales = ApiClient.objects.create(name="经销商", kind=ClientKind.SALES, manufacturer=Manufacturer.objects.first())
    _t, secret = tokens.issue_client_token(client=sales, by=cast["city"])
    response = api.post("/work-records", {"records": [record(1, start=at(4, 1, 8))]}, secret, key="b-1")
    assert response.status_code == 401


def test_another_platforms_machine_is_refused_R20(api, ready, cast):
    from api import tokens

    m, _client, _secret = ready
    other = ApiClient.objects.create(name="另一平台", kind=ClientKind.MONITORING)
    _t, secret = tokens.issue_client_token(client=other, by=cast["city"])
    by_terminal = record(1, start=at(4, 1, 8))  # the first platform's terminal
    by_serial = {**record(2, start=at(4, 2, 8)), "terminal": "", "serial_number": m.serial_number}
    body = api.post("/work-records", {"records": [by_terminal, by_serial]}, secret, key="b-1").json()
    assert [r["result"] for r in body["results"]] == ["refused", "refused"]
    assert WorkRecord.objects.count() == 0


def test_a_machine_sold_on_or_not_found_is_refused_R20(api, ready):
    m, _client, secret = ready
    SaleOn.objects.create(machine=m, sold_on=at(4, 1, 0).date())
    unknown = {**record(2, start=at(4, 2, 8)), "terminal": "", "serial_number": "NO-SUCH"}
    body = api.post("/work-records", {"records": [record(1, start=at(4, 1, 8)), unknown]}, secret, key="b-1").json()
    assert [r["result"] for r in body["results"]] == ["refused", "refused"]
    assert WorkRecord.objects.count() == 0


def test_a_record_naming_no_machine_is_invalid_input(api, ready):
    _m, _client, secret = ready
    bad = {**record(1, start=at(4, 1, 8)), "terminal": ""}
    response = api.post("/work-records", {"records": [bad]}, secret, key="b-1")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")


def test_the_endpoint_is_in_the_openapi_document_R20(api):
    document = api.get("/openapi.json").json()
    operation = document["paths"]["/api/v1/work-records"]["post"]
    assert operation["operationId"] == "post_work_records"
    assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"])
