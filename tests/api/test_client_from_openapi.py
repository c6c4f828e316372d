"""A client written from openapi.json alone (bench/api_client.py) lists a district's queue and posts a sale, over
HTTP against a live server."""

import importlib.util
from datetime import date, timedelta
from pathlib import Path

import pytest

from catalog.sale import Sale

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "api_client.py"


def _client_module():
    spec = importlib.util.spec_from_file_location("api_client", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_client_from_the_document_alone_lists_the_queue_and_posts_a_sale(
    live_server, token_of, maker_client, submitted, product
):
    first, second = submitted(serial="SN-1"), submitted(serial="SN-2")
    client = _client_module().ApiClient(live_server.url, token_of("officer"))
    rows = list(client.every_page("office_queue", limit=1))
    assert [r["id"] for r in rows] == [first.pk, second.pk]
    status, sale = client.call(
        "post_sale",
        maker_client[1],
        idempotency_key="one",
        body={
            "product_id": product.pk,
            "serial_number": "SN-9",
            "invoice_number": "No.1",
            "sold_on": str(date.today() - timedelta(days=5)),
            "price": "62000.00",
            "buyer_credit_code": "91110000600037341L",
            "buyer_mobile": "13800000001",
        },
    )
    assert status == 201 and sale["buyer_mobile"] == "138****0001"
    assert Sale.objects.get().buyer_credit_code == "91110000600037341L"
    status, problem = client.call("office_application", application_id=999999)
    assert status == 404 and problem["status"] == 404
