"""The sweep by sets (issue 15, R34, R35, R40, R45): its queries do not grow with the number of due rows, two sweeps
at once still do each thing once, and the events it writes in bulk keep every application's chain valid."""

import threading
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications import events, services
from applications.models import ApplicationEvent, Deadline, Step
from applications.sweep import sweep
from applications.workflow import State
from notifications.models import Notification

pytestmark = pytest.mark.django_db

SWEEP_DAY = date(2026, 10, 12)


def at(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def due_rows(cast, submitted, verified, n: int, *, prefix: str):
    """``n`` notices opened on 09-28 (their last day 10-10) and ``n`` applications submitted on 09-28 (to be
    accepted by 09-30): on 10-12 the notices close and the acceptances are overdue."""
    with at("2026-09-28"):
        notices = [verified(serial=f"{prefix}-N{i}") for i in range(n)]
        for app in notices:
            services.open_notice(application_id=app.pk, officer=cast["officer"])
        waiting = [submitted(serial=f"{prefix}-S{i}") for i in range(n)]
    return notices, waiting


def sweep_queries() -> tuple[int, object]:
    """The sweep's statements (savepoints aside) and its result, on the sweep day."""
    with at(SWEEP_DAY.isoformat()), CaptureQueriesContext(connection) as ctx:
        result = sweep()
    assert result.stuck == []
    statements = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    return len(statements), result


def test_the_sweep_makes_as_many_queries_for_many_due_rows_as_for_few_R40(cast, submitted, verified):
    notices, waiting = due_rows(cast, submitted, verified, 2, prefix="A")
    few, result = sweep_queries()
    assert sorted(result.notices_closed) == sorted(a.pk for a in notices)
    assert sorted(result.overdue) == sorted(a.pk for a in waiting)
    notices, waiting = due_rows(cast, submitted, verified, 6, prefix="B")
    many, result = sweep_queries()
    assert (len(result.notices_closed), len(result.overdue)) == (6, 6)
    assert many == few
    assert few <= 18  # 2 claims, reads, 3 inserts a kind, the consistency check
    nothing, result = sweep_queries()
    assert (result.notices_closed, result.overdue) == ([], [])
    assert nothing == 3  # nothing due: the two claims and the consistency check


def test_a_late_sweep_closes_the_notice_and_marks_its_hand_over_overdue_on_one_valid_chain_R35_R45(cast, verified):
    with at("2026-09-28"):
        app = verified(serial="LATE-1")
        services.open_notice(application_id=app.pk, officer=cast["officer"])
    with at("2026-10-20"):  # beat was down: the hand-over (from 10-10, due 10-16) is itself overdue
        result = sweep()
    assert (result.notices_closed, result.overdue) == ([app.pk], [app.pk])
    app.refresh_from_db()
    assert app.state == State.NOTICE_PASSED
    trail = list(ApplicationEvent.objects.filter(application=app).order_by("id").values_list("action", "to_state"))
    assert trail[-2:] == [("close_notice", State.NOTICE_PASSED), ("overdue", State.NOTICE_PASSED)]
    hand_over = Deadline.objects.get(application=app, step=Step.HAND_OVER)
    assert (hand_over.started_on, hand_over.due_on, hand_over.met_at) == (date(2026, 10, 10), date(2026, 10, 16), None)
    assert hand_over.overdue_at is not None
    assert events.verify_chain() is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_close_each_notice_and_mark_each_step_once_R34_R40(cast, submitted, verified):
    notices, waiting = due_rows(cast, submitted, verified, 4, prefix="C")
    results, errors = [], []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            results.append(sweep(today=SWEEP_DAY))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(pk for r in results for pk in r.notices_closed) == sorted(a.pk for a in notices)
    assert sorted(pk for r in results for pk in r.overdue) == sorted(a.pk for a in waiting)
    for app in notices:
        assert ApplicationEvent.objects.filter(application=app, action="close_notice").count() == 1
        assert Deadline.objects.filter(application=app, step=Step.HAND_OVER).count() == 1
        assert Notification.objects.filter(recipient=cast["buyer"], subject__contains=app.number).count() == 4
    for app in waiting:
        assert ApplicationEvent.objects.filter(application=app, action="overdue").count() == 1
        assert Notification.objects.filter(recipient=cast["officer"], subject__contains=app.number).count() == 1
    assert events.verify_chain() is None
