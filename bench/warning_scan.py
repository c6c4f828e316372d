"""Benchmark: the nightly scan of the six warning signs (R38) over a subsidy year.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/subsidy .venv/bin/python bench/warning_scan.py [sizes...]
It makes a throw-away test database, fills it with applications of the year in bulk (buyers with one to five
machines, a few products, two districts, some with a declared scale and some buying the year before) and prints
per size: the first scan (which raises the warnings), a second scan (idempotent: nothing new) and the number of
warnings raised, with the queries each took. Nothing here is a pass/fail test.
"""

import sys
import time
from datetime import timedelta
from decimal import Decimal

from common import measure, throwaway_database
from django.utils import timezone


def _products(n: int):
    from datetime import date

    from catalog.models import Grade, Item, Manufacturer, Product

    maker, _ = Manufacturer.objects.get_or_create(name="基准测试农机", defaults={"credit_code": "91110000600037341L"})
    items = list(Item.objects.order_by("pk")[:n])
    grades = [
        Grade.objects.get_or_create(item=item, name=f"基准档 {item.code}", defaults={"valid_from": date(2024, 1, 1)})[0]
        for item in items
    ]
    return [
        Product.objects.get_or_create(
            manufacturer=maker, model=f"BENCH-{g.pk}", defaults={"item": g.item, "grade": g, "name": "基准"}
        )[0]
        for g in grades
    ]


def fill(total: int) -> None:
    from accounts.models import District, Role, User
    from applications.models import Application
    from applications.workflow import State
    from audits.models import BuyerScale

    districts = list(District.objects.filter(code__in=["110108", "110114"]))
    products = _products(8)
    have = Application.objects.count()
    buyers_needed = (total - have) // 3 + 1
    start = User.objects.filter(username__startswith="bench-b").count()
    User.objects.bulk_create(
        [
            User(username=f"bench-b{n}", role=Role.BUYER, district=districts[n % 2])
            for n in range(start, start + buyers_needed)
        ],
        batch_size=2000,
    )
    buyers = list(User.objects.filter(username__startswith="bench-b").order_by("pk").values_list("pk", "district_id"))
    BuyerScale.objects.bulk_create(
        [BuyerScale(buyer_id=pk, land_mu=Decimal("50")) for pk, _d in buyers[start::7]], batch_size=2000
    )
    now, year = timezone.now(), timezone.localdate().year
    rows = []
    for n in range(have, total):
        buyer, district = buyers[(n * 7919) % len(buyers)]
        rows.append(
            Application(
                buyer_id=buyer,
                district_id=district,
                product=products[n % len(products)],
                state=State.SUBMITTED,
                submitted_at=now - timedelta(minutes=n % 200_000),
                year=year - 1 if n % 11 == 0 else year,
                total_amount=Decimal(10000 + (n * 37) % 60000),
            )
        )
    Application.objects.bulk_create(rows, batch_size=5000)


def main(sizes: list[int]) -> None:
    from audits import signs
    from audits.models import RiskWarning

    with throwaway_database():
        print(f"{'applications':>12} | {'step':<34} | {'ms':>9} | {'queries':>7} | {'warnings':>8}")
        print("-" * 84)
        for size in sizes:
            fill(size)
            start = time.perf_counter()
            raised = signs.scan()
            first = (time.perf_counter() - start) * 1000
            print(f"{size:>12} | {'first scan (raises the warnings)':<34} | {first:>9.0f} | {'':>7} | {raised:>8}")
            label, ms, queries = measure("second scan (idempotent)", signs.scan, runs=3)
            total = RiskWarning.objects.count()
            print(f"{size:>12} | {label:<34} | {ms:>9.0f} | {queries:>7} | {total:>8}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
