"""How fast the trail's checks are (issue 15: 1,000,000 applications' chains in ≤ 60 s each).

Fills a throw-away database with N applications' events (3 each, one chain per application) and 3N ledger entries
over 39 funds (13 districts × 3 sources), with valid keyed hashes (``core.chain.link_hash``), by COPY. The
applications themselves are not made: the events name ids that no row holds, so the fill runs with foreign keys
unchecked (``session_replication_role = replica``, superuser; the database is dropped afterwards). Then it times
what ``audit verify`` and ``ledger check`` do to the chains: a full walk with no checkpoint, writing a checkpoint,
a full walk against it, and the incremental check (``--since-checkpoint``) after 1% new rows; prints rows/s and
the time extrapolated to 3,000,000 rows (1,000,000 applications).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/chain_verify.py 100000
"""

import datetime
import json
import sys
import tempfile
import time

from common import throwaway_database
from django.conf import settings
from django.db import connection

from accounts.models import District
from applications.models import ApplicationEvent
from core import chain, checkpoints
from payments.models import Fund, LedgerEntry

FIRST_APP = 50_000_000
START = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
ACTIONS = [
    ("submit", "draft", "submitted"),
    ("accept", "submitted", "accepted"),
    ("verify_pass", "accepted", "verified"),
]


def _copy(table: str, columns: list[str], rows) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute("SET session_replication_role = DEFAULT")


def fill_events(n: int, *, first: int = 0, extra: int = 0) -> None:
    """3 events for each of applications ``first``..``first + n``; with ``extra``, one more event for each of the
    first ``extra`` applications, linked to its head."""
    fields = ApplicationEvent.CHAIN.fields

    heads = (
        dict(  # read before the COPY starts: the connection does nothing else during it
            ApplicationEvent.objects.filter(application_id__lt=FIRST_APP + extra)
            .order_by("application_id", "-id")
            .distinct("application_id")
            .values_list("application_id", "hash")
        )
        if extra
        else {}
    )

    def rows():
        if extra:
            for app_id, head in sorted(heads.items()):
                values = {"application_id": app_id, "action": "note", "from_state": "verified", "to_state": "verified",
                              "actor_id": None, "reason": "补充", "data": {}, "at": START + datetime.timedelta(days=30),
                              "prev_hash": head}  # fmt: skip
                yield [*values.values(), chain.link_hash([values[f] for f in fields])]
            return
        for i in range(first, first + n):
            previous = ""
            for step, (action, before, after) in enumerate(ACTIONS):
                at = START + datetime.timedelta(seconds=i, milliseconds=step)
                values = {"application_id": FIRST_APP + i, "action": action, "from_state": before}
                values |= {
                    "to_state": after,
                    "actor_id": None,
                    "reason": "示例" if step else "",
                    "data": {"step": step},
                }
                values |= {"at": at, "prev_hash": previous}
                previous = chain.link_hash([values[f] for f in fields])
                yield [*values.values(), previous]

    columns = ["application_id", "action", "from_state", "to_state", "actor_id", "reason", "data", "at", "prev_hash"]
    _copy(
        "applications_applicationevent",
        [*columns, "hash"],
        ([*r[:6], chain.canonical_json(r[6]), *r[7:]] for r in rows()),
    )


def fill_ledger(rows_wanted: int) -> None:
    funds = []
    for district in District.objects.order_by("code")[:13]:
        for source in ("central", "municipal", "district"):
            funds.append(Fund.objects.get_or_create(district=district, year=2026, source=source)[0])
    fields = LedgerEntry.CHAIN.fields
    per_fund = rows_wanted // len(funds)

    lasts = [
        LedgerEntry.objects.filter(fund=fund).order_by("-id").values_list("hash", flat=True).first() for fund in funds
    ]

    def rows():
        for f, fund in enumerate(funds):
            previous = lasts[f] or ""
            for i in range(per_fund):
                values = {"fund_id": fund.pk, "kind": "allocation", "amount": "100.00", "application_id": None}
                values |= {"batch_id": None, "pair": None, "actor_id": None, "reason": "年度资金下达"}
                values |= {"document": "京财农〔2026〕1号", "at": START + datetime.timedelta(seconds=f * per_fund + i)}
                values |= {"prev_hash": previous}
                previous = chain.link_hash([values[k] for k in fields])
                yield [*values.values(), previous]

    _copy("payments_ledgerentry", [*fields, "hash"], rows())


def timed(label: str, call, rows: int) -> None:
    """Wall time, this process's CPU time, and the CPU time extrapolated to 3,000,000 rows: on a machine shared
    with others the wall time says more about the others than about the check."""
    began, cpu = time.perf_counter(), time.process_time()
    ok = call()
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    flag = "" if ok else "  (PROBLEMS!)"
    print(
        f"{label:<48} {rows:>9,} rows {seconds:>6.1f} s wall {cpu:>5.1f} s CPU {rows / cpu:>8,.0f} rows/CPU-s"
        f" → 3M rows: {3e6 * cpu / rows:>4.0f} CPU-s{flag}",
        flush=True,
    )


def server_seconds(model) -> float:
    """What PostgreSQL spends producing the rows the check streams (EXPLAIN ANALYZE of the same scan)."""
    link = model.CHAIN
    query = model.objects.order_by("id").values_list(*link.fields, "hash", "id").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Execution Time"] / 1000


def main(n: int) -> None:
    settings.CHECKPOINT_DIR = tempfile.mkdtemp(prefix="chain-bench-")
    with throwaway_database():
        began = time.perf_counter()
        fill_events(n)
        fill_ledger(3 * n)
        connection.cursor().execute("ANALYZE applications_applicationevent; ANALYZE payments_ledgerentry")
        events, entries = ApplicationEvent.objects.count(), LedgerEntry.objects.count()
        print(f"filled {events:,} events and {entries:,} ledger entries in {time.perf_counter() - began:.0f} s")

        for model, rows in ((ApplicationEvent, events), (LedgerEntry, entries)):
            seconds = server_seconds(model)
            print(f"PostgreSQL's scan of {model.CHAIN.name}: {seconds:.2f} s → 3M rows: {3e6 * seconds / rows:.0f} s")

        def check(model, **kwargs):
            return lambda: not checkpoints.verify([model], **kwargs).problems

        timed("audit verify (application events), no checkpoint", check(ApplicationEvent), events)
        timed("ledger check's chains, no checkpoint", check(LedgerEntry), entries)
        timed("audit checkpoint (every trail)", lambda: checkpoints.write()[0] is not None, events + entries)
        timed("audit verify against the checkpoint", check(ApplicationEvent), events)
        timed("ledger check's chains against the checkpoint", check(LedgerEntry), entries)
        fill_events(0, extra=n // 100)
        timed("audit verify --since-checkpoint (1% new)", check(ApplicationEvent, since=True), events)
        timed("ledger check --since-checkpoint", check(LedgerEntry, since=True), entries)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
