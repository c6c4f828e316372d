"""Officials' personal tokens (made on the profile page, shown once, stored hashed, expiring, revocable, every use
recorded) and the work lists they open, scoped exactly as the pages (R45; accounts.scope)."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import ApiToken, ApiTokenUse
from api.tokens import create_personal_token

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


def test_an_official_creates_a_token_on_the_profile_page_shown_once_stored_hashed_R45(login, cast):
    client = login(cast["officer"])
    assert "API tokens" in client.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    response = client.post("/api/tokens/new/", {"name": "区统计脚本", "days": "30"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    secret = response.content.decode().split('<code id="token-secret">')[1].split("</code>")[0]
    token = ApiToken.objects.get(user=cast["officer"])
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest() and token.name == "区统计脚本"
    assert secret not in str(ApiToken.objects.values_list().get(pk=token.pk))
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    profile = client.get("/accounts/profile/").content.decode()
    assert token.prefix in profile and secret not in profile


def test_a_buyer_gets_no_token(login, cast):
    response = login(cast["buyer"]).post("/api/tokens/new/", {"name": "x", "days": "30"})
    assert response.status_code == 403 and not ApiToken.objects.exists()


def test_a_bad_token_form_keeps_what_was_typed(login, cast):
    response = login(cast["officer"]).post("/api/tokens/new/", {"name": "脚本", "days": "999"})
    assert response.status_code == 400 and 'value="脚本"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_every_use_is_recorded_R45(api, cast, token_of):
    api.get("/office/applications", token_of("officer"), state="submitted")
    api.get("/office/applications", token_of("officer"))
    uses = ApiTokenUse.objects.filter(token__user=cast["officer"]).order_by("at")
    assert [(u.method, u.path) for u in uses] == [("GET", "/api/v1/office/applications")] * 2
    assert ApiToken.objects.get(user=cast["officer"]).last_used_at is not None


def test_revoked_and_expired_tokens_are_refused(api, login, cast):
    token, secret = create_personal_token(user=cast["officer"], name="t")
    assert api.get("/office/applications", secret).status_code == 200
    login(cast["officer"]).post(f"/api/tokens/{token.pk}/revoke/")
    assert_problem(api.get("/office/applications", secret), 401)
    other, other_secret = create_personal_token(user=cast["officer"], name="t2")
    ApiToken.objects.filter(pk=other.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_problem(api.get("/office/applications", other_secret), 401)
    assert ApiTokenUse.objects.filter(token__in=[token, other]).count() == 1


def test_someone_elses_token_is_not_revoked(login, cast):
    token, _secret = create_personal_token(user=cast["officer"], name="t")
    assert login(cast["other_officer"]).post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_office_queue_is_the_districts_with_the_pages_filters_R30(api, cast, token_of, submitted):
    app = submitted()
    mine = api.get("/office/applications", token_of("officer")).json()
    assert [r["id"] for r in mine["items"]] == [app.pk]
    assert mine["items"][0]["state_label"] == "待受理" and mine["items"][0]["subsidy"] == "18300.00"
    assert api.get("/office/applications", token_of("officer"), state="accepted").json()["items"] == []
    assert [r["id"] for r in api.get("/office/applications", token_of("officer"), q=app.number).json()["items"]]
    assert api.get("/office/applications", token_of("other_officer")).json()["items"] == []
    city = api.get("/office/applications", token_of("city")).json()
    assert [r["id"] for r in city["items"]] == [app.pk]


def test_one_application_with_events_deadlines_documents_masked_buyer(api, token_of, submitted):
    app = submitted()
    body = api.get(f"/office/applications/{app.pk}", token_of("officer")).json()
    assert body["number"] == app.number and [e["action"] for e in body["events"]][-1] == "submit"
    assert body["deadlines"] and len(body["documents"]) == 4
    assert body["buyer_detail"]["id_number"] == "110***********0033"
    assert body["buyer_detail"]["mobile"] == "139****0001"
    assert "110108197503120033" not in str(body) and "6228480010012345678" not in str(body)


def test_another_districts_application_is_404_and_the_wrong_role_403(api, token_of, submitted):
    app = submitted()
    assert_problem(api.get(f"/office/applications/{app.pk}", token_of("other_officer")), 404)
    assert_problem(api.get(f"/office/applications/{app.pk}", token_of("finance")), 403)
    assert_problem(api.get(f"/office/applications/{app.pk}"), 401)


def test_finance_queue_and_balances_R36(api, cast, token_of, haidian, fund, requested):
    fund(haidian)
    app = requested()
    body = api.get("/finance/queue", token_of("finance")).json()
    assert [r["id"] for r in body["items"]] == [app.pk] and body["items"][0]["pay_due"]
    balances = api.get("/finance/balances", token_of("finance")).json()
    assert {b["district"] for b in balances} == {"海淀区"}
    central = next(b for b in balances if b["source"] == "central")
    assert central["received"] == "1000000.00"
    assert_problem(api.get("/finance/queue", token_of("officer")), 403)


def _queries(api, path, token):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert api.get(path, token).status_code == 200
    return len(queries)


def test_the_queue_reads_a_constant_number_of_queries_however_many_rows(api, cast, token_of, submitted):
    token = token_of("officer")
    submitted(serial="SN-A")
    one = _queries(api, "/office/applications", token)
    for n in range(3):
        submitted(serial=f"SN-B{n}")
    assert _queries(api, "/office/applications", token) == one
    app = submitted(serial="SN-C")
    detail = _queries(api, f"/office/applications/{app.pk}", token)
    app2 = submitted(serial="SN-D")
    assert _queries(api, f"/office/applications/{app2.pk}", token) == detail
