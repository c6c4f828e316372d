"""Fixtures for the application workflow: a published, qualified product, and applications at each step."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from applications import services
from applications.models import Application, DocumentKind, Ground, PaymentMethod
from catalog.grading import parse_parameters
from catalog.models import Certificate, CertificateKind, Item, Manufacturer, PriceSource, Product
from catalog.services import create_grade, record_market_price, set_amount
from tests.kept import _balances_kept, _next_due_kept  # noqa: F401 - autouse: kept figures equal their rows

START = date(2024, 1, 1)


def jpeg(name="photo.jpg", size=(64, 48), colour=(40, 120, 60)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def photo():
    """A factory of small real JPEG uploads."""
    return jpeg


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def today():
    return timezone.localdate()


def make_product(
    *,
    code="16.1.1",
    grade_name="55—60马力两轮驱动拖拉机",
    params="55马力≤功率<60马力;驱动方式:两轮驱动",
    model="TX-554",
    central="15300",
    municipal="3000",
    **item_flags,
) -> Product:
    item = Item.objects.get(scope="central", code=code)
    # Tractors are plate-and-licence machines (R32); the tests name the flags they need.
    Item.objects.filter(pk=item.pk).update(**{"plate_licence": False, **item_flags})
    item.refresh_from_db()
    grade = create_grade(item=item, name=grade_name, parameters=parse_parameters(params), valid_from=START)
    for fund, amount, ratio in (("central", central, "0.15"), ("municipal", municipal, "0.35")):
        price = record_market_price(
            grade=grade, year=2023, average_price=Decimal("120000"), source=PriceSource.SUBSIDY_DATA
        )
        set_amount(
            grade=grade,
            fund_source=fund,
            amount=Decimal(amount),
            ratio=Decimal(ratio),
            market_price=price,
            valid_from=START,
        )
    maker, _ = Manufacturer.objects.get_or_create(
        name="北京测试农机有限公司", defaults={"credit_code": "91110000600037341L"}
    )
    product = Product.objects.create(
        manufacturer=maker, item=item, grade=grade, name="轮式拖拉机", model=model, published_on=START
    )
    Certificate.objects.create(
        product=product,
        kind=CertificateKind.TEST_APPRAISAL,
        number="T-1",
        valid_from=date(2023, 1, 1),
        valid_until=date(2030, 12, 31),
    )
    return product


@pytest.fixture
def product(db):
    return make_product()


@pytest.fixture
def fill():
    """Fill a buyer's draft with everything a submission needs (machine, invoice, documents, account)."""

    def _fill(application: Application, product: Product, *, serial="SN-0001", **overrides) -> Application:
        today = timezone.localdate()
        fields = {
            "ground": Ground.HOUSEHOLD,
            "product": product,
            "serial_number": serial,
            "production_date": today - timedelta(days=60),
            "purchase_date": today - timedelta(days=10),
            "invoice_number": "No.04481234",
            "invoice_price": Decimal("62000.00"),
            "payment_method": PaymentMethod.TRANSFER,
            "payee_name": application.buyer.display_name,
            "bank_name": "中国农业银行",
            "account_number": "6228480010012345678",
            **overrides,
        }
        services.update_draft(application_id=application.pk, buyer=application.buyer, **fields)
        for kind in (DocumentKind.INVOICE, DocumentKind.NAMEPLATE, DocumentKind.MACHINE, DocumentKind.IDENTITY):
            services.add_document(application_id=application.pk, user=application.buyer, kind=kind, upload=jpeg())
        application.refresh_from_db()
        return application

    return _fill


@pytest.fixture
def submitted(cast, product, fill):
    """An application of cast["buyer"] (海淀区) submitted today, of the test product unless ``product=`` says."""

    def _submitted(buyer=None, *, serial="SN-0001", **overrides) -> Application:
        buyer = buyer or cast["buyer"]
        draft = services.start_application(buyer=buyer, district=buyer.district)
        fill(draft, overrides.pop("product", product), serial=serial, **overrides)
        return services.submit_application(application_id=draft.pk, buyer=buyer, accept_commitment=True)

    return _submitted


@pytest.fixture
def verified(cast, submitted):
    def _verified(**kwargs) -> Application:
        app = submitted(**kwargs)
        services.accept_application(application_id=app.pk, officer=cast["officer"])
        return services.record_verification(
            application_id=app.pk,
            officer=cast["officer"],
            method="documents",
            checked_on=timezone.localdate(),
            findings="铭牌与发票一致",
            passed=True,
        )

    return _verified
