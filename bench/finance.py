"""Benchmark: the money side at growing data sizes: district finance's payment queue, the municipal ledger page's
balances, building a batch of 100 requests, the year-end preview (a dry run) and ``ledger check``.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/subsidy .venv/bin/python bench/finance.py [sizes...]
It makes a throw-away test database (test_<name>), fills one district with requested payments (each with its
reservation entries, chained as the ledger writes them) and prints, per size, the median time of each operation
over several runs and the number of queries it took. Writes are rolled back after each run. Nothing here is a
pass/fail test.
"""

import sys
from datetime import timedelta
from decimal import Decimal

from common import measure, throwaway_database
from django.db import connection, transaction
from django.utils import timezone

RUNS = 5
CENTRAL, MUNICIPAL = Decimal("15300.00"), Decimal("3000.00")


class Rollback(Exception):
    """Raised inside a measured write to undo it."""


def fill(total: int, district, buyer, city) -> None:
    """Requested payments up to ``total``, each with a 15-working-day deadline and its two reservation entries."""
    from applications.models import Application, Deadline, Step
    from applications.workflow import State
    from payments import ledger
    from payments.models import EntryKind, LedgerEntry

    year = timezone.localdate().year
    have = Application.objects.filter(number__startswith="F-").count()
    today = timezone.localdate()
    funds = ledger.lock_funds(district, year)
    if not have:
        for source in ("central", "municipal"):
            ledger.append(funds[source], kind=EntryKind.ALLOCATION, amount=Decimal("1e10"), actor=city, reason="bench")
    apps = Application.objects.bulk_create(
        [
            Application(
                buyer=buyer,
                district=district,
                year=year,
                state=State.PAYMENT_REQUESTED,
                number=f"F-{n:08d}",
                serial_key=f"FIN{n}",
                payee_name="张三",
                bank_name="中国农业银行",
                central_amount=CENTRAL,
                municipal_amount=MUNICIPAL,
                district_amount=Decimal("0.00"),
                total_amount=CENTRAL + MUNICIPAL,
                submitted_at=timezone.now(),
            )
            for n in range(have, total)
        ],
        batch_size=2000,
    )
    Deadline.objects.bulk_create(
        [
            Deadline(application=a, step=Step.PAY, started_on=today, working_days=15, due_on=today + timedelta(days=21))
            for a in apps
        ],
        batch_size=2000,
    )
    entries = []
    for source, amount in (("central", CENTRAL), ("municipal", MUNICIPAL)):
        fund = funds[source]
        last = LedgerEntry.objects.filter(fund=fund).order_by("-id").first()
        previous = last.hash if last else ""
        for app in apps:
            entry = LedgerEntry(
                fund=fund,
                kind=EntryKind.RESERVATION,
                amount=-amount,
                application=app,
                reason=app.number,
                prev_hash=previous,
                at=timezone.now(),
            )
            entry.hash = previous = entry.content_hash()
            entries.append(entry)
    LedgerEntry.objects.bulk_create(entries, batch_size=2000)


def rolled_back(call):
    def run():
        try:
            with transaction.atomic():
                call()
                raise Rollback
        except Rollback:
            pass

    return run


def main(sizes: list[int]) -> None:
    from accounts.models import BuyerKind, District, Role, User
    from applications.models import Application
    from payments import ledger, selectors, services

    with throwaway_database():
        district = District.objects.get(code="110108")
        buyer = User.objects.create(  # an organisation: a batch of 100 stays within its annual cap (R24)
            username="bench-buyer",
            role=Role.BUYER,
            district=district,
            display_name="合作社",
            buyer_kind=BuyerKind.COOPERATIVE,
        )
        finance = User.objects.create(username="bench-finance", role=Role.DISTRICT_FINANCE, district=district)
        city = User.objects.create(username="bench-city", role=Role.CITY_FINANCE)
        year = timezone.localdate().year
        print(f"{'requests':>9} | {'operation':<38} | {'median ms':>9} | {'queries':>7}")
        print("-" * 74)
        for size in sizes:
            with transaction.atomic():
                fill(size, district, buyer, city)
            with connection.cursor() as cursor:  # as autovacuum would after a bulk load: plans on true row counts
                cursor.execute("ANALYZE")
            ids = list(
                Application.objects.filter(number__startswith="F-").order_by("pk").values_list("pk", flat=True)[:100]
            )
            rows = [
                measure(
                    "payment queue: first 500 with due dates",
                    lambda: selectors.with_due_dates(selectors.payment_queue(user=finance)[:500]),
                    runs=RUNS,
                ),
                measure("ledger balances, all districts", lambda: selectors.balances_for(city), runs=RUNS),
                measure(
                    "build a batch of 100 (rolled back)",
                    rolled_back(lambda ids=ids: services.build_batch(officer=finance, application_ids=ids)),
                    runs=RUNS,
                ),
                measure("year-end preview (dry run)", lambda: selectors.year_end_preview(year=year), runs=RUNS),
                measure("ledger check", ledger.check, runs=RUNS),
            ]
            for label, ms, queries in rows:
                print(f"{size:>9} | {label:<38} | {ms:>9.1f} | {queries:>7}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 50_000])
