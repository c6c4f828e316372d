"""R36: district finance pays within 15 working days of the hand-over; the clock waits while payment is
deferred, stops when the treasury pays, and an overdue payment is marked and told to district finance."""

from datetime import date

import pytest
import time_machine

from applications import services
from applications.models import Deadline, Step
from applications.sweep import sweep
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def handed_over(cast, verified, day="2026-09-28"):
    with time_machine.travel(f"{day} 10:00 +0800", tick=False):
        app = verified()
        services.open_notice(application_id=app.pk, officer=cast["officer"])
    with time_machine.travel("2026-10-12 10:00 +0800", tick=False):
        sweep()
        return services.request_payment(application_id=app.pk, officer=cast["officer"])


def test_the_hand_over_starts_a_15_working_day_payment_clock_R36(cast, verified):
    app = handed_over(cast, verified)
    pay = Deadline.objects.get(application=app, step=Step.PAY, met_at__isnull=True)
    assert (pay.started_on, pay.due_on) == (date(2026, 10, 12), date(2026, 11, 2))


def test_an_overdue_payment_is_marked_and_told_to_district_finance_R36_R40(cast, verified):
    app = handed_over(cast, verified)
    with time_machine.travel("2026-11-03 10:00 +0800", tick=False):
        assert app.pk in sweep().overdue
    pay = Deadline.objects.get(application=app, step=Step.PAY)
    assert pay.overdue_at is not None
    assert Notification.objects.filter(recipient=cast["finance"], subject__contains=app.number).count() == 1
    assert not Notification.objects.filter(recipient=cast["officer"], subject__contains="超时").exists()


def test_deferral_pauses_the_payment_clock_and_paying_stops_it_R36(cast, haidian, fund, requested, second_finance):
    from payments import services as payments
    from tests.payments.test_payment import return_file

    fund(haidian)
    app = requested(serial="PD-1")
    payments.defer_payment(application_id=app.pk, officer=cast["finance"], reason="investigation", note="核查中")
    pay = Deadline.objects.get(application=app, step=Step.PAY, met_at__isnull=True)
    assert pay.paused and pay.due_on is None
    payments.resume_payment(application_id=app.pk, officer=cast["finance"], note="核查无误")
    pay.refresh_from_db()
    assert not pay.paused and pay.due_on is not None
    batch = payments.build_batch(officer=cast["finance"], application_ids=[app.pk])
    payments.approve_batch(batch_id=batch.pk, officer=second_finance)
    payments.export_batch(batch_id=batch.pk, officer=cast["finance"], file_format="csv")
    payments.import_return(
        batch_id=batch.pk,
        officer=cast["finance"],
        data=return_file(batch, [(app, "成功", "PD-V1", None, "")]),
        file_name="r.csv",
    )
    pay.refresh_from_db()
    assert pay.met_at is not None
    assert not Deadline.objects.filter(application=app, met_at__isnull=True).exists()
