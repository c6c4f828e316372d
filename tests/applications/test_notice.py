"""Public notice and objections (R34), the hand-over (R35), and the sweep that keeps the deadlines (R40)."""

import threading
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import override

from applications import services
from applications.models import (
    Application,
    ApplicationEvent,
    Deadline,
    DistrictRule,
    Objection,
    ObjectionStatus,
    Step,
)
from applications.services import ApplicationError
from applications.sweep import sweep
from applications.workflow import State
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def at(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def in_notice(cast, verified, day: str) -> Application:
    with at(day):
        app = verified()
        return services.open_notice(application_id=app.pk, officer=cast["officer"])


def test_the_notice_runs_five_working_days_over_national_day_R34(cast, verified):
    app = in_notice(cast, verified, "2026-09-28")
    notice = Deadline.objects.get(application=app, step=Step.NOTICE)
    # 09-29, 09-30, (10-01..10-07 off), 10-08, 10-09, and Saturday 10-10 is a working day.
    assert (notice.started_on, notice.due_on) == (date(2026, 9, 28), date(2026, 10, 10))


def test_an_objection_pauses_the_notice_and_clearing_resumes_the_remaining_days_R34(cast, verified):
    app = in_notice(cast, verified, "2026-09-28")
    with at("2026-09-30"):  # 2 working days (09-29, 09-30) have run
        objection = services.object_to_notice(application_id=app.pk, text="该机具实际为他人所有", contact="1380000")
    app.refresh_from_db()
    notice = Deadline.objects.get(application=app, step=Step.NOTICE)
    assert app.state == State.UNDER_INVESTIGATION and notice.due_on is None
    with at("2026-10-09"):  # cleared on Friday 10-09: 3 working days remain, not a fresh 5
        services.clear_investigation(application_id=app.pk, officer=cast["officer"], finding="经核实为本人所有")
    app.refresh_from_db()
    notice.refresh_from_db()
    assert app.state == State.IN_NOTICE
    assert notice.due_on == date(2026, 10, 13)  # 10-10 (Sat, worked), 10-12, 10-13
    objection.refresh_from_db()
    assert (objection.status, objection.decided_by, objection.decision) == (
        ObjectionStatus.DISMISSED,
        cast["officer"],
        "经核实为本人所有",
    )


def test_an_upheld_objection_rejects_the_application_R34(cast, verified):
    app = in_notice(cast, verified, "2026-09-28")
    with at("2026-09-30"):  # during the notice (after its last day an objection is refused)
        services.object_to_notice(application_id=app.pk, text="发票金额与实际不符")
    services.reject_application(application_id=app.pk, officer=cast["officer"], reason="发票虚开")
    app.refresh_from_db()
    assert app.state == State.REJECTED
    assert Objection.objects.get(application=app).status == ObjectionStatus.UPHELD
    assert not Deadline.objects.filter(application=app, met_at__isnull=True).exists()


def test_an_objection_needs_words_and_an_application_in_notice_R34(cast, verified, submitted):
    app = in_notice(cast, verified, "2026-09-28")
    with pytest.raises(ApplicationError):
        services.object_to_notice(application_id=app.pk, text="  ")
    assert Application.objects.get(pk=app.pk).state == State.IN_NOTICE
    other = submitted(serial="NOT-IN-NOTICE")
    with pytest.raises(Http404):
        services.object_to_notice(application_id=other.pk, text="x")


def test_the_sweep_closes_the_notice_after_its_fifth_working_day_and_starts_the_hand_over_R34_R35(cast, verified):
    app = in_notice(cast, verified, "2026-09-28")
    with at("2026-10-10"):  # the 5th working day: still open
        assert sweep().notices_closed == []
    with at("2026-10-12"):  # beat was down on 10-11: the hand-over is still due 5 working days after the notice
        assert sweep().notices_closed == [app.pk]
        assert sweep().notices_closed == []  # a second run does nothing
    app.refresh_from_db()
    assert app.state == State.NOTICE_PASSED
    hand_over = Deadline.objects.get(application=app, step=Step.HAND_OVER)
    # The hand-over counts from the notice's last day (10-10), whenever the sweep runs.
    assert (hand_over.started_on, hand_over.due_on) == (date(2026, 10, 10), date(2026, 10, 16))
    assert ApplicationEvent.objects.filter(application=app, action="close_notice").count() == 1
    # submitted, accepted, in notice, notice passed
    assert Notification.objects.filter(recipient=cast["buyer"], subject__contains=app.number).count() == 4


def test_requesting_payment_meets_the_hand_over_and_the_23_day_clock_R35(cast, verified):
    app = in_notice(cast, verified, "2026-09-28")
    with at("2026-10-11"):
        sweep()
    with at("2026-10-12"):
        done = services.request_payment(application_id=app.pk, officer=cast["officer"], note="材料已移交区财政局")
    assert done.state == State.PAYMENT_REQUESTED
    # The office's clocks stop; district finance's 15 working days start (R36).
    assert list(Deadline.objects.filter(application=app, met_at__isnull=True).values_list("step", flat=True)) == [
        Step.PAY
    ]
    assert ApplicationEvent.objects.get(application=app, action="request_payment").data["total"] == "18300.00"


def test_the_sweep_marks_an_overdue_acceptance_and_tells_the_office_R30_R40(cast, submitted):
    with at("2026-09-30"):
        app = submitted()
    with at("2026-10-09"):  # due on 10-09: not yet overdue
        assert sweep().overdue == []
    with at("2026-10-10"):
        assert sweep().overdue == [app.pk]
        assert sweep().overdue == []
    accept = Deadline.objects.get(application=app, step=Step.ACCEPT)
    assert accept.overdue_at is not None and accept.met_at is None
    assert ApplicationEvent.objects.get(application=app, action="overdue").data == {
        "step": "accept",
        "due_on": "2026-10-09",
    }
    assert Notification.objects.filter(recipient=cast["officer"], subject__contains=app.number).count() == 1
    assert not Notification.objects.filter(recipient=cast["other_officer"]).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_close_each_notice_once_R34(cast, verified):
    with at("2026-09-28"):
        apps = [verified(serial=serial) for serial in ("C-1", "C-2")]
        for app in apps:
            services.open_notice(application_id=app.pk, officer=cast["officer"])
    results, errors = [], []

    def run():
        try:
            results.append(sweep(today=date(2026, 10, 12)))
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
    closed = sorted(pk for r in results for pk in r.notices_closed)
    assert closed == [a.pk for a in apps]
    for app in apps:
        assert ApplicationEvent.objects.filter(application=app, action="close_notice").count() == 1
        assert Deadline.objects.filter(application=app, step=Step.HAND_OVER).count() == 1


def test_a_district_sets_its_own_verification_and_hand_over_lengths_within_23_working_days_R33_R35(
    login, cast, haidian, submitted
):
    """A1 §4(6): a district may adjust verification and hand-over, the whole within 23 working days; the clocks
    started after its rule takes force use its numbers, and the pages say them."""
    DistrictRule.objects.create(
        district=haidian, valid_from=date(2026, 9, 1), verify_days=10, hand_over_days=8, document="海农发〔2026〕9号"
    )
    with at("2026-09-14"):
        app = submitted()
        services.accept_application(application_id=app.pk, officer=cast["officer"])
        verify = Deadline.objects.get(application=app, step=Step.VERIFY)
        # 10 working days: Sunday 09-20 is worked, Mid-Autumn Friday 09-25 is not.
        assert (verify.working_days, verify.due_on) == (10, date(2026, 9, 28))
        page = login(cast["officer"]).get(reverse("office:detail", args=[app.pk])).content.decode()
        assert verify.label in page and "10" in verify.label
        services.record_verification(
            application_id=app.pk,
            officer=cast["officer"],
            method="documents",
            checked_on=date(2026, 9, 14),
            findings="铭牌与发票一致",
            passed=True,
        )
        services.open_notice(application_id=app.pk, officer=cast["officer"])
    with at("2026-09-22"):  # the notice's 5 working days (09-15 … 09-20, a worked Sunday) have passed
        sweep(today=date(2026, 9, 22))
    hand_over = Deadline.objects.get(application=app, step=Step.HAND_OVER)
    assert (hand_over.working_days, Deadline.objects.get(application=app, step=Step.NOTICE).working_days) == (8, 5)


def test_step_lengths_past_23_working_days_are_refused_with_a_message_R33(haidian):
    rule = DistrictRule(district=haidian, valid_from=date(2026, 9, 1), verify_days=14, hand_over_days=5)
    with pytest.raises(ValidationError) as refused, override("zh-hans"):
        rule.full_clean()
    assert "23" in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        rule.save()
    DistrictRule.objects.create(district=haidian, valid_from=date(2026, 9, 1), verify_days=13, hand_over_days=5)
