"""The benchmark of issue 15, against the database ``seed_scale.py`` filled (``bench_scale``, kept for reruns): every
list and detail page through the Django test client (p50 and p95 server time over N requests, and its queries),
beside each page's hand-written SQL floor (a keyset page from an index, timed by cursor); the sweep with nothing
due and with 1,000 due (rolled back); ``ledger check`` and ``audit verify``; and the throughputs through gunicorn
with 2 workers on loopback (the public catalogue, the office queue of the API). It prints one table with ratios.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/subsidy .venv/bin/python bench/run.py [--requests 30]
     [--only WORD] [--skip-checks] [--skip-http]
``BENCH_DATABASE`` names another seeded database (e.g. ``bench_scale_100k``). Nothing here is a pass/fail test;
``bench/RESULTS.md`` keeps the last figures.
"""

import argparse
import io
import logging
import os
import platform
import statistics
import time
from contextlib import redirect_stdout

import scale
import throughput
from common import django  # noqa: F401 - Django set up on bench_scale
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Min
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.utils import timezone


class Rollback(Exception):
    """Raised inside a measured write to undo it."""


def cast() -> dict:
    """The users the pages are read as: the demo's Haidian officers and the municipal users."""
    from accounts.models import User

    names = {
        "officer": "officer-haidian",
        "city": "city-agri",
        "finance": "finance-haidian",
        "city_finance": "city-finance",
        "auditor": "auditor",
    }
    return {key: User.objects.get(username=name) for key, name in names.items()}


def sample_ids(users) -> dict:
    from applications.models import Application
    from applications.workflow import State

    district = users["officer"].district_id
    in_notice = Application.objects.filter(district_id=district, state=State.IN_NOTICE).order_by("pk")
    paid = Application.objects.filter(district_id=district, state=State.PAID).order_by("-pk")
    return {
        "detail": in_notice.values_list("pk", flat=True)[len(in_notice) // 2],
        "number": paid.values_list("number", flat=True).first(),
        "paid": paid.values_list("pk", flat=True).first(),
        "district": district,
        "code": users["officer"].district.code,
    }


def pages(ids: dict) -> list[tuple[str, str, str, str | None]]:
    """(label, user, path, floor): every page of the issue's table, and the other list and detail pages."""
    return [
        ("district officer's queue, first page", "officer", "/office/applications/", "queue"),
        ("district officer's queue, due soon", "officer", "/office/applications/?due=soon", "queue_soon"),
        ("district officer's queue, deep page", "officer", "/office/applications/?page=200", "queue_deep"),
        ("municipal queue, first page", "city", "/office/applications/", "city_queue"),
        ("municipal queue, overdue", "city", "/office/applications/?due=overdue", "city_overdue"),
        ("municipal queue, application number", "city", f"/office/applications/?q={ids['number']}", "number"),
        ("office detail", "officer", f"/office/applications/{ids['detail']}/", "detail"),
        ("public notices, page 1", None, "/public/notices/", "notices"),
        ("public notices, page 70", None, "/public/notices/?page=70", "notices_70"),
        ("finance queue, district", "finance", "/finance/queue/", "finance_queue"),
        ("finance queue, municipal", "city_finance", "/finance/queue/", "city_finance_queue"),
        ("finance application", "finance", f"/finance/applications/{ids['paid']}/", "detail"),
        ("ledger page, municipal", "city_finance", "/finance/ledger/", "ledger"),
        ("ledger page, district", "finance", "/finance/ledger/", "ledger_district"),
        ("at risk of 23 working days, municipal", "city", "/office/applications/at-risk/", "at_risk"),
        ("year-end preview", "city_finance", "/finance/year-end/", "year_end"),
        ("batches, district", "finance", "/finance/batches/", None),
        ("reports, municipal", "city", "/office/reports/", None),
        ("overtime report, municipal", "city", "/office/overtime/", None),
        ("dashboard, municipal", "city", "/office/dashboard/", None),
        ("audit tasks", "auditor", "/audit/", None),
        ("audit warnings", "auditor", "/audit/warnings/", None),
        ("audit investigations", "auditor", "/audit/investigations/", None),
        ("public beneficiaries", None, "/public/beneficiaries/", None),
        ("API office queue, district", "officer", "/api/v1/office/applications?limit=50", None),
        ("API finance queue, district", "finance", "/api/v1/finance/queue", None),
        ("API public notices, district", None, f"/api/v1/notices?district={ids['code']}", None),
    ]


def floors(ids: dict, users: dict) -> dict[str, tuple[str, list]]:
    """Each page's SQL floor: the rows it shows, read by hand from an index (keyset, no count)."""
    from applications.workflow import OPEN_FOR_OFFICE, RESERVED, State

    today = timezone.localdate()
    d = ids["district"]
    open_states = [str(s) for s in OPEN_FOR_OFFICE]
    queue = """SELECT a.id, a.number, a.state, u.display_name, x.due_on FROM applications_application a
        JOIN accounts_user u ON u.id = a.buyer_id
        LEFT JOIN LATERAL (SELECT min(due_on) due_on FROM applications_deadline d
                           WHERE d.application_id = a.id AND d.met_at IS NULL) x ON true
        WHERE a.state = ANY(%s) {where} ORDER BY a.id DESC LIMIT 50 {offset}"""
    by_due = """SELECT a.id, a.number, a.state, u.display_name, d.due_on FROM applications_deadline d
        JOIN applications_application a ON a.id = d.application_id JOIN accounts_user u ON u.id = a.buyer_id
        WHERE d.met_at IS NULL AND d.due_on {cmp} %s AND a.state = ANY(%s) {where}
        ORDER BY d.due_on, d.id LIMIT 50"""
    notices = """SELECT a.id, a.number, u.display_name, d.started_on, d.due_on FROM applications_deadline d
        JOIN applications_application a ON a.id = d.application_id JOIN accounts_user u ON u.id = a.buyer_id
        WHERE d.step = 'notice' AND d.met_at IS NULL AND a.state = 'in_notice'
        ORDER BY d.started_on DESC, d.id DESC LIMIT 100 OFFSET %s"""
    pay = """SELECT a.id, a.number, a.total_amount, d.due_on FROM applications_deadline d
        JOIN applications_application a ON a.id = d.application_id
        WHERE d.step = 'pay' AND d.met_at IS NULL AND a.state = 'payment_requested' {where}
        ORDER BY d.due_on, d.id LIMIT 500"""
    ledger = """SELECT f.id, e.kind, sum(e.amount) FROM payments_fund f JOIN payments_ledgerentry e ON e.fund_id = f.id
        {where} GROUP BY f.id, e.kind"""
    return {
        "queue": (queue.format(where="AND a.district_id = %s", offset=""), [open_states, d]),
        "queue_soon": (by_due.format(cmp=">=", where="AND a.district_id = %s"), [today, open_states, d]),
        "queue_deep": (queue.format(where="AND a.district_id = %s", offset="OFFSET 9950"), [open_states, d]),
        "city_queue": (queue.format(where="", offset=""), [open_states]),
        "city_overdue": (by_due.format(cmp="<", where=""), [today, open_states]),
        "number": ("SELECT id, number, state FROM applications_application WHERE number = %s", [ids["number"]]),
        "detail": (
            """SELECT a.*, (SELECT json_agg(e ORDER BY e.id) FROM applications_applicationevent e
                WHERE e.application_id = a.id), (SELECT json_agg(d) FROM applications_deadline d
                WHERE d.application_id = a.id) FROM applications_application a WHERE a.id = %s""",
            [ids["detail"]],
        ),
        "notices": (notices, [0]),
        "notices_70": (notices, [6900]),
        "finance_queue": (pay.format(where="AND a.district_id = %s"), [d]),
        "city_finance_queue": (pay.format(where=""), []),
        "ledger": (ledger.format(where=""), []),
        "ledger_district": (ledger.format(where="WHERE f.district_id = %s"), [d]),
        "at_risk": (
            """SELECT a.id, a.number, d.due_on FROM applications_deadline d
                JOIN applications_application a ON a.id = d.application_id
                WHERE d.step = 'overall' AND d.met_at IS NULL AND d.due_on <= %s ORDER BY d.due_on, d.id LIMIT 50""",
            [today + timezone.timedelta(days=35)],
        ),
        "year_end": (
            """SELECT district_id, state, count(*), sum(total_amount) FROM applications_application
                WHERE year = %s AND state = ANY(%s) GROUP BY 1, 2""",
            [today.year, [str(s) for s in (*RESERVED, State.SUBMITTED, State.PREREGISTERED)]],
        ),
    }


def quantiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times) * 1000, p95 * 1000


