"""Benchmark: the office, finance and public list pages through the test client, at one data size, kept between runs.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/subsidy .venv/bin/python bench/pages.py fill 100000
     DATABASE_URL=... .venv/bin/python bench/pages.py measure [label words...]
``fill`` makes (or tops up) the database ``bench_pages`` by bulk inserts: applications in every open and paid state
over all districts, one open deadline each with due dates spread from overdue to next month, the 23-working-day
clock, warnings on some, a reservation or payment entry for each in the ledger. ``measure`` migrates it and prints
each page's p50 and p95 server time over its runs and its query count. Nothing here is a pass/fail test.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
NAME = "bench_pages"
os.environ["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + NAME

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

RUNS = 11
AMOUNT = Decimal("9000.00")


def _create_database() -> None:
    import psycopg

    admin = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [NAME]).fetchone():
            conn.execute(f"CREATE DATABASE {NAME}")


def fill(total: int) -> None:
    from accounts.models import District, Role, User
    from applications.models import Application, Deadline, Step, Warning
    from applications.workflow import State
    from payments.models import EntryKind, Fund, LedgerEntry

    districts = list(District.objects.order_by("pk"))
    buyers = [
        User.objects.get_or_create(
            username=f"bench-buyer-{n}",
            defaults={
                "role": Role.BUYER,
                "district": districts[n % len(districts)],
                "display_name": f"张{'伟芳娜敏静丽强磊军洋'[n % 10]}{n}",
            },
        )[0]
        for n in range(200)
    ]
    have = Application.objects.filter(number__startswith="B-").count()
    today = timezone.localdate()
    year = today.year
    states = [
        State.SUBMITTED,
        State.ACCEPTED,
        State.VERIFIED,
        State.IN_NOTICE,
        State.NOTICE_PASSED,
        State.PAYMENT_REQUESTED,
        State.PAID,
        State.PAID,
        State.PAID,
        State.RETURNED,
    ]
    step_of = {
        State.SUBMITTED: Step.ACCEPT,
        State.ACCEPTED: Step.VERIFY,
        State.VERIFIED: Step.NOTICE,
        State.IN_NOTICE: Step.NOTICE,
        State.NOTICE_PASSED: Step.HAND_OVER,
        State.PAYMENT_REQUESTED: Step.PAY,
    }
    funds = {}
    for d in districts:
        for source in ("central", "municipal"):
            funds[(d.pk, source)] = Fund.objects.get_or_create(district=d, year=year, source=source)[0]
    if not have:
        LedgerEntry.objects.bulk_create(
            [LedgerEntry(fund=f, kind=EntryKind.ALLOCATION, amount=Decimal("1e9"), hash="x") for f in funds.values()]
        )
    step = 10_000
    for start in range(have, total, step):
        batch = []
        for n in range(start, min(start + step, total)):
            d = districts[n % len(districts)]
            batch.append(
                Application(
                    buyer=buyers[n % len(buyers)],
                    district=d,
                    year=year,
                    state=states[n % len(states)],
                    number=f"B-{d.code}-{n:08d}",
                    serial_key=f"BENCH{n}",
                    payee_name="张三",
                    central_amount=AMOUNT,
                    municipal_amount=Decimal("0.00"),
                    district_amount=Decimal("0.00"),
                    total_amount=AMOUNT,
                    submitted_at=timezone.now() - timedelta(minutes=n % 5000),
                )
            )
        apps = Application.objects.bulk_create(batch, batch_size=2000)
        deadlines, warnings, entries = [], [], []
        for a in apps:
            n = a.pk
            if a.state in step_of:
                due = today + timedelta(days=(n % 40) - 10)
                deadlines.append(
                    Deadline(
                        application=a,
                        step=step_of[a.state],
                        started_on=today - timedelta(days=5),
                        working_days=5,
                        due_on=due,
                    )
                )
                deadlines.append(
                    Deadline(
                        application=a,
                        step=Step.OVERALL,
                        started_on=today - timedelta(days=20),
                        working_days=23,
                        due_on=today + timedelta(days=(n % 60) - 5),
                    )
                )
            if n % 7 == 0:
                warnings.append(Warning(application=a, code="bench", rule="R38", message="bench"))
            if a.state != State.SUBMITTED and a.state != State.RETURNED:
                fund = funds[(a.district_id, "central")]
                entries.append(
                    LedgerEntry(fund=fund, kind=EntryKind.RESERVATION, amount=-AMOUNT, application=a, hash="x")
                )
                if a.state == State.PAID:
                    entries.append(
                        LedgerEntry(fund=fund, kind=EntryKind.RELEASE, amount=AMOUNT, application=a, hash="x")
                    )
                    entries.append(
                        LedgerEntry(fund=fund, kind=EntryKind.PAYMENT, amount=-AMOUNT, application=a, hash="x")
                    )
        Deadline.objects.bulk_create(deadlines, batch_size=5000)
        Warning.objects.bulk_create(warnings, batch_size=5000)
        LedgerEntry.objects.bulk_create(entries, batch_size=5000)
        print(f"filled {start + len(apps)}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _time(client: Client, url: str) -> tuple[float, float, int, int]:
    times, queries, status = [], 0, 0
    for _run in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        queries, status = len(ctx.captured_queries), response.status_code
    times = sorted(times[1:])  # the first warms the caches
    return statistics.median(times) * 1000, times[int(len(times) * 0.95)] * 1000, queries, status


def _deep(client: Client, url: str, hops: int) -> str:
    """The URL of the page ``hops`` pages in, following the page's own "next" link (keyset) or ?page=N (OFFSET)."""
    import re

    body = client.get(url).content.decode()
    if "after=" not in body:
        return f"{url}{'&' if '?' in url else '?'}page={hops + 1}"
    for _ in range(hops):
        found = re.search(r'href="([^"]*after=[^"]*)"', body)
        if not found:
            break
        url = found.group(1).replace("&amp;", "&")
        body = client.get(url).content.decode()
    return url


