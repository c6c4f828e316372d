"""Fixtures for money: funds allocated by the municipal finance bureau, applications handed over for payment, and a
second finance officer of 海淀区 for four-eyes approval."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from applications import deadlines, services
from applications.models import Deadline, Step
from applications.sweep import sweep
from payments import adapters
from payments import services as payments
from tests.applications.conftest import (  # noqa: F401 - fixtures shared with the application tests
    _balances_kept,
    _next_due_kept,
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


def return_file(batch, rows) -> bytes:
    """A treasury return file (CSV) for ``rows``: (application, status, voucher, amount, reason)."""
    table = adapters.return_rows(
        adapters.DEFAULT,
        [
            {
                "batch": batch.number,
                "application": app.number,
                "amount": amount or app.total_amount,
                "status": status,
                "voucher": voucher,
                "reason": reason,
            }
            for app, status, voucher, amount, reason in rows
        ],
    )
    return adapters.to_csv(table)


@pytest.fixture
def approved(cast, second_finance):
    def _approved(*apps):
        batch = payments.build_batch(officer=cast["finance"], application_ids=[a.pk for a in apps])
        payments.approve_batch(batch_id=batch.pk, officer=second_finance)
        payments.export_batch(batch_id=batch.pk, officer=cast["finance"], file_format="csv")
        batch.refresh_from_db()
        return batch

    return _approved
