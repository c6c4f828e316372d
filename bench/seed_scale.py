"""Fill the benchmark database at scale: N applications (default 1,000,000) in every state over 13 districts and
3 years, with their events, deadlines, documents (as rows), warnings, verifications, ledger entries, batches,
payments and deferrals, by COPY.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/subsidy .venv/bin/python bench/seed_scale.py [N] [--keep]
It (re)creates the database ``bench_scale`` on that server (``bench/scale.py``; ``--keep`` leaves one already
seeded as it is), migrates it, loads the demo data set through the real services, then clones the demo's
applications: each clone copies a demo application of its state, every row that belongs to it, with a new
number, buyer, district and dates. Event and ledger chains are recomputed by the models' own hash
(``event_hash``, ``entry_hash``), so ``audit verify`` and ``ledger check`` find them intact. ``run.py`` measures it.
"""

import random
import sys
import time
from datetime import timedelta
from decimal import Decimal

import psycopg
import scale

KEEP = "--keep" in sys.argv
ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
TOTAL = int(ARGS[0]) if ARGS else 1_000_000
CHUNK = 20_000
#: Each fund's allocation: what its share of the applications may need, and a fifth more.
ALLOCATION = Decimal(TOTAL // 39 + 100) * Decimal("30000.00")
APPS_PER_BUYER = 3
rng = random.Random(15)


def create_database() -> bool:
    """A fresh ``bench_scale``; False when ``--keep`` finds it already seeded."""
    with psycopg.connect(scale.ADMIN_URL, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [scale.NAME]).fetchone()
        if exists and KEEP:
            return False
        admin.execute(f'DROP DATABASE IF EXISTS "{scale.NAME}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{scale.NAME}"')
    return True


if not create_database():
    print(f"{scale.NAME} is kept as it is (--keep)")
    sys.exit(0)

from common import django  # noqa: E402, F401 - sets Django up on bench_scale
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import District, Role, Town, User  # noqa: E402
from applications.models import (  # noqa: E402
    Application,
    ApplicationEvent,
    Deadline,
    Document,
    Objection,
    Verification,
    Warning,
)
from applications.workflow import State  # noqa: E402
from payments import ledger  # noqa: E402
from payments.models import (  # noqa: E402
    BatchItem,
    ClawBack,
    Deferral,
    EntryKind,
    Fund,
    FundTotal,
    LedgerEntry,
    Payment,
    PaymentBatch,
)


def event_hash(row: dict) -> str:
    """The event's hash as ``applications.events.record`` writes it (the model's own ``content_hash``)."""
    return ApplicationEvent(**row).content_hash()


def entry_hash(row: dict) -> str:
    """The ledger entry's hash as ``payments.ledger.append`` writes it."""
    return LedgerEntry(**row).content_hash()


#: Share of each state in the current year; past years hold only finished applications.
CURRENT = {
    State.DRAFT: 3,
    State.PREREGISTERED: 2,
    State.SUBMITTED: 10,
    State.RETURNED: 3,
    State.ACCEPTED: 8,
    State.AWAITING_USE: 4,
    State.VERIFIED: 4,
    State.IN_NOTICE: 6,
    State.UNDER_INVESTIGATION: 1,
    State.NOTICE_PASSED: 4,
    State.PAYMENT_REQUESTED: 8,
    State.PAYMENT_DEFERRED: 2,
    State.PAID: 33,
    State.REJECTED: 4,
    State.WITHDRAWN: 4,
    State.CLAWED_BACK: 2,
}
PAST = {State.PAID: 86, State.REJECTED: 5, State.WITHDRAWN: 6, State.CLAWED_BACK: 3}
FINISHED = {State.PAID, State.REJECTED, State.WITHDRAWN, State.CLAWED_BACK}
#: Rows that belong to an application and are cloned with it, in the order they are written.
CLONED = [ApplicationEvent, Deadline, Document, Warning, Verification, Objection, LedgerEntry, Payment, BatchItem]
CLONED_ALSO = [Deferral, ClawBack]
USER_FIELDS = {"actor_id", "uploaded_by_id", "officer_id", "recorded_by_id", "by_id", "decided_by_id", "cleared_by_id"}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英玉兰建国建华志强春来德明海燕金凤"


def copy_rows(model, rows: list[dict]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def as_copy(value):
    """JSON fields as text for COPY; everything else psycopg writes itself."""
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, ensure_ascii=False)
    return value


class Ids:
    """The next id of each table, taken from its sequence's current end and set back on it afterwards."""

    def __init__(self):
        self.next = {}

    def take(self, model) -> int:
        if model not in self.next:
            self.next[model] = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        value = self.next[model]
        self.next[model] = value + 1
        return value

    def commit(self):
        with connection.cursor() as cursor:
            for model, value in self.next.items():
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [value])


