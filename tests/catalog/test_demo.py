"""The demo data: reference grades and plausible grades, manufacturers and products, all marked as demo."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts import demo as accounts_demo
from catalog import demo
from catalog.models import Amount, Filing, FilingState, Grade, Manufacturer, MarketPrice, Product
from catalog.selectors import find_grade, products_open_for_application, qualification

from .conftest import item

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings, tmp_path):
    accounts_demo.seed()
    return demo.seed()


def test_seed_is_idempotent_and_marks_everything_as_demo(seeded):
    assert seeded
    counts = (Grade.objects.count(), Amount.objects.count(), Product.objects.count(), Manufacturer.objects.count())
    assert demo.seed() == []
    assert (
        Grade.objects.count(),
        Amount.objects.count(),
        Product.objects.count(),
        Manufacturer.objects.count(),
    ) == counts
    assert not Grade.objects.filter(is_demo=False).exists()
    assert not Amount.objects.filter(is_demo=False).exists()
    assert not MarketPrice.objects.filter(is_demo=False).exists()
    assert not Product.objects.filter(is_demo=False).exists()
    assert Grade.objects.count() >= 23 + 40
    assert Grade.objects.values("item").distinct().count() >= 30


def test_reference_grades_keep_their_printed_amounts_R14(seeded):
    grade = find_grade(item=item("16.1.1"), declared={"功率": "57马力", "驱动方式": "两轮驱动"}, on=demo.START)
    central = Amount.objects.get(grade=grade, fund_source="central")
    assert (grade.name, central.amount, central.ratio) == (
        "55—60马力两轮驱动拖拉机",
        Decimal("15300.00"),
        Decimal("0.15"),
    )


def test_demo_maker_files_for_the_demo_manufacturer_and_some_products_are_open(seeded):
    maker = Manufacturer.objects.get(name="示例农机制造有限公司")
    assert list(maker.members.values_list("username", flat=True)) == ["maker-demo"]
    open_models = {p.model for p in products_open_for_application()}
    assert "SL-574(示例)" in open_models
    assert "3W-400(示例)" not in open_models  # closed
    assert "2BYF-4(示例)" not in open_models  # awaiting review
    assert Filing.objects.get(product__model="2BYF-4(示例)").state == FilingState.SUBMITTED
    tractor = Product.objects.get(model="SL-574(示例)")
    assert qualification(product=tractor, produced_on=demo.START, bought_on=demo.START).qualifies


def test_public_page_marks_demo_amounts(seeded, client):
    body = client.get(reverse("catalog:public_item", args=["central", "16.1.1"])).content.decode()
    assert 'class="demo-note"' in body
    assert "¥15,300.00" in body
