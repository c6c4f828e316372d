from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.grading import parse_parameters
from catalog.models import Item, Manufacturer, PriceSource
from catalog.services import create_grade, record_market_price, set_amount

START = date(2024, 1, 1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def tomorrow(today):
    return today + timedelta(days=1)


def item(code, scope="central"):
    return Item.objects.get(scope=scope, code=code)


def grade(code, name, parameters, *, scope="central", valid_from=START, **flags):
    return create_grade(
        item=item(code, scope), name=name, parameters=parse_parameters(parameters), valid_from=valid_from, **flags
    )


def priced(g, fund, amount, *, price="50000", ratio="0.30", valid_from=START, source=PriceSource.SUBSIDY_DATA):
    market_price = record_market_price(grade=g, year=valid_from.year - 1, average_price=Decimal(price), source=source)
    return set_amount(
        grade=g,
        fund_source=fund,
        amount=Decimal(amount),
        ratio=Decimal(ratio),
        market_price=market_price,
        valid_from=valid_from,
    )


@pytest.fixture
def tractor_grades(db):
    """Two reference grades of 16.1.1 轮式拖拉机 (reference-grades.csv)."""
    return [
        grade("16.1.1", "55—60马力两轮驱动拖拉机", "55马力≤功率<60马力;驱动方式:两轮驱动"),
        grade("16.1.1", "60—65马力两轮驱动拖拉机", "60马力≤功率<65马力;驱动方式:两轮驱动"),
    ]


@pytest.fixture
def maker_company(cast):
    company = Manufacturer.objects.create(name="北京测试农机有限公司", credit_code="91110000600037341L")
    company.members.add(cast["maker"])
    return company


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in their English source text, whatever translations exist."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
