"""The trail holds against an insider (issue 14 §2; R45): every chain's hash is keyed (CHAIN_KEY, never in the
database), and `audit verify` / `ledger check` compare the rows with the last signed checkpoint, naming the first
row that differs, a missing tail and a truncation. The insider here is the database superuser, who can switch the
append-only triggers off (`session_replication_role = replica`)."""

import gzip
import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from applications import services
from applications.models import ApplicationEvent
from core import chain, checkpoints
from core.checks import chain_key_from_environment
from core.models import Checkpoint
from core.tasks import write_checkpoint
from payments import ledger
from payments.models import EntryKind, LedgerEntry


def as_insider(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off (superuser only)
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def run(*args) -> tuple[int, str, str]:
    """A command's exit code, output and errors."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exited:
        code = exited.code
    return code, out.getvalue(), err.getvalue()


def rechain_without_key(model, rows) -> None:
    """Recompute the hashes from the first of ``rows`` on, as one without CHAIN_KEY can: with a guessed key."""
    previous = rows[0].prev_hash
    for row in rows:
        row.prev_hash = previous
        previous = chain.link_hash([getattr(row, f) for f in model.CHAIN.fields], key=b"guessed")
        as_insider(
            f"UPDATE {model._meta.db_table} SET reason = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [row.reason, row.prev_hash, previous, row.pk],
        )


@pytest.fixture
def three(cast, verified):
    """Three applications with their events, and a checkpoint of every trail."""
    apps = [verified(serial=f"SN-CP-{n}") for n in range(3)]
    checkpoint, report = checkpoints.write()
    assert checkpoint is not None, report.problems
    return apps


def test_an_intact_trail_is_intact_against_its_checkpoint_R45(three):
    code, out, err = run("audit", "verify")
    assert code == 0, err
    assert "application events: 3 chains" in out and "intact" in out
    code, out, err = run("audit", "verify", "--since-checkpoint")
    assert code == 0, err and "application events: since the checkpoint: intact" in out


def test_an_event_rewritten_and_rehashed_without_the_key_is_found_R45(three):
    app = three[1]
    events = list(ApplicationEvent.objects.filter(application=app).order_by("id"))
    events[0].reason = "改写的理由"
    rechain_without_key(ApplicationEvent, events)
    code, out, err = run("audit", "verify")
    assert code == 1
    assert f"application events: row {events[0].pk}, chain {app.pk}: its content does not match its hash" in err


def test_a_head_rewritten_even_with_the_key_differs_from_the_checkpoint_R45(three):
    app = three[0]
    head = ApplicationEvent.objects.filter(application=app).order_by("-id").first()
    head.reason = "改写"
    as_insider(
        "UPDATE applications_applicationevent SET reason = %s, hash = %s WHERE id = %s",
        [head.reason, head.content_hash(), head.pk],
    )
    code, _, err = run("audit", "verify")
    assert code == 1 and f"row {head.pk}, chain {app.pk}: differs from the checkpoint's head" in err


def test_the_deleted_last_event_of_an_application_is_a_missing_tail_R45(three):
    app = three[2]
    last = ApplicationEvent.objects.filter(application=app).order_by("-id").first()
    count = ApplicationEvent.objects.filter(application=app).count()
    as_insider("DELETE FROM applications_applicationevent WHERE id = %s", [last.pk])
    for args in (("audit", "verify"), ("audit", "verify", "--since-checkpoint")):
        code, _, err = run(*args)
        assert code == 1
        assert (
            f"application events, chain {app.pk}: missing tail: {count - 1} rows, the checkpoint had {count} "
            f"(head row {last.pk} gone)" in err
        )
        assert "rows were deleted" in err


def test_the_deleted_last_entry_of_a_fund_is_found_by_ledger_check_R45(cast, haidian, fund):
    fund(haidian)
    assert checkpoints.write()[0] is not None
    assert run("ledger", "check")[0] == 0
    last = LedgerEntry.objects.order_by("-id").first()
    as_insider("DELETE FROM payments_ledgerentry WHERE id = %s", [last.pk])
    code, _, err = run("ledger", "check")
    assert code == 1
    assert f"ledger entries, chain {last.fund_id}: missing tail: 0 rows, the checkpoint had 1" in err


def test_a_truncated_table_is_named_R45(three):
    with connection.cursor() as cursor:  # the superuser passes the TRUNCATE trigger; the runtime role may not
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own inserts are settled first
        cursor.execute("TRUNCATE applications_applicationevent CASCADE")
    code, _, err = run("audit", "verify")
    assert code == 1 and "application events: 0 rows up to id" in err and "the table was truncated" in err


def test_rows_added_since_the_checkpoint_are_checked_incrementally_R45(three, cast, haidian, fund):
    fund(haidian)  # new ledger entries after the checkpoint
    assert run("ledger", "check", "--since-checkpoint")[0] == 0
    entry = LedgerEntry.objects.order_by("-id").first()
    as_insider("UPDATE payments_ledgerentry SET reason = %s WHERE id = %s", ["改写", entry.pk])
    code, _, err = run("ledger", "check", "--since-checkpoint")
    assert code == 1 and f"ledger entries: row {entry.pk}, chain {entry.fund_id}" in err


def test_a_checkpoint_is_signed_read_only_and_on_the_admin_R45(three, admin_client):
    row = Checkpoint.objects.get()
    path = Path(settings.CHECKPOINT_DIR) / row.file
    body = gzip.decompress(path.read_bytes())
    assert hashlib.sha256(body).hexdigest() == row.digest
    assert json.loads(Path(f"{path}.sig").read_text())["signature"] == row.signature
    assert path.stat().st_mode & 0o222 == 0  # nobody may write it
    header = json.loads(body.splitlines()[0])
    assert header["tables"]["application events"]["chains"] == 3
    lines = [json.loads(line) for line in body.splitlines()[1:]]
    assert {line[1] for line in lines if line[0] == "application events"} == {app.pk for app in three}
    page = admin_client.get("/admin/core/checkpoint/").content.decode()
    assert row.digest in page and row.signature in page


def test_an_altered_checkpoint_file_does_not_verify_R45(three):
    path = Path(settings.CHECKPOINT_DIR) / Checkpoint.objects.get().file
    path.chmod(0o644)
    path.write_bytes(gzip.compress(gzip.decompress(path.read_bytes()).replace(b'"application events", ', b'"x", ', 1)))
    code, _, err = run("audit", "verify")
    assert code == 1 and "its digest or signature does not verify" in err


def test_a_broken_trail_gets_no_checkpoint_R45(three):
    event = ApplicationEvent.objects.order_by("id").first()
    as_insider("UPDATE applications_applicationevent SET reason = %s WHERE id = %s", ["改写", event.pk])
    code, _, err = run("audit", "checkpoint")
    assert code == 1 and f"row {event.pk}" in err
    assert Checkpoint.objects.count() == 1
    assert write_checkpoint() == ""


def test_the_daily_task_writes_a_checkpoint_R45(cast):
    assert settings.CELERY_BEAT_SCHEDULE["checkpoint-trails"]["task"] == "core.tasks.write_checkpoint"
    name = write_checkpoint()
    assert name and Checkpoint.objects.get().file == name


def test_the_hash_needs_the_key_R45(three):
    event = ApplicationEvent.objects.order_by("id").first()
    values = [getattr(event, f) for f in ApplicationEvent.CHAIN.fields]
    assert chain.link_hash(values) == event.hash
    assert chain.link_hash(values, key=b"another key") != event.hash
    assert hashlib.sha256(chain.canonical_json(values).encode()).hexdigest() != event.hash


def test_rehash_makes_rows_of_another_key_verifiable_R45(three, settings):
    """What migration core.0003_chains_keyed does to an existing database: rehash with the key in force."""
    settings.CHAIN_KEY = "the key of production"
    assert chain.first_broken(ApplicationEvent) is not None
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own inserts are settled first, as in a migration
    assert chain.rehash(connection, ApplicationEvent, ApplicationEvent.CHAIN) == ApplicationEvent.objects.count()
    assert chain.first_broken(ApplicationEvent) is None


def test_production_refuses_to_deploy_without_a_chain_key_R45(settings):
    settings.DEBUG = False
    settings.CHAIN_KEY_FROM_ENVIRONMENT = False
    assert [error.id for error in chain_key_from_environment(None)] == ["core.E001"]
    settings.CHAIN_KEY_FROM_ENVIRONMENT = True
    assert chain_key_from_environment(None) == []


def test_a_ledger_entry_amount_hashes_as_stored_R45(cast, haidian):
    fund = ledger.fund_for(haidian, 2026, "central")
    entry = ledger.append(fund, kind=EntryKind.ALLOCATION, amount=Decimal("12.3"), reason="x")
    assert LedgerEntry.objects.get(pk=entry.pk).content_hash() == entry.hash


def test_ledger_check_names_applications_whose_reservation_or_payment_disagrees_R23(cast, haidian, fund, submitted):
    """The reservations and payments are compared in SQL: only the applications that disagree come back."""
    fund(haidian)
    accepted = services.accept_application(application_id=submitted(serial="SN-R-1").pk, officer=cast["officer"])
    waiting = submitted(serial="SN-R-2")  # submitted: holds nothing
    assert run("ledger", "check")[0] == 0
    central = ledger.fund_for(haidian, accepted.year or timezone.localdate().year, "central")
    ledger.append(central, kind=EntryKind.RESERVATION, amount=Decimal("-10.00"), application=accepted, reason="x")
    ledger.append(central, kind=EntryKind.RESERVATION, amount=Decimal("-5.00"), application=waiting, reason="x")
    code, _, err = run("ledger", "check")
    assert code == 1
    assert f"application {accepted.pk}: reserved" in err and f"owes {accepted.total_amount}" in err
    assert f"application {waiting.pk} (submitted) still holds 5.00" in err
