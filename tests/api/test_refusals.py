"""For every endpoint that takes an id, the refusals: another district, another client, a buyer's token, a token
of the wrong kind, no token. The endpoints are read from the API's own OpenAPI document, so a new endpoint with
an id and no entry in REFUSALS fails here (accounts.scope; R45)."""

import base64

import pytest

from api.main import api as ninja_api
from api.models import ApiToken
from catalog.sale import Sale

from .conftest import PROBLEM_JSON, return_file
from .test_clients import sale_body

pytestmark = pytest.mark.django_db

SCHEMA = ninja_api.get_openapi_schema(path_prefix="/api/v1/")
WITH_ID = sorted(
    (method.upper(), path) for path, operations in SCHEMA["paths"].items() if "{" in path for method in operations
)


def _buyer_token(cast):
    """A buyer can't create a token; one planted in the database still opens nothing."""
    from api.tokens import PREFIX, _hash

    secret = PREFIX + "planted-buyer-token"
    ApiToken.objects.create(
        user=cast["buyer"], name="x", prefix=secret[:12], key_hash=_hash(secret), expires_at="2099-01-01T00:00Z"
    )
    return secret


def _application(ctx):
    app = ctx["submitted"]()
    return app.pk, {"owner": ctx["token_of"]("officer"), "another district": ctx["token_of"]("other_officer")}


def _sale(ctx):
    maker, dealer = ctx["maker_client"], ctx["dealer_client"]
    ctx["api"].post("/sales", sale_body(ctx["product"]), maker[1], key="setup")
    return Sale.objects.get().pk, {
        "owner": maker[1],
        "another client": dealer[1],
        "an official": ctx["token_of"]("officer"),
    }


def _batch(ctx):
    ctx["fund"](ctx["haidian"])
    app = ctx["requested"]()
    batch = ctx["approved"](app)
    ctx["body"] = {
        "file_name": "r.csv",
        "content_base64": base64.b64encode(return_file(batch, [(app, "成功", "V-1", None, "")])).decode(),
    }
    return batch.pk, {
        "owner": ctx["treasury_client"][1],
        "another district": ctx["other_treasury_client"][1],
        "another kind of client": ctx["maker_client"][1],
        "an official": ctx["token_of"]("finance"),
    }


#: (method, path) -> what makes the object, and who may see it ("owner") or must be refused.
REFUSALS = {
    ("GET", "/api/v1/office/applications/{application_id}"): _application,
    ("GET", "/api/v1/sales/{sale_id}"): _sale,
    ("GET", "/api/v1/treasury/batches/{batch_id}/export"): _batch,
    ("POST", "/api/v1/treasury/batches/{batch_id}/return"): _batch,
}

EXPECTED = {"another district": 404, "another client": 404, "another kind of client": 401, "an official": 401}


def test_every_endpoint_with_an_id_has_its_refusals_listed():
    assert WITH_ID and sorted(REFUSALS) == WITH_ID, "add the new endpoint to REFUSALS"


@pytest.mark.parametrize(("method", "path"), WITH_ID)
def test_refusals_for_another_district_buyer_client_and_no_token(
    method,
    path,
    api,
    cast,
    token_of,
    submitted,
    product,
    maker_client,
    dealer_client,
    fund,
    haidian,
    requested,
    approved,
    treasury_client,
    other_treasury_client,
):
    ctx = locals()
    pk, tokens = REFUSALS[(method, path)](ctx)
    url = path.removeprefix("/api/v1").replace(path[path.index("{") : path.index("}") + 1], str(pk))

    def call(token, key):
        if method == "GET":
            return api.get(url, token)
        return api.post(url, ctx.get("body", {}), token, key=key)

    for who, status in [*((w, EXPECTED[w]) for w in tokens if w != "owner"), ("a buyer", 401), ("no token", 401)]:
        token = {"a buyer": _buyer_token(cast) if who == "a buyer" else None, "no token": None}.get(
            who, tokens.get(who)
        )
        response = call(token, f"refused-{who}")
        assert (who, response.status_code) == (who, status)
        assert response["Content-Type"] == PROBLEM_JSON
    assert call(tokens["owner"], "owner").status_code in (200, 201)
