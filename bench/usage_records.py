"""Benchmark: monitoring platforms posting work records (R20) through POST /api/v1/work-records, and the time to
recompute a district's progress toward the targets.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/subsidy .venv/bin/python bench/usage_records.py [records]
[machines].
It makes a throw-away test database with one pilot kind, ``machines`` machines of 海淀区 paid last year (each with a
terminal bound to one platform), then posts ``records`` records (default 100,000) in batches of 1,000 through
Django's test client (the whole API stack: token, use record, idempotency, the per-record checks), and prints the
records per second, then a repeat of the first batch (all duplicates), then the median time of recomputing the
district's progress (one aggregate per pilot kind). Nothing here is a pass/fail test.
"""

import json
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

from common import measure, throwaway_database
from django.utils import timezone

BATCH = 1000


def fill(machines: int):
    from django.conf import settings

    from accounts.models import District, Role, User
    from api import tokens
    from api.models import ApiClient, ClientKind
    from applications.models import Application, State
    from catalog.models import Grade, Item, Manufacturer, Product
    from payments.models import Payment
    from usage.models import PilotKind, QualityMeasure, Terminal

    settings.API_REQUESTS_PER_MINUTE = 10**9  # the per-minute limit is not what is measured
    year = timezone.localdate().year
    haidian = District.objects.get(code="110108")
    maker, _ = Manufacturer.objects.get_or_create(name="基准测试农机", defaults={"credit_code": "91110000600037341L"})
    item = Item.objects.order_by("pk").first()
    grade, _ = Grade.objects.get_or_create(item=item, name="基准档", defaults={"valid_from": date(2024, 1, 1)})
    product, _ = Product.objects.get_or_create(
        manufacturer=maker, model="BENCH-USE", defaults={"item": item, "grade": grade, "name": "基准"}
    )
    pilot = PilotKind.objects.create(year=year, item=item, volume_target=500, max_per_hour=40)
    QualityMeasure.objects.create(pilot=pilot, name="耕深", unit="cm", threshold=25, share=Decimal("0.9"))
    finance = User.objects.create(username="bench-finance", role=Role.DISTRICT_FINANCE, district=haidian)
    city = User.objects.create(username="bench-city", role=Role.CITY_AGRICULTURE)
    buyers = User.objects.bulk_create(
        [User(username=f"bench-u{n}", role=Role.BUYER, district=haidian) for n in range(machines)]
    )
    apps = Application.objects.bulk_create(
        [
            Application(
                number=f"{year - 1}-110108-B{n:06d}",
                buyer=buyers[n],
                district=haidian,
                product=product,
                manufacturer=maker,
                serial_number=f"BENCH-{n}",
                serial_key=f"BENCH-{n}",
                year=year - 1,
                state=State.PAID,
                central_amount=Decimal("15300.00"),
                municipal_amount=Decimal("3000.00"),
                district_amount=Decimal("0.00"),
                total_amount=Decimal("18300.00"),
            )
            for n in range(machines)
        ]
    )
    Payment.objects.bulk_create(
        [
            Payment(
                application=a,
                voucher=f"BENCH-V{a.pk}",
                central=a.central_amount,
                municipal=a.municipal_amount,
                district_amount=a.district_amount,
                total=a.total_amount,
                paid_on=date(year - 1, 11, 1),
                recorded_by=finance,
            )
            for a in apps
        ]
    )
    platform = ApiClient.objects.create(name="基准平台", kind=ClientKind.MONITORING)
    Terminal.objects.bulk_create(
        [Terminal(platform=platform, terminal_id=f"T{n}", machine=a) for n, a in enumerate(apps)]
    )
    _token, secret = tokens.issue_client_token(client=platform, by=city)
    return haidian, secret


def batches(total: int, machines: int):
    """Records spread so that no two overlap: machine m's j-th record starts 4 hours after its (j-1)-th, each
    machine at its own place."""
    start = timezone.make_aware(datetime(timezone.localdate().year, 1, 2, 6))
    batch = []
    for n in range(total):
        m, j = n % machines, n // machines
        begin = start + timedelta(hours=4 * j)
        batch.append(
            {
                "id": f"P-{n}",
                "terminal": f"T{m}",
                "started_at": begin.isoformat(),
                "ended_at": (begin + timedelta(hours=2)).isoformat(),
                "volume": "30.00",
                "latitude": f"{39.6 + (m % 100) * 0.01:.5f}",
                "longitude": f"{116.0 + (m // 100) * 0.01:.5f}",
                "quality": {"耕深": "27"},
            }
        )
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def post(client, secret, records, key):
    response = client.post(
        "/api/v1/work-records",
        json.dumps({"records": records}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert response.status_code == 200, response.content[:300]
    return response.json()


def main(total: int, machines: int) -> None:
    from django.test import Client

    from usage import rules
    from usage.models import WorkRecord

    with throwaway_database():
        district, secret = fill(machines)
        client = Client()
        first = None
        start = time.perf_counter()
        accepted = 0
        for n, records in enumerate(batches(total, machines)):
            first = first or records
            accepted += post(client, secret, records, f"batch-{n}")["accepted"]
        seconds = time.perf_counter() - start
        again = time.perf_counter()
        repeat = post(client, secret, first, "batch-again")
        repeat_ms = (time.perf_counter() - again) * 1000
        year = timezone.localdate().year

        def recompute():
            machines_qs = rules.machines_of_year(year).filter(district=district)
            return rules.progress_of(list(machines_qs), year)

        label, ms, queries = measure("recompute the district's progress", recompute, runs=3)
        met = sum(1 for p in recompute().values() if p.met)
        print(f"{'records':>9} | {'machines':>8} | {'seconds':>8} | {'records/s':>9}")
        print(f"{WorkRecord.objects.count():>9} | {machines:>8} | {seconds:>8.1f} | {accepted / seconds:>9.0f}")
        print(f"repeat of a batch of {len(first)}: {repeat['duplicate']} duplicates in {repeat_ms:.0f} ms")
        print(f"{label}: {ms:.0f} ms, {queries} queries, {met} of {machines} machines met their targets")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(args[0] if args else 100_000, args[1] if len(args) > 1 else 200)
