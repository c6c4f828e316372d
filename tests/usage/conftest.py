"""Fixtures for the application subsidy (R20): a machine whose purchase subsidy was paid last year, the pilot kind of
this year with its targets, a monitoring platform with a token and a terminal bound to the machine."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from api import tokens
from api.models import ApiClient, ClientKind
from applications.models import Application
from payments import services as payments
from payments.models import Payment
from tests.api.conftest import Api
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
from tests.payments.conftest import approved, fund, requested, return_file, second_finance  # noqa: F401
from usage.models import PilotKind, QualityMeasure, RecordStatus, Source, Terminal, WorkRecord

THIS_YEAR = timezone.localdate().year
DEPTH = "耕深"


def at(month, day, hour, minute=0, *, year=THIS_YEAR) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def pay(app, cast, approved, *, voucher):  # noqa: F811 - the fixture, passed in
    batch = approved(app)
    payments.import_return(
        batch_id=batch.pk,
        officer=cast["finance"],
        data=return_file(batch, [(app, "成功", voucher, None, "")]),
        file_name="return.csv",
    )
    app.refresh_from_db()
    return app


@pytest.fixture
def machine(cast, haidian, fund, requested, approved):  # noqa: F811
    """``machine(serial=...)``: a purchase of 海淀区 paid (15,300 central + 3,000 municipal), its payment dated last
    year, so this year is its year of work."""
    funded = []

    def _machine(*, serial="SN-0001", buyer=None, paid_on=None, **kwargs) -> Application:
        if not funded:
            fund(haidian)
            funded.append(True)
        app = requested(serial=serial, **({"buyer": buyer} if buyer else {}), **kwargs)
        pay(app, cast, approved, voucher=f"GK-{serial}")
        Payment.objects.filter(application=app).update(paid_on=paid_on or date(THIS_YEAR - 1, 11, 20))
        return Application.objects.select_related("product__item", "payment").get(pk=app.pk)

    return _machine


@pytest.fixture
def pilot(product):  # noqa: F811
    """This year's pilot kind for the test product's item: 500 mu, subsoiling depth at least 25 cm over 90%."""
    kind = PilotKind.objects.create(
        year=THIS_YEAR,
        item=product.item,
        volume_target=Decimal("500"),
        volume_unit="mu",
        max_per_hour=Decimal("20"),
        max_hours=Decimal("16"),
        evidence="作业监测终端数据",
    )
    QualityMeasure.objects.create(
        pilot=kind, name=DEPTH, unit="cm", comparison="at_least", threshold=Decimal("25"), share=Decimal("0.9")
    )
    return kind


@pytest.fixture
def platform(cast):
    """A monitoring platform and its token: ``(client, secret)``."""
    client = ApiClient.objects.create(name="北斗作业监测平台", kind=ClientKind.MONITORING)
    _token, secret = tokens.issue_client_token(client=client, by=cast["city"])
    return client, secret


@pytest.fixture
def bind():
    def _bind(platform_client, machine, terminal_id="BD-0001"):
        return Terminal.objects.create(platform=platform_client, terminal_id=terminal_id, machine=machine)

    return _bind


@pytest.fixture
def api(client):
    return Api(client)


def record(n, *, start, hours=2, volume="30", lat="40.03000", lon="116.30000", depth="27", terminal="BD-0001"):
    """A platform's record as posted."""
    return {
        "id": f"R-{n}",
        "terminal": terminal,
        "started_at": start.isoformat(),
        "ended_at": (start + timedelta(hours=hours)).isoformat(),
        "volume": volume,
        "latitude": lat,
        "longitude": lon,
        "quality": {DEPTH: depth},
    }


def work(machine, *, start, volume, depth="27", hours=2, status=RecordStatus.COUNTED):
    return WorkRecord.objects.create(
        machine=machine,
        source=Source.IMPORT,
        started_at=start,
        ended_at=start + timedelta(hours=hours),
        volume=Decimal(volume),
        latitude=Decimal("40.03"),
        longitude=Decimal("116.3"),
        quality={DEPTH: float(depth)},
        status=status,
    )
