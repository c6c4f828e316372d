"""Machine clients: a sale posted by a manufacturer's or dealer's software (R11, R26; the buyer's numbers encrypted
and answered masked), a district treasury's export and return file (R36), each POST idempotent."""

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import ApiTokenUse
from applications.workflow import State
from catalog.models import Manufacturer, Product
from catalog.sale import Sale
from payments.models import Payment, ReturnImport

from .conftest import assert_problem, return_file

pytestmark = pytest.mark.django_db


def sale_body(product, **overrides):
    return {
        "product_id": product.pk,
        "serial_number": "SN 2026 0001",
        "invoice_number": "No.04481234",
        "sold_on": str(timezone.localdate() - timedelta(days=5)),
        "price": "62000.00",
        "buyer_id_number": "110108197503120033",
        "buyer_mobile": "13900000001",
        **overrides,
    }


def test_a_manufacturer_posts_a_sale_stored_encrypted_answered_masked_R11(api, product, maker_client):
    client, token = maker_client
    response = api.post("/sales", sale_body(product), token, key="sale-1")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["buyer_id_number"], body["buyer_mobile"], body["price"]) == (
        "110***********0033",
        "139****0001",
        "62000.00",
    )
    sale = Sale.objects.get()
    assert sale.manufacturer == client.manufacturer and sale.serial_key == "SN20260001"
    assert "110108197503120033" not in sale.buyer_id_number_encrypted and sale.buyer_id_number == "110108197503120033"
    assert list(Sale.objects.of_buyer(id_number="110108197503120033")) == [sale]


def test_repeating_a_post_returns_the_first_answer_and_changes_nothing(api, product, maker_client):
    _client, token = maker_client
    first = api.post("/sales", sale_body(product), token, key="k-1")
    again = api.post("/sales", sale_body(product), token, key="k-1")
    assert again.status_code == 201 and again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Sale.objects.count() == 1
    assert_problem(api.post("/sales", sale_body(product, price="1.00"), token, key="k-1"), 409)
    assert_problem(api.post("/sales", sale_body(product), token), 400)
    assert Sale.objects.count() == 1


def test_a_refusal_is_the_first_answer_too_R11(api, product, maker_client):
    _client, token = maker_client
    api.post("/sales", sale_body(product), token, key="a")
    twice = api.post("/sales", sale_body(product, invoice_number="No.2"), token, key="b")
    assert assert_problem(twice, 422, rule="R11")["detail"] == "这台机具（产品和出厂编号）的销售已有记录。"
    assert api.post("/sales", sale_body(product, invoice_number="No.2"), token, key="b").json() == twice.json()
    assert Sale.objects.count() == 1


def test_bad_buyer_numbers_are_refused_with_the_rule_R3(api, product, maker_client):
    _client, token = maker_client
    assert_problem(api.post("/sales", sale_body(product, buyer_id_number="110108197503120034"), token, key="x"), 422)
    body = assert_problem(api.post("/sales", sale_body(product, buyer_mobile="1390000"), token, key="y"), 422)
    assert body["errors"][0]["field"] == "body.sale.buyer_mobile"
    assert not Sale.objects.exists()


def test_a_manufacturer_reports_only_its_own_products_a_dealer_any_published(api, product, maker_client, dealer_client):
    other = Manufacturer.objects.create(name="另一家农机厂", credit_code="91110000MA00000001")
    theirs = Product.objects.create(
        manufacturer=other,
        item=product.item,
        grade=product.grade,
        name="拖拉机",
        model="X-1",
        published_on=product.published_on,
    )
    assert_problem(api.post("/sales", sale_body(theirs), maker_client[1], key="m"), 404)
    response = api.post("/sales", sale_body(theirs), dealer_client[1], key="d")
    assert response.status_code == 201 and Sale.objects.get().dealer == dealer_client[0].dealer


def test_a_sale_is_read_only_by_the_client_that_reported_it(api, product, maker_client, dealer_client):
    sale_id = api.post("/sales", sale_body(product), maker_client[1], key="s").json()["id"]
    assert api.get(f"/sales/{sale_id}", maker_client[1]).json()["id"] == sale_id
    assert_problem(api.get(f"/sales/{sale_id}", dealer_client[1]), 404)


def test_a_token_of_another_kind_of_client_is_refused(api, product, treasury_client):
    assert_problem(api.post("/sales", sale_body(product), treasury_client[1], key="t"), 401)
    assert not Sale.objects.exists() and not ApiTokenUse.objects.exists()


def test_treasury_fetches_the_approved_batch_and_posts_the_return_file_once_R36(
    api, haidian, fund, requested, approved, treasury_client, other_treasury_client
):
    fund(haidian)
    app = requested()
    batch = approved(app)
    _client, token = treasury_client
    assert [b["number"] for b in api.get("/treasury/batches", token).json()] == [batch.number]
    export = api.get(f"/treasury/batches/{batch.pk}/export", token)
    assert export.status_code == 200 and app.number in export.content.decode("utf-8-sig")
    assert_problem(api.get(f"/treasury/batches/{batch.pk}/export", other_treasury_client[1]), 404)
    content = base64.b64encode(return_file(batch, [(app, "成功", "V-001", None, "")])).decode()
    body = {"file_name": "return.csv", "content_base64": content}
    assert_problem(api.post(f"/treasury/batches/{batch.pk}/return", body, other_treasury_client[1], key="r"), 404)
    first = api.post(f"/treasury/batches/{batch.pk}/return", body, token, key="r")
    assert first.status_code == 201 and first.json()["paid"] == 1
    again = api.post(f"/treasury/batches/{batch.pk}/return", body, token, key="r")
    assert again.json() == first.json()
    app.refresh_from_db()
    assert app.state == State.PAID and Payment.objects.count() == 1 and ReturnImport.objects.count() == 1
    assert ReturnImport.objects.get().by == treasury_client[0].account


def test_an_unreadable_return_file_is_a_problem_not_a_500(api, haidian, fund, requested, approved, treasury_client):
    fund(haidian)
    batch = approved(requested())
    body = {"file_name": "return.xlsx", "content_base64": base64.b64encode(b"PK not a workbook").decode()}
    assert_problem(api.post(f"/treasury/batches/{batch.pk}/return", body, treasury_client[1], key="u"), 422)
    assert not ReturnImport.objects.exists()


def test_the_municipal_bureau_issues_a_client_token_in_the_admin_shown_once(login, cast, haidian):
    from api.models import ApiClient, ApiToken, ClientKind

    client = ApiClient.objects.create(name="海淀区国库接口", kind=ClientKind.TREASURY, district=haidian)
    cast["city"].is_staff = True
    cast["city"].save()
    page = login(cast["city"]).post(
        "/admin/api/apiclient/", {"action": "issue_token", "_selected_action": [client.pk]}, follow=True
    )
    token = ApiToken.objects.get(client=client)
    assert token.prefix in page.content.decode() and "sbt_" in page.content.decode()
    client.refresh_from_db()
    assert client.account.role == "district_finance" and client.account.district == haidian
    assert not client.account.has_usable_password() and client.issued_by == cast["city"]
    cast["officer"].is_staff = True
    cast["officer"].save()
    assert login(cast["officer"]).get("/admin/api/apiclient/").status_code == 403