class Templates:
    """The demo applications by state, and every row that belongs to each."""

    def __init__(self):
        self.by_state: dict[str, list[dict]] = {}
        apps = list(Application.objects.order_by("pk").values())
        for app in apps:
            self.by_state.setdefault(app["state"], []).append(app)
        self.rows = {model: {} for model in CLONED + CLONED_ALSO}
        for model in self.rows:
            for row in model.objects.filter(application__in=[a["id"] for a in apps]).order_by("pk").values():
                self.rows[model].setdefault(row["application_id"], []).append(row)
        self.batch_states = dict(PaymentBatch.objects.values_list("pk", "state"))
        missing = set(CURRENT) - set(self.by_state)
        assert not missing, f"the demo has no application in {missing}"


def drop_indexes(models) -> list[str]:
    """Drop the secondary indexes, unique and foreign-key constraints of ``models`` (recreated after the load);
    returns the statements that recreate them."""
    recreate, drop = [], []
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
                [table],
            )
            for name, definition in cursor.fetchall():
                drop.append(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                recreate.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [table],
            )
            for name, definition in cursor.fetchall():
                drop.append(f"DROP INDEX {name}")
                recreate.insert(0, definition)
        for statement in drop:
            cursor.execute(statement)
    return recreate


class Seeder:
    def __init__(self, templates: Templates):
        self.t = templates
        self.ids = Ids()
        self.today = timezone.localdate()
        self.year = self.today.year
        self.districts = list(District.objects.order_by("sort_order"))
        self.towns = {}
        for town in Town.objects.all():
            self.towns.setdefault(town.district_id, []).append(town.pk)
        self.officers = self._officers()
        self.funds = self._funds()
        self.heads = {
            fund: LedgerEntry.objects.filter(fund_id=fund).order_by("-id").values_list("hash", flat=True).first() or ""
            for fund in set(self.funds.values())
        }
        self.template_funds = {f.pk: (f.district_id, f.year, f.source) for f in Fund.objects.all()}
        self.template_users = {u.pk: (u.role, u.district_id) for u in User.objects.all()}
        self.buyer_template = User.objects.filter(role=Role.BUYER).values().first()
        self.batches: dict[tuple[int, int], list] = {}
        self.counts: dict[str, int] = {}

    def _officers(self) -> dict[tuple[str, int | None], int]:
        """In each district: an agriculture officer, a finance officer, a second who approves batches, and an
        auditor (the demo's where it has them); the municipal users as the demo made them."""
        found = {}
        for district in self.districts:
            for role, name in (
                (Role.DISTRICT_AGRICULTURE, "officer"),
                (Role.DISTRICT_FINANCE, "finance"),
                (Role.AUDITOR, "auditor"),
            ):
                user = User.objects.filter(role=role, district=district).order_by("pk").first()
                if user is None:
                    user = User.objects.create(
                        username=f"bench-{name}-{district.code}", role=role, district=district, display_name=name
                    )
                    user.set_unusable_password()
                    user.save()
                found[role, district.pk] = user.pk
            second = User.objects.filter(role=Role.DISTRICT_FINANCE, district=district).exclude(
                pk=found[Role.DISTRICT_FINANCE, district.pk]
            ).first() or User.objects.create(
                username=f"bench-finance-2-{district.code}", role=Role.DISTRICT_FINANCE, district=district
            )
            found["approver", district.pk] = second.pk
        for user in User.objects.filter(district__isnull=True).exclude(role=Role.BUYER):
            found.setdefault((user.role, None), user.pk)
        return found

    def _funds(self) -> dict[tuple[int, int, str], int]:
        """Each district's three funds in each of the 3 years, each given its allocation first."""
        city = self.officers[Role.CITY_FINANCE, None]
        out = {}
        for district in self.districts:
            for year in (self.year - 2, self.year - 1, self.year):
                for source in ("central", "municipal", "district"):
                    fund, created = Fund.objects.get_or_create(district=district, year=year, source=source)
                    out[district.pk, year, source] = fund.pk
                    if not LedgerEntry.objects.filter(fund=fund, kind=EntryKind.ALLOCATION).exists():
                        ledger.append(
                            fund, kind=EntryKind.ALLOCATION, amount=ALLOCATION, actor=User(pk=city), reason="bench"
                        )
        return out

    def user_for(self, template_user: int | None, buyer: int, district: int) -> int | None:
        if template_user is None:
            return None
        role, _district = self.template_users[template_user]
        if role == Role.BUYER:
            return buyer
        return self.officers.get((role, district)) or self.officers.get((role, None)) or template_user

    def buyers(self, count: int) -> list[tuple[int, int]]:
        """``count`` new buyers: (id, district)."""
        rows, out = [], []
        now = timezone.now()
        for _ in range(count):
            pk = self.ids.take(User)
            district = rng.choice(self.districts).pk
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
            row = {
                **self.buyer_template,
                "id": pk,
                "username": f"bench-buyer-{pk}",
                "password": "!",
                "display_name": name,
                "email": "",
                "mobile_encrypted": "",
                "mobile_index": "",
                "id_number_encrypted": "",
                "id_number_index": "",
                "credit_code": "",
                "district_id": district,
                "date_joined": now,
                "last_login": None,
            }
            rows.append(row)
            out.append((pk, district))
        copy_rows(User, rows)
        return out

    def fill(self, total: int) -> None:
        buyers: list[tuple[int, int]] = []
        done = 0
        started = time.monotonic()
        while done < total:
            n = min(CHUNK, total - done)
            buyers = self.buyers(n // APPS_PER_BUYER + 1)
            self.chunk(n, buyers)
            done += n
            rate = done / (time.monotonic() - started)
            print(f"{done:>9,} applications, {rate:,.0f}/s", flush=True)
        self.write_batches()
        self.ids.commit()

    def pick(self) -> tuple[str, int]:
        """A state and a year: 40% in the current year (every state), the rest finished in the two before."""
        if rng.random() < 0.4:
            return rng.choices(list(CURRENT), weights=list(CURRENT.values()))[0], self.year
        return rng.choices(list(PAST), weights=list(PAST.values()))[0], self.year - rng.choice((1, 2))

    def chunk(self, n: int, buyers: list[tuple[int, int]]) -> None:
        out = {model: [] for model in [Application, *CLONED, *CLONED_ALSO]}
        for _ in range(n):
            state, year = self.pick()
            template = rng.choice(self.t.by_state[state])
            buyer, district = rng.choice(buyers)
            # Finished ones spread over their year; open ones over the last day and a half, their clocks kept.
            days = (self.year - year) * 365 + rng.randrange(0, 300) if state in FINISHED else 0
            shift = timedelta(days=days, seconds=rng.randrange(0, 129_600))
            self.clone(out, template, year=year, buyer=buyer, district=district, shift=shift, days=days)
        for model, rows in out.items():
            copy_rows(model, [{k: as_copy(v) for k, v in row.items()} for row in rows])
            self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(rows)

    def clone(self, out, template: dict, *, year: int, buyer: int, district: int, shift, days: int) -> None:
        pk = self.ids.take(Application)
        code = next(d.code for d in self.districts if d.pk == district)
        app = dict(template)
        towns = self.towns.get(district)
        app.update(
            id=pk,
            number=f"{year}-{code}-{pk:07d}" if template["number"] else None,
            buyer_id=buyer,
            district_id=district,
            town_id=rng.choice(towns) if towns and template["town_id"] else None,
            year=year if template["year"] else None,
            serial_number=f"BENCH-{pk}",
            serial_key=f"BENCH-{pk}",
            invoice_number=f"No.{pk:08d}",
        )
        day = timedelta(days=days)
        for name, value in template.items():
            if hasattr(value, "hour"):
                app[name] = value - shift
            elif hasattr(value, "isoweekday"):
                app[name] = value - day
        out[Application].append(app)
        batches: dict[int, int] = {}  # the template's batch -> this clone's
        for model in CLONED + CLONED_ALSO:
            for row in self.t.rows[model].get(template["id"], []):
                new = dict(row)
                new["id"] = self.ids.take(model)
                new["application_id"] = pk
                for name, value in row.items():
                    if name in USER_FIELDS:
                        new[name] = self.user_for(value, buyer, district)
                    elif hasattr(value, "hour"):
                        new[name] = value - shift
                    elif hasattr(value, "isoweekday"):
                        new[name] = value - day
                if model is ApplicationEvent:
                    last = out[model][-1] if out[model] else None
                    new["prev_hash"] = last["hash"] if last and last["application_id"] == pk else ""
                    new["hash"] = event_hash(new)
                elif model is LedgerEntry:
                    _d, _y, source = self.template_funds[row["fund_id"]]
                    new["fund_id"] = fund = self.funds[district, year or self.year, source]
                    new["batch_id"] = self.batch_for(district, year, row["batch_id"], batches)
                    new["reason"] = app["number"] or "" if row["reason"] == template["number"] else row["reason"]
                    new["prev_hash"] = self.heads[fund]
                    new["hash"] = self.heads[fund] = entry_hash(new)
                elif model is Payment:
                    new["voucher"] = f"BENCH-{pk}"
                    new["batch_id"] = self.batch_for(district, year, row["batch_id"], batches)
                elif model is BatchItem:
                    new["batch_id"] = self.batch_for(district, year, row["batch_id"], batches)
                out[model].append(new)

    def batch_for(self, district: int, year: int, template_batch: int | None, batches: dict) -> int | None:
        """The clone's batch for its template's: one of the district's and year's, in the template batch's state,
        of 100 applications each."""
        if template_batch is None:
            return None
        if template_batch not in batches:
            state = self.t.batch_states[template_batch]
            open_ones = self.batches.setdefault((district, year, state), [])
            if not open_ones or open_ones[-1][1] >= 100:
                open_ones.append([self.ids.take(PaymentBatch), 0])
            open_ones[-1][1] += 1
            batches[template_batch] = open_ones[-1][0]
        return batches[template_batch]

    def write_batches(self) -> None:
        rows = []
        for (district, year, state), batches in self.batches.items():
            for pk, _count in batches:
                rows.append(
                    {
                        "id": pk,
                        "number": f"BENCH-{year}-{district}-{pk}",
                        "state": state,
                        "district_id": district,
                        "built_by_id": self.officers[Role.DISTRICT_FINANCE, district],
                        "built_at": timezone.now() - timedelta(days=(self.year - year) * 365),
                        "approved_by_id": self.officers["approver", district],
                        "approved_at": timezone.now() - timedelta(days=(self.year - year) * 365),
                    }
                )
        copy_rows(PaymentBatch, rows)
        self.counts[PaymentBatch._meta.label] = len(rows)


def rebuild_fund_totals(cursor) -> None:
    """The running totals ``ledger.append`` keeps (``payments.totals``), set from the copied entries in one go."""
    totals, entries = FundTotal._meta.db_table, LedgerEntry._meta.db_table
    cursor.execute(f"DELETE FROM {totals}")
    cursor.execute(
        f"INSERT INTO {totals} (fund_id, kind, total) SELECT fund_id, kind, SUM(amount) FROM {entries} "
        "GROUP BY fund_id, kind"
    )


def main() -> None:
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    print(f"migrated and demo data loaded in {time.monotonic() - started:.0f} s", flush=True)
    templates = Templates()
    seeder = Seeder(templates)
    big = [User, Application, *CLONED, *CLONED_ALSO, PaymentBatch]
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '512MB'")
    recreate = drop_indexes(big)
    seeder.fill(TOTAL)
    loaded = time.monotonic()
    with connection.cursor() as cursor:
        for statement in recreate:
            cursor.execute(statement)
        print(f"indexes and constraints rebuilt in {time.monotonic() - loaded:.0f} s", flush=True)
        rebuild_fund_totals(cursor)
        cursor.execute("VACUUM ANALYZE")
    for label, count in sorted(seeder.counts.items()):
        print(f"{label:<32} {count:>12,}")
    print(f"{TOTAL:,} applications seeded into {scale.NAME} in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
