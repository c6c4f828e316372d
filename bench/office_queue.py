"""Benchmark: the office queue, the public notice list and an idle sweep at growing data sizes.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/subsidy .venv/bin/python bench/office_queue.py [sizes...]
It makes a throw-away test database (test_<name>), fills it with bulk inserts and prints, per size, the
median time of each read over several runs and the number of queries it took. Nothing here is a pass/fail test.
"""

import sys
from datetime import timedelta

from common import measure, throwaway_database
from django.utils import timezone

RUNS = 7


def fill(total: int) -> None:
    from accounts.models import District, Role, User
    from applications.models import Application, Deadline, Step
    from applications.workflow import State

    district = District.objects.get(code="110108")
    buyer, _ = User.objects.get_or_create(username="bench-buyer", defaults={"role": Role.BUYER, "district": district})
    have = Application.objects.count()
    today = timezone.localdate()
    states = [State.SUBMITTED, State.ACCEPTED, State.VERIFIED, State.IN_NOTICE, State.NOTICE_PASSED]
    apps = [
        Application(
            buyer=buyer,
            district=district,
            state=states[n % len(states)],
            number=f"B-{n:08d}",
            serial_key=f"BENCH{n}",
            submitted_at=timezone.now(),
        )
        for n in range(have, total)
    ]
    Application.objects.bulk_create(apps, batch_size=2000)
    new = Application.objects.filter(number__startswith="B-").exclude(deadlines__isnull=False)
    Deadline.objects.bulk_create(
        [
            Deadline(
                application=a, step=Step.VERIFY, started_on=today, working_days=13, due_on=today + timedelta(days=18)
            )
            for a in new.iterator()
        ],
        batch_size=2000,
    )


def main(sizes: list[int]) -> None:
    from accounts.models import District, Role, User
    from applications.selectors import office_queue, public_notices
    from applications.sweep import sweep

    with throwaway_database():
        district = District.objects.get(code="110108")
        officer = User.objects.create(username="bench-officer", role=Role.DISTRICT_AGRICULTURE, district=district)
        print(f"{'applications':>12} | {'read':<32} | {'median ms':>9} | {'queries':>7}")
        print("-" * 70)
        for size in sizes:
            fill(size)
            rows = [
                measure(
                    "office queue: first 50 + count",
                    lambda: (list(office_queue(user=officer)[:50]), office_queue(user=officer).count()),
                    runs=RUNS,
                ),
                measure("public notices: first 50", lambda: list(public_notices()[:50]), runs=RUNS),
                measure("sweep with nothing due", lambda: sweep(), runs=RUNS),
            ]
            for label, ms, queries in rows:
                print(f"{size:>12} | {label:<32} | {ms:>9.1f} | {queries:>7}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 50_000])
