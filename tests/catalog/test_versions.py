"""R7, R41: the catalogue in force on a day, and the snapshot an application stores, never change afterwards."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from catalog.errors import CatalogueError
from catalog.models import FundSource
from catalog.selectors import catalogue_in_force, snapshot_for
from catalog.services import record_market_price, set_amount

from .conftest import START, grade, item, priced

pytestmark = pytest.mark.django_db


@pytest.fixture
def harrow():
    g = grade("1.2.1", "2—3m圆盘耙", "2m≤工作幅宽<3m")
    priced(g, FundSource.CENTRAL, "960", price="4000", ratio="0.30")
    priced(g, FundSource.DISTRICT, "400", price="4000", ratio="0.10")
    return g


def test_snapshot_holds_item_grade_and_amounts_per_fund_source_R41(harrow):
    snap = snapshot_for(grade=harrow, on=date(2025, 3, 1))
    assert snap["catalogue"] == "central"
    assert (snap["item"]["code"], snap["item"]["name"]) == ("1.2.1", "耙(限圆盘耙、驱动耙)")
    assert (snap["category"]["code"], snap["subcategory"]["code"]) == ("1", "1.2")
    assert snap["grade"]["name"] == "2—3m圆盘耙"
    assert snap["grade"]["parameters"] == ["2m≤工作幅宽<3m"]
    assert {f: a["amount"] for f, a in snap["amounts"].items()} == {"central": "960.00", "district": "400.00"}
    assert snap["total"] == "1360.00"
    assert snap["rules"]["ceilings"]["central/general"] == "0.3000"


def test_snapshot_for_a_day_is_unchanged_after_a_later_amount_change_R7_R41(harrow, today):
    before = snapshot_for(grade=harrow, on=today)
    change_from = today + timedelta(days=1)
    market_price = record_market_price(grade=harrow, year=today.year - 1, average_price="3000", source="market_survey")
    set_amount(
        grade=harrow,
        fund_source=FundSource.CENTRAL,
        amount="900",
        ratio="0.30",
        market_price=market_price,
        valid_from=change_from,
        reason="价格下降",
    )
    assert snapshot_for(grade=harrow, on=today) == before
    after = snapshot_for(grade=harrow, on=change_from)
    assert after["version"] != before["version"]
    assert after["amounts"]["central"]["amount"] == "900.00"
    assert after["amounts"]["district"] == before["amounts"]["district"]
    assert after["total"] == "1300.00"


def test_catalogue_in_force_answers_for_a_past_day_R7(harrow, today):
    later = grade("1.2.1", "3.5—4.5m圆盘耙", "3.5m≤工作幅宽<4.5m", valid_from=today + timedelta(days=1))
    past = catalogue_in_force(on=today)
    assert [g.name for g in past.grades(item=item("1.2.1"))] == ["2—3m圆盘耙"]
    assert past.amounts(grade=harrow)["central"].amount == Decimal("960.00")
    future = catalogue_in_force(on=today + timedelta(days=1))
    assert [g.name for g in future.grades(item=item("1.2.1"))] == ["2—3m圆盘耙", "3.5—4.5m圆盘耙"]
    assert future.amounts(grade=later) == {}
    assert past.items().count() == 125


def test_a_grade_not_in_force_has_no_snapshot_R7(harrow):
    with pytest.raises(CatalogueError) as exc:
        snapshot_for(grade=harrow, on=START - timedelta(days=1))
    assert exc.value.rule == "R7"


def test_product_snapshot_names_the_product_and_refuses_a_closed_one_R27_R41(harrow, cast, maker_company, today):
    from catalog.models import Product
    from catalog.selectors import product_snapshot
    from catalog.services import close_product

    product = Product.objects.create(
        manufacturer=maker_company, item=harrow.item, grade=harrow, name="圆盘耙", model="1BJX-2.5", published_on=today
    )
    snap = product_snapshot(product=product, on=today)
    assert (snap["product"]["model"], snap["product"]["manufacturer"]["name"]) == ("1BJX-2.5", "北京测试农机有限公司")
    assert snap["amounts"]["central"]["amount"] == "960.00"
    close_product(product=product, by=cast["city"], reason="待查")
    with pytest.raises(CatalogueError) as exc:
        product_snapshot(product=product, on=today)
    assert "R27" in str(exc.value)


def test_unpublished_product_has_no_snapshot_R26(harrow, maker_company, today):
    from catalog.models import Product
    from catalog.selectors import product_snapshot

    product = Product.objects.create(
        manufacturer=maker_company, item=harrow.item, grade=harrow, name="圆盘耙", model="1BJX-3"
    )
    with pytest.raises(CatalogueError) as exc:
        product_snapshot(product=product, on=today)
    assert "R26" in str(exc.value)
