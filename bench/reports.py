"""Benchmark: the monthly figures of a district (goal ≤ 2 s) and of the city (goal ≤ 5 s), a report's PDF, and the
dashboard page (its query count must not grow), at growing numbers of applications.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/subsidy .venv/bin/python bench/reports.py 100000 1000000
It makes a throw-away test database (test_<name>), fills it with bulk inserts over the 13 districts (each
application with its submission and acceptance events, an acceptance deadline, late for one in seven, and a
payment for one in three, all in October 2026) and prints, per size, the median time and the queries of each.
Nothing here is a pass/fail test.
"""

import datetime
import sys
from decimal import Decimal
from zoneinfo import ZoneInfo

from common import measure, throwaway_database

RUNS = 3
BEIJING = ZoneInfo("Asia/Shanghai")


def fill(total: int) -> None:
    from accounts.models import District, Role, User
    from applications.models import Application, ApplicationEvent, Deadline, EventAction, State, Step
    from payments.models import Payment

    districts = list(District.objects.all())
    buyer, _ = User.objects.get_or_create(username="bench-buyer", defaults={"role": Role.BUYER})
    have = Application.objects.count()
    for start in range(have, total, 20000):
        stop = min(start + 20000, total)
        apps = Application.objects.bulk_create(
            Application(buyer=buyer, district=districts[n % len(districts)], year=2026, number=f"R-{n:08d}",
                        serial_key=f"RB{n}", state=State.PAID if n % 3 == 0 else State.ACCEPTED,
                        central_amount=Decimal("8000.00"), municipal_amount=Decimal("2000.00"),
                        district_amount=Decimal("0.00"), total_amount=Decimal("10000.00"))
            for n in range(start, stop)
        )  # fmt: skip
        events, deadlines, payments = [], [], []
        for n, app in enumerate(apps, start=start):
            day = datetime.date(2026, 10, 8 + n % 20)
            at = datetime.datetime.combine(day, datetime.time(10), tzinfo=BEIJING)
            events += [ApplicationEvent(application=app, action=EventAction.SUBMIT, at=at, hash="b"),
                       ApplicationEvent(application=app, action=EventAction.ACCEPT, at=at + datetime.timedelta(days=1),
                                        hash="b")]  # fmt: skip
            late = datetime.timedelta(days=5 if n % 7 == 0 else 1)
            deadlines.append(Deadline(application=app, step=Step.ACCEPT, started_on=day, working_days=2,
                                      due_on=day + datetime.timedelta(days=2), met_at=at + late))  # fmt: skip
            if n % 3 == 0:
                payments.append(Payment(application=app, voucher=f"RV{n}", central=Decimal("8000.00"),
                                        municipal=Decimal("2000.00"), district_amount=Decimal("0.00"),
                                        total=Decimal("10000.00"), paid_on=day, recorded_by=buyer))  # fmt: skip
        ApplicationEvent.objects.bulk_create(events, batch_size=5000)
        Deadline.objects.bulk_create(deadlines, batch_size=5000)
        Payment.objects.bulk_create(payments, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main(sizes: list[int]) -> None:
    from django.conf import settings
    from django.test import Client

    # Pages read the static files' sources here, not collectstatic's manifest (as the tests do).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    from accounts.models import District, Role, User
    from reports.figures import compute
    from reports.pdf import render  # noqa: F401 - warm the import
    from reports.periods import Month
    from reports.services import _build

    month = Month(2026, 10)
    with throwaway_database():
        city_user = User.objects.create(username="bench-city", role=Role.CITY_AGRICULTURE)
        client = Client()
        client.force_login(city_user)
        haidian = District.objects.get(code="110108")
        print(f"{'applications':>12}  {'what':<28} {'ms':>10} {'queries':>8}")
        for size in sizes:
            fill(size)
            for label, call in (
                ("district figures", lambda: compute(month=month, district=haidian)),
                ("city figures", lambda: compute(month=month)),
                ("district report with PDF", lambda: _build(district=haidian, month=month, by=None, version=1)),
                ("dashboard page", lambda: client.get("/office/dashboard/")),
            ):
                name, ms, queries = measure(label, call, runs=RUNS)
                print(f"{size:>12}  {name:<28} {ms:>10.0f} {queries:>8}")


if __name__ == "__main__":
    main([int(s) for s in sys.argv[1:]] or [100_000, 1_000_000])