def time_page(client: Client, path: str, runs: int) -> tuple[float, float, int, int]:
    """(p50 ms, p95 ms, queries of the last request, status)."""
    client.get(path)  # warm: templates, the session, the plan cache
    times, queries, status = [], 0, 0
    for _ in range(runs):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - start)
        queries, status = len(ctx.captured_queries), response.status_code
    return (*quantiles(times), queries, status)


def time_sql(sql: str, params: list, runs: int) -> float:
    times = []
    with connection.cursor() as cursor:
        for _ in range(runs + 1):
            start = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            times.append(time.perf_counter() - start)
    return quantiles(times[1:])[0]


def time_sweep(due: tuple[int, int], runs: int) -> tuple[float, int, str]:
    """The sweep on the seed's day, with ``due`` = (notices, other steps) made due first; rolled back each time.
    (median ms, queries, what it did and the Python CPU it took: on a loaded machine the wall time is mostly
    waiting)."""
    from applications.models import Deadline, Step
    from applications.sweep import sweep
    from applications.workflow import State

    day = Deadline.objects.filter(met_at__isnull=True, overdue_at__isnull=True).aggregate(day=Min("due_on"))["day"]
    times, cpus, queries, did = [], [], 0, ""
    for _ in range(runs):
        try:
            with transaction.atomic():
                open_ = Deadline.objects.filter(met_at__isnull=True, overdue_at__isnull=True).order_by("?")
                notices = open_.filter(step=Step.NOTICE, application__state=State.IN_NOTICE)[: due[0]]
                others = open_.exclude(step=Step.NOTICE)[: due[1]]
                ids = [*notices.values_list("pk", flat=True), *others.values_list("pk", flat=True)]
                Deadline.objects.filter(pk__in=ids).update(due_on=day - timezone.timedelta(days=1))
                with CaptureQueriesContext(connection) as ctx:
                    start, cpu = time.perf_counter(), time.process_time()
                    result = sweep(today=day)
                    times.append(time.perf_counter() - start)
                    cpus.append(time.process_time() - cpu)
                queries = len([q for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))])
                did = f"{len(result.notices_closed)} closed, {len(result.overdue)} overdue, {len(result.stuck)} stuck"
                did += f"; Python CPU {statistics.median(cpus) * 1000:,.0f} ms"
                raise Rollback
        except Rollback:
            pass
    return statistics.median(times) * 1000, queries, did