def measure(only: list[str]) -> None:
    """Every page, or those whose label contains one of ``only``."""
    from accounts.models import District, Role, User
    from applications.models import Application

    call_command("migrate", verbosity=0)
    call_command("compilemessages", verbosity=0, ignore=[".venv"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    district = District.objects.get(code="110108")
    users = {
        "district": User.objects.get_or_create(
            username="bench-officer", defaults={"role": Role.DISTRICT_AGRICULTURE, "district": district}
        )[0],
        "municipal": User.objects.get_or_create(username="bench-city", defaults={"role": Role.CITY_AGRICULTURE})[0],
        "district finance": User.objects.get_or_create(
            username="bench-dfin", defaults={"role": Role.DISTRICT_FINANCE, "district": district}
        )[0],
        "municipal finance": User.objects.get_or_create(username="bench-mfin", defaults={"role": Role.CITY_FINANCE})[0],
    }
    number = Application.objects.filter(district=district, number__startswith="B-").order_by("-pk").first().number
    pages = [
        ("district", "queue first page", "/office/applications/"),
        ("district", "queue due soon", "/office/applications/?due=soon"),
        ("district", "queue overdue", "/office/applications/?due=overdue"),
        ("district", "queue deep page (20)", ("deep", "/office/applications/", 20)),
        ("district", "queue number search", f"/office/applications/?q={number}"),
        ("district", "queue name search", "/office/applications/?q=伟1"),
        ("district", "API queue", "/api/v1/office/applications"),
        ("district", "at risk", "/office/applications/at-risk/"),
        ("municipal", "queue first page", "/office/applications/"),
        ("municipal", "queue overdue", "/office/applications/?due=overdue"),
        ("municipal", "queue deep page (20)", ("deep", "/office/applications/", 20)),
        ("municipal", "queue number search", f"/office/applications/?q={number}"),
        ("municipal", "queue name search", "/office/applications/?q=伟1"),
        ("municipal", "API queue", "/api/v1/office/applications"),
        ("municipal", "at risk", "/office/applications/at-risk/"),
        ("district finance", "finance queue", "/finance/queue/"),
        ("district finance", "ledger", "/finance/ledger/"),
        ("municipal finance", "finance queue", "/finance/queue/"),
        ("municipal finance", "ledger", "/finance/ledger/"),
        ("municipal finance", "year-end preview", f"/finance/year-end/?year={timezone.localdate().year}"),
        (None, "public notices page 1", "/public/notices/"),
        (None, "public notices deep (20)", ("deep", "/public/notices/", 20)),
    ]
    total = Application.objects.count()
    print(f"{total} applications; p50 / p95 ms over {RUNS - 1} requests")
    print(f"{'user':<18} | {'page':<26} | {'p50':>7} | {'p95':>7} | {'queries':>7} | status")
    print("-" * 82)
    for who, label, url in pages:
        if only and not any(o in label for o in only):
            continue
        client = Client()
        if who:
            client.force_login(users[who])
        if label.startswith("API"):
            from api.tokens import create_personal_token

            secret = create_personal_token(user=users[who], name="bench")[1]
            client = Client(headers={"Authorization": f"Bearer {secret}"})
        if isinstance(url, tuple):
            url = _deep(client, url[1], url[2])
        p50, p95, queries, status = _time(client, url)
        print(f"{who or 'public':<18} | {label:<26} | {p50:>7.1f} | {p95:>7.1f} | {queries:>7} | {status}", flush=True)


if __name__ == "__main__":
    setup_test_environment()
    import logging

    logging.getLogger("axes").setLevel(logging.WARNING)
    settings.DEBUG = False
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": plain}
    only = sys.argv[2:] if len(sys.argv) > 2 and sys.argv[1] == "measure" else []
    if sys.argv[1] == "fill":
        _create_database()
        call_command("migrate", verbosity=0)
        fill(int(sys.argv[2]))
    else:
        measure(only)
