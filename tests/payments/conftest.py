"""Fixtures for money: funds allocated by the municipal finance bureau, applications handed over for payment, and a
second finance officer of 海淀区 for four-eyes approval."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from applications import deadlines, services
from applications.models import Deadline, Step
from applications.sweep import sweep
from payments import services as payments
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
from tests.conftest import make_user


@pytest.fixture
def second_finance(haidian):
    return make_user("f2", "district_finance", haidian)


@pytest.fixture
def fund(cast):
    """Allocate money to a district's current year: ``fund(district, central=..., municipal=..., district=...)``."""

    def _fund(district, *, central="1000000", municipal="1000000", district_funds="1000000", year=None):
        year = year or timezone.localdate().year
        for source, amount in (("central", central), ("municipal", municipal), ("district", district_funds)):
            if Decimal(amount) > 0:
                payments.allocate(
                    district=district,
                    year=year,
                    source=source,
                    amount=Decimal(amount),
                    actor=cast["city_finance"],
                    reason="年度资金下达",
                    document="京财农〔2026〕1号",
                )

    return _fund


def close_notice_today(app) -> None:
    notice = Deadline.objects.get(application=app, step=Step.NOTICE, met_at__isnull=True)
    notice.started_on = timezone.localdate() - timedelta(days=14)
    deadlines._refresh(notice)
    notice.save()
    sweep(today=timezone.localdate())


@pytest.fixture
def requested(cast, verified):  # noqa: F811 - the fixture, imported above
    """An application of 海淀区 handed over to district finance (state payment_requested)."""

    def _requested(**kwargs):
        app = verified(**kwargs)
        services.open_notice(application_id=app.pk, officer=cast["officer"])
        close_notice_today(app)
        return services.request_payment(application_id=app.pk, officer=cast["officer"])

    return _requested