def time_command(*args) -> tuple[float, str]:
    out = io.StringIO()
    start = time.perf_counter()
    try:
        with redirect_stdout(out):
            call_command(*args, stdout=out, stderr=out)
    except SystemExit:
        pass
    return (time.perf_counter() - start) * 1000, out.getvalue().strip().splitlines()[-1][:40]


def row(label: str, p50: str, p95: str, queries: str, floor: str, ratio: str) -> str:
    return f"| {label} | {p50} | {p95} | {queries} | {floor} | {ratio} |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--only", default="")
    parser.add_argument("--skip-checks", action="store_true")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--submissions", type=int, default=1000)
    options = parser.parse_args()
    from applications.models import Application
    from payments.models import LedgerEntry

    setup_test_environment()  # the test client's host, and query capture
    for name in ("django.request", "axes", "applications.sweep"):  # a failing page is shown in the table
        logging.getLogger(name).setLevel(logging.CRITICAL)
    settings.STORAGES = {  # as the tests read static files: no manifest needed
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    users = cast()
    ids = sample_ids(users)
    sql = floors(ids, users)
    size = Application.objects.count()
    print(f"{scale.NAME}: {size:,} applications, {LedgerEntry.objects.count():,} ledger entries")
    print(f"{platform.node()}, {os.cpu_count()} CPUs, {timezone.now():%Y-%m-%d %H:%M} UTC, {options.requests} requests")
    print()
    print(row("page", "p50 ms", "p95 ms", "queries", "floor ms", "p50 / floor"))
    print(row("---", "---", "---", "---", "---", "---"))
    clients = {}
    for label, who, path, floor in pages(ids):
        if options.only and options.only not in label:
            continue
        if who not in clients:
            clients[who] = Client()
            if who:
                clients[who].force_login(users[who])
        token = ""
        if path.startswith("/api/") and who:
            from api.tokens import create_personal_token

            token = create_personal_token(user=users[who], name="bench")[1]
            clients[who].defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        try:
            p50, p95, queries, status = time_page(clients[who], path, options.requests)
        except Exception as error:  # noqa: BLE001 - a page that fails is a row of the table, not the end of the run
            print(row(label, "—", "—", f"fails: {type(error).__name__}: {str(error)[:60]}", "—", "—"), flush=True)
            continue
        shown = f"{queries}" if status == 200 else f"{queries} (HTTP {status})"
        floor_ms = time_sql(*sql[floor], options.requests) if floor else None
        print(
            row(
                label,
                f"{p50:,.1f}",
                f"{p95:,.1f}",
                shown,
                f"{floor_ms:,.1f}" if floor_ms is not None else "—",
                f"{p50 / floor_ms:,.1f}×" if floor_ms else "—",
            ),
            flush=True,
        )
    for label, due in (("sweep, nothing due", (0, 0)), ("sweep, 1,000 due (300 notices, 700 overdue)", (300, 700))):
        ms, queries, did = time_sweep(due, runs=3)
        print(row(f"{label}: {did}", f"{ms:,.1f}", "—", str(queries), "—", "—"), flush=True)
    if not options.skip_checks:
        for args in (("ledger", "check"), ("audit", "verify")):
            ms, said = time_command(*args)
            print(row(f"`manage.py {' '.join(args)}` ({said})", f"{ms:,.0f}", "—", "—", "—", "—"), flush=True)
    if not options.skip_http:
        from api.tokens import create_personal_token

        token = create_personal_token(user=users["officer"], name="bench")[1]
        drafts = throughput.prepare_drafts(options.submissions)
        connection.close()
        server = throughput.gunicorn()
        try:
            for label, path, key in (
                ("GET /api/v1/catalogue", "/api/v1/catalogue", ""),
                ("GET /api/v1/office/applications", "/api/v1/office/applications?limit=50", token),
            ):
                rate, p95, bad = throughput.drive(path, key)
                print(row(f"{label}, gunicorn -w 2: {rate:,.0f} req/s", "—", f"{p95:,.1f}", f"{bad} failed", "—", "—"))
            rate, p95, bad = throughput.submit_all(drafts)
            label = f"{len(drafts):,} submissions, gunicorn -w 2: {rate:,.0f} per s"
            print(row(label, "—", f"{p95:,.1f}", f"{bad} failed", "—", "—"))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
