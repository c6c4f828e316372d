"""Fixtures for oversight: live applications made directly (fast, for the counting signs), rule rows, and the
application fixtures of tests/applications."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.models import Application
from applications.workflow import State
from audits.models import WarningRule
from tests.applications.conftest import (  # noqa: F401 - fixtures shared with the application tests
    _private_media,
    fill,
    make_product,
    photo,
    product,
    submitted,
    today,
    verified,
)


@pytest.fixture
def rule(db):
    """Set a sign's threshold from yesterday (it wins over the defaults of 2021): ``rule("multi_unit", 1)``."""

    def _rule(sign, threshold, *, period_days=None, item=None, district=None, days_ago=1):
        return WarningRule.objects.create(
            sign=sign,
            threshold=Decimal(threshold),
            period_days=period_days,
            item=item,
            district=district,
            valid_from=timezone.localdate() - timedelta(days=days_ago),
        )

    return _rule


@pytest.fixture
def live(product):  # noqa: F811
    """Make ``n`` submitted applications directly in the database (no documents): for counting."""

    def _live(buyer, n=1, *, at=None, year=None, amount="18300.00", district=None, state=State.SUBMITTED, **extra):
        at = at or timezone.now()
        rows = [
            Application(
                buyer=buyer,
                district=district or buyer.district,
                product=extra.get("product", product),
                state=state,
                submitted_at=at - timedelta(seconds=n - i),
                year=year or timezone.localdate().year,
                total_amount=Decimal(amount),
                invoice_price=Decimal("62000.00"),
            )
            for i in range(n)
        ]
        created = Application.objects.bulk_create(rows)
        return created

    return _live
