"""The municipal bureau's pages: closing and reopening a product (R27) and importing an amount table (R14)."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from catalog.models import Amount, CatalogueEvent, Closure, Product
from catalog.selectors import may_name_product

from .conftest import grade

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(maker_company, today):
    g = grade("1.1.2", "旋耕机 幅宽1.5—2m", "1.5m≤工作幅宽<2m")
    return Product.objects.create(
        manufacturer=maker_company, item=g.item, grade=g, name="旋耕机", model="1GQN-180", published_on=today
    )


def test_bureau_closes_and_reopens_a_product_with_reasons_R27(login, cast, product):
    client = login(cast["city"])
    url = reverse("catalog:office_product", args=[product.pk])
    assert client.post(url, {"reason": "现场演示评价发现安全问题"}).status_code == 302
    product.refresh_from_db()
    assert product.closed and not may_name_product(product=product)
    assert client.post(url, {"reason": "调查结束"}).status_code == 302
    product.refresh_from_db()
    assert not product.closed and may_name_product(product=product)
    closure = Closure.objects.get()
    assert (closure.reason, closure.reopen_reason, closure.reopened_by) == (
        "现场演示评价发现安全问题",
        "调查结束",
        cast["city"],
    )
    assert list(CatalogueEvent.objects.filter(subject_type="product").values_list("action", flat=True)) == [
        "product_reopened",
        "product_closed",
    ]


def test_closing_without_a_reason_changes_nothing_R27(login, cast, product):
    response = login(cast["city"]).post(reverse("catalog:office_product", args=[product.pk]), {"reason": ""})
    assert response.status_code == 200
    product.refresh_from_db()
    assert not product.closed and Closure.objects.count() == 0


@pytest.mark.parametrize("role", ["officer", "maker", "buyer"])
def test_only_the_bureau_closes_products_R27(login, cast, product, role):
    response = login(cast[role]).post(reverse("catalog:office_product", args=[product.pk]), {"reason": "x"})
    assert response.status_code == 403
    product.refresh_from_db()
    assert not product.closed


def workbook(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["catalogue", "code", "item", "grade", "parameters", "price", "source", "assessments"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("amounts.xlsx", buffer.getvalue())


@pytest.fixture
def harrows():
    return [grade("1.2.1", "2—3m圆盘耙", "2m≤工作幅宽<3m"), grade("1.2.1", "3.5—4.5m圆盘耙", "3.5m≤工作幅宽<4.5m")]


GOOD = [
    ["central", "1.2.1", "耙(限圆盘耙、驱动耙)", "2—3m圆盘耙", "", 3200, "subsidy_data", "", 960, "30%"],
    ["central", "1.2.1", "", "3.5—4.5m圆盘耙", "", 9700, "第三方评估", "9600/9800", 2900, 0.3, 500, 0.1],
]


def test_a_good_amount_table_is_imported_R14(login, cast, harrows, tomorrow):
    response = login(cast["city"]).post(
        reverse("catalog:amount_import"), {"file": workbook(GOOD), "valid_from": tomorrow.isoformat()}
    )
    assert response.status_code == 302
    assert sorted((a.grade.name, a.fund_source, a.amount) for a in Amount.objects.all()) == [
        ("2—3m圆盘耙", "central", Decimal("960.00")),
        ("3.5—4.5m圆盘耙", "central", Decimal("2900.00")),
        ("3.5—4.5m圆盘耙", "municipal", Decimal("500.00")),
    ]
    assert {a.valid_from for a in Amount.objects.all()} == {tomorrow}


def test_a_bad_row_shows_its_error_and_nothing_is_imported_R14_R15(login, cast, harrows, tomorrow):
    bad = [
        *GOOD,
        ["central", "1.2.1", "", "2—3m圆盘耙", "", 3200, "subsidy_data", "", 1200, "0.35"],
        ["central", "9.9.9", "", "不存在", "", 100, "subsidy_data", "", 10, "0.1"],
        ["central", "1.2.1", "", "3.5—4.5m圆盘耙", "", 9700, "third_party", "9600", 100, "0.1"],
    ]
    response = login(cast["city"]).post(
        reverse("catalog:amount_import"),
        {"file": workbook(bad), "valid_from": (tomorrow + timedelta(days=1)).isoformat()},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "3 rows have problems; nothing was imported" in body
    assert "<td>4</td>" in body and "R15" in body
    assert "<td>5</td>" in body and "9.9.9" in body
    assert "<td>6</td>" in body and "two assessments" in body
    assert Amount.objects.count() == 0


def test_only_the_bureau_imports(login, cast):
    assert login(cast["officer"]).get(reverse("catalog:amount_import")).status_code == 403


def test_the_downloaded_table_imports_back_unchanged_R14(login, cast, client, harrows, tomorrow):
    from .conftest import priced

    priced(harrows[0], "central", "960", price="3200")
    priced(harrows[1], "central", "2900", price="9700")
    priced(harrows[1], "district", "500", price="9700", ratio="0.10")
    download = client.get(reverse("catalog:public_amounts_xlsx")).content
    response = login(cast["city"]).post(
        reverse("catalog:amount_import"),
        {"file": SimpleUploadedFile("amounts.xlsx", download), "valid_from": tomorrow.isoformat()},
    )
    assert response.status_code == 302
    new = Amount.objects.filter(valid_from=tomorrow)
    assert sorted((a.grade.name, a.fund_source, a.amount) for a in new) == [
        ("2—3m圆盘耙", "central", Decimal("960.00")),
        ("3.5—4.5m圆盘耙", "central", Decimal("2900.00")),
        ("3.5—4.5m圆盘耙", "district", Decimal("500.00")),
    ]
    assert Amount.objects.filter(valid_to=tomorrow).count() == 3
