"""Rows for the reports' tests, written directly (the reports only read): applications with their events,
deadlines, payments and ledger entries on chosen days of October 2026, the month of the National Day holiday
week (10-01, 10-02, 10-05..10-07 off; Saturday 10-10 worked)."""

import datetime
import itertools
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from applications.models import Application, ApplicationEvent, Deadline, State
from payments import totals
from payments.models import Fund, LedgerEntry, Payment
from tests.applications.conftest import _private_media, make_product  # noqa: F401 - fixtures shared

BEIJING = ZoneInfo("Asia/Shanghai")
_numbers = itertools.count(1)


def at(day: str, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=BEIJING)


def d(day: str) -> datetime.date:
    return datetime.date.fromisoformat(day)


class Rows:
    """Writes the rows a report reads. Each method returns what it wrote."""

    def __init__(self, cast, product):
        self.cast = cast
        self.product = product

    def application(self, district, *, state=State.SUBMITTED, buyer=None, total="18300.00", year=2026, **extra):
        n = next(_numbers)
        central = Decimal(total) * Decimal("0.8")
        return Application.objects.create(
            number=f"T{year}{n:06d}",
            serial_number=f"SN-R{n}",
            serial_key=f"SN-R{n}",
            buyer=buyer or self.cast["buyer"],
            district=district,
            year=year,
            product=self.product,
            manufacturer=self.product.manufacturer,
            state=state,
            invoice_price=Decimal("62000.00"),
            central_amount=central,
            municipal_amount=Decimal(total) - central,
            district_amount=Decimal("0.00"),
            total_amount=Decimal(total),
            **extra,
        )

    def event(self, app, action, day: str, *, actor=None, hour=10):
        last = ApplicationEvent.objects.filter(application=app).order_by("-id").first()
        event = ApplicationEvent(
            application=app,
            action=action,
            to_state=app.state,
            actor=actor,
            at=at(day, hour),
            prev_hash=last.hash if last else "",
        )
        event.hash = event.content_hash()
        event.save()
        return event

    def deadline(self, app, step, started: str, days: int, due: str, met: str | None = None):
        return Deadline.objects.create(
            application=app,
            step=step,
            started_on=d(started),
            working_days=days,
            due_on=d(due),
            met_at=at(met, 16) if met else None,
        )

    def entry(self, district, source, kind, amount: str, day: str, *, year=2026, application=None):
        fund, _ = Fund.objects.get_or_create(district=district, year=year, source=source)
        last = LedgerEntry.objects.filter(fund=fund).order_by("-id").first()
        entry = LedgerEntry(
            fund=fund,
            kind=kind,
            amount=Decimal(amount),
            application=application,
            at=at(day),
            prev_hash=last.hash if last else "",
        )
        entry.hash = entry.content_hash()
        entry.save()
        totals.record(entry)  # as ledger.append does
        return entry

    def payment(self, app, day: str):
        return Payment.objects.create(
            application=app,
            voucher=f"V{app.number}",
            central=app.central_amount,
            municipal=app.municipal_amount,
            district_amount=app.district_amount,
            total=app.total_amount,
            paid_on=d(day),
            recorded_by=self.cast["finance"],
        )


@pytest.fixture
def rows(cast, db):
    return Rows(cast, make_product())
