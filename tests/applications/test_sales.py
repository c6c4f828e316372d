"""Sales recorded by the dealer (销售记录): the dealer enters the sale on /filing/sales/, the buyer it names (by ID
number) starts the application from it with the machine, serial number, invoice and price filled in (R11, R29);
nobody else learns anything of it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.models import Application, ApplicationEvent, EventAction
from applications.workflow import State
from catalog.models import Dealer
from catalog.sale import Sale
from catalog.sale_services import record_sale

pytestmark = pytest.mark.django_db
BUYER_ID = "110108197503120033"  # cast["buyer"]'s


@pytest.fixture
def dealer(cast):
    dealer = Dealer.objects.create(name="北京测试农机经销公司", credit_code="91110108MA01ABCD1X")
    dealer.members.add(cast["maker"])
    return dealer


@pytest.fixture
def sale(dealer, product):
    return record_sale(
        seller=dealer,
        reported_by="m1",
        product_id=product.pk,
        serial_number="SN-7788",
        invoice_number="No.11223344",
        sold_on=timezone.localdate() - timedelta(days=3),
        price=Decimal("61800.00"),
        buyer_mobile="13900000001",
        buyer_id_number=BUYER_ID,
    )


def _form(product, **overrides):
    return {
        "product": product.pk,
        "serial_number": "SN-9001",
        "invoice_number": "No.55667788",
        "sold_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "price": "58000.00",
        "buyer_number": BUYER_ID,
        "buyer_mobile": "13900000001",
        **overrides,
    }


def test_dealer_records_a_sale_on_the_filing_pages_R11(cast, dealer, product, login):
    client = login(cast["maker"])
    response = client.post("/filing/sales/new/", _form(product, seller=f"d{dealer.pk}"))
    sale = Sale.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/filing/sales/{sale.pk}/"
    assert (sale.dealer, sale.product, sale.serial_number, sale.price) == (dealer, product, "SN-9001", Decimal("58000"))
    assert sale.buyer_id_number == BUYER_ID and sale.buyer_credit_code == ""
    page = client.get(f"/filing/sales/{sale.pk}/").content.decode()
    assert 'src="data:image/svg+xml' in page  # the QR code, an image of its own (CSP: no inline style)
    assert f"/apply/sales/{sale.pk}/" in page
    # the same serial number twice is refused by record_sale's rule, shown on the form, nothing recorded (R11)
    again = client.post("/filing/sales/new/", _form(product, seller=f"d{dealer.pk}", serial_number="sn-9001 "))
    assert again.status_code == 200 and Sale.objects.count() == 1
    assert again.context["form"].non_field_errors() == ["这台机具（产品和出厂编号）的销售已有记录。"]


def test_a_mistyped_buyer_number_is_refused_beside_the_field(cast, dealer, product, login):
    response = login(cast["maker"]).post(
        "/filing/sales/new/", _form(product, seller=f"d{dealer.pk}", buyer_number="110108197503120034")
    )
    assert response.status_code == 200 and not Sale.objects.exists()
    assert response.context["form"].errors["buyer_number"]


def test_only_the_seller_sees_its_sales_and_the_bureau_records_none(cast, sale, new_user, login):
    stranger = new_user("m2", "manufacturer")
    assert login(stranger).get(f"/filing/sales/{sale.pk}/").status_code == 404
    assert "SN-7788" not in login(stranger).get("/filing/sales/").content.decode()
    assert login(cast["city"]).get("/filing/sales/").status_code == 403
    assert login(cast["buyer"]).get("/filing/sales/").status_code == 403


def test_the_buyer_starts_the_application_from_the_sale_filled_in_R29(cast, sale, product, login):
    client = login(cast["buyer"])
    home = client.get("/apply/").content.decode()
    assert f'href="/apply/sales/{sale.pk}/"' in home
    response = client.post(f"/apply/sales/{sale.pk}/")
    application = Application.objects.get(buyer=cast["buyer"])
    assert response.status_code == 302 and response["Location"] == f"/apply/{application.pk}/tasks/"
    assert application.state == State.DRAFT and application.sale == sale
    assert (application.product, application.manufacturer_id) == (product, product.manufacturer_id)
    assert (application.serial_number, application.invoice_number) == ("SN-7788", "No.11223344")
    assert (application.invoice_price, application.purchase_date) == (Decimal("61800.00"), sale.sold_on)
    event = ApplicationEvent.objects.get(application=application)
    assert (event.action, event.data) == (EventAction.CREATE, {"sale": sale.pk})
    # the purchase step shows what the sale filled in; the sale is no longer offered as a new start
    purchase = client.get(f"/apply/{application.pk}/purchase/").content.decode()
    assert 'value="SN-7788"' in purchase and 'value="No.11223344"' in purchase
    assert f'href="/apply/sales/{sale.pk}/"' not in client.get("/apply/").content.decode()
    # a second tap (or the QR code scanned again) starts nothing new
    assert client.post(f"/apply/sales/{sale.pk}/")["Location"] == f"/apply/{application.pk}/tasks/"
    assert Application.objects.count() == 1


def test_another_buyer_opening_the_sale_sees_nothing_of_it(cast, sale, login):
    """A sale names its buyer only by number: another buyer's home does not offer it, and its QR link (the same
    address) is a plain 'not found' that shows no machine, serial, invoice or price, and starts nothing."""
    client = login(cast["other_buyer"])
    assert "SN-7788" not in client.get("/apply/").content.decode()
    for response in (client.get(f"/apply/sales/{sale.pk}/"), client.post(f"/apply/sales/{sale.pk}/")):
        body = response.content.decode()
        assert response.status_code == 404
        for secret in ("SN-7788", "No.11223344", "61800", "TX-554", "经销"):
            assert secret not in body
    assert not Application.objects.exists()
    # an official is no buyer: 403
    assert login(cast["officer"]).get(f"/apply/sales/{sale.pk}/").status_code == 403


def test_signed_out_the_qr_link_asks_to_sign_in_first(client, sale):
    response = client.get(f"/apply/sales/{sale.pk}/")
    assert response.status_code == 302 and f"next=/apply/sales/{sale.pk}/" in response["Location"]


def test_a_withdrawn_application_frees_its_sale_R39(cast, sale, login):
    from applications.services import start_application_from_sale

    first = start_application_from_sale(buyer=cast["buyer"], sale_id=sale.pk)
    Application.objects.filter(pk=first.pk).update(state=State.WITHDRAWN)
    assert f'href="/apply/sales/{sale.pk}/"' in login(cast["buyer"]).get("/apply/").content.decode()
    second = start_application_from_sale(buyer=cast["buyer"], sale_id=sale.pk)
    assert second.pk != first.pk and second.sale == sale


def test_the_buyer_home_keeps_its_queries_with_more_sales(cast, dealer, product, login, django_assert_max_num_queries):
    client = login(cast["buyer"])

    def add(n):
        for i in range(n):
            record_sale(
                seller=dealer,
                reported_by="m1",
                product_id=product.pk,
                serial_number=f"Q-{Sale.objects.count()}-{i}",
                invoice_number="No.1",
                sold_on=timezone.localdate(),
                price=Decimal("1000"),
                buyer_mobile="13900000001",
                buyer_id_number=BUYER_ID,
            )

    add(1)
    with django_assert_max_num_queries(12) as few:
        client.get("/apply/")
    add(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/apply/").content.decode().count("data-sale=") == 7


def test_the_buyer_reads_the_sale_before_starting(cast, sale, login):
    page = login(cast["buyer"]).get(f"/apply/sales/{sale.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    for shown in ("SN-7788", "No.11223344", "61,800.00", "TX-554", "北京测试农机经销公司"):
        assert shown in body
    assert not Application.objects.exists()  # reading starts nothing
