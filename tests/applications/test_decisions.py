"""The district office's decisions (R30, R32, R33, R35, R45): in the right state, by the right officer, with
the reason where one is required, and always with an event."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from applications import services
from applications.models import (
    Application,
    ApplicationEvent,
    Deadline,
    DistrictRule,
    Document,
    DocumentKind,
    Step,
    Verification,
    VerificationMethod,
)
from applications.services import ApplicationError
from applications.workflow import State
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_accepting_starts_the_13_and_23_working_day_clocks_R30_R33_R35(cast, submitted):
    with time_machine.travel("2026-09-29 09:00 +0800", tick=False):
        app = submitted()
        accepted = services.accept_application(application_id=app.pk, officer=cast["officer"], note="材料齐全")
    assert accepted.state == State.ACCEPTED
    steps = {d.step: d for d in Deadline.objects.filter(application=app)}
    assert steps[Step.ACCEPT].met_at is not None
    # From 09-29: 09-30 is the 1st working day, 10-01..10-07 are off, Saturday 10-10 is worked.
    assert steps[Step.VERIFY].due_on == date(2026, 10, 22)
    assert steps[Step.OVERALL].due_on == date(2026, 11, 5)
    event = ApplicationEvent.objects.get(application=app, action="accept")
    assert (event.actor, event.from_state, event.to_state, event.reason) == (
        cast["officer"],
        State.SUBMITTED,
        State.ACCEPTED,
        "材料齐全",
    )
    assert Notification.objects.filter(recipient=cast["buyer"], subject__contains=app.number).count() == 2


def test_returning_needs_a_reason_and_changes_nothing_without_one_R30(cast, submitted):
    app = submitted()
    with pytest.raises(ApplicationError) as refused:
        services.return_application(application_id=app.pk, officer=cast["officer"], reason="  ")
    assert refused.value.rule == "R30"
    assert Application.objects.get(pk=app.pk).state == State.SUBMITTED
    assert not ApplicationEvent.objects.filter(application=app, action="return").exists()


def test_a_returned_application_is_amended_and_resubmitted_R30(cast, submitted, photo):
    app = submitted()
    services.return_application(application_id=app.pk, officer=cast["officer"], reason="发票照片不清晰，请重新上传")
    app.refresh_from_db()
    assert (app.state, app.return_reason) == (State.RETURNED, "发票照片不清晰，请重新上传")
    old = app.documents.get(kind=DocumentKind.INVOICE)
    services.remove_document(document_id=old.pk, user=cast["buyer"])
    services.add_document(application_id=app.pk, user=cast["buyer"], kind=DocumentKind.INVOICE, upload=photo())
    again = services.submit_application(application_id=app.pk, buyer=cast["buyer"], accept_commitment=True)
    assert (again.state, again.return_reason, again.number) == (State.SUBMITTED, "", app.number)
    assert Document.objects.get(pk=old.pk).removed_at is not None  # kept, marked removed
    assert Deadline.objects.filter(application=app, step=Step.ACCEPT, met_at__isnull=True).count() == 1


def test_an_officer_of_another_district_does_not_find_the_application_R2(cast, submitted):
    app = submitted()
    with pytest.raises(Http404):
        services.accept_application(application_id=app.pk, officer=cast["other_officer"])
    assert Application.objects.get(pk=app.pk).state == State.SUBMITTED


def test_finance_and_buyers_cannot_decide(cast, submitted):
    app = submitted()
    with pytest.raises(PermissionDenied):
        services.accept_application(application_id=app.pk, officer=cast["finance"])
    with pytest.raises(Http404):
        services.accept_application(application_id=app.pk, officer=cast["other_buyer"])


def test_a_decision_from_the_wrong_state_is_refused_and_changes_nothing(cast, submitted):
    app = submitted()
    with pytest.raises(ApplicationError):
        services.open_notice(application_id=app.pk, officer=cast["officer"])
    with pytest.raises(ApplicationError):
        services.request_payment(application_id=app.pk, officer=cast["officer"])
    assert Application.objects.get(pk=app.pk).state == State.SUBMITTED
    assert list(ApplicationEvent.objects.filter(application=app).values_list("action", flat=True)) == [
        "create",
        "submit",
    ]


@pytest.mark.parametrize(
    "flags,method",
    [
        ({"is_high_risk": True}, VerificationMethod.EVERY_UNIT),
        ({"is_complete_set": True}, VerificationMethod.EXPERT),
        ({"plate_licence": True}, VerificationMethod.LICENCE),
        ({"is_installation": True}, VerificationMethod.AFTER_USE),
    ],
)
def test_the_verification_method_follows_the_machines_flags_R32(cast, submitted, product, flags, method):
    type(product.item).objects.filter(pk=product.item_id).update(**flags)
    app = submitted()
    accepted = services.accept_application(application_id=app.pk, officer=cast["officer"])
    assert accepted.verification_method == method


def test_a_high_amount_machine_is_verified_after_use_the_first_time_in_the_district_R32(cast, submitted, haidian):
    DistrictRule.objects.filter(district=haidian).update(high_amount=Decimal("10000.00"), sample_ratio=0)
    first = submitted(serial="A1")
    assert services.accept_application(application_id=first.pk, officer=cast["officer"]).verification_method == (
        VerificationMethod.AFTER_USE
    )
    second = submitted(serial="A2")
    assert services.accept_application(application_id=second.pk, officer=cast["officer"]).verification_method == (
        VerificationMethod.DOCUMENTS
    )


@pytest.mark.parametrize(
    "ratio,method", [("1.000", VerificationMethod.SAMPLE), ("0.000", VerificationMethod.DOCUMENTS)]
)
def test_other_machines_are_sampled_at_the_districts_ratio_R32(cast, submitted, haidian, ratio, method):
    DistrictRule.objects.filter(district=haidian).update(sample_ratio=Decimal(ratio))
    app = submitted()
    services.accept_application(application_id=app.pk, officer=cast["officer"])
    event = ApplicationEvent.objects.get(application=app, action="accept")
    assert event.data["verification_method"] == method
    assert 0 <= event.data["draw"] < 1  # the draw is on record


def test_verification_pass_and_fail_R32(cast, submitted, photo):
    good, bad = submitted(serial="G1"), submitted(serial="B1")
    for app in (good, bad):
        services.accept_application(application_id=app.pk, officer=cast["officer"])
    today = timezone.localdate()
    passed = services.record_verification(
        application_id=good.pk,
        officer=cast["officer"],
        method=VerificationMethod.SAMPLE,
        checked_on=today,
        findings="机具在场，铭牌与发票一致",
        passed=True,
        photos=[photo("site.jpg")],
    )
    failed = services.record_verification(
        application_id=bad.pk,
        officer=cast["officer"],
        method=VerificationMethod.SAMPLE,
        checked_on=today,
        findings="现场未见机具",
        passed=False,
    )
    assert (passed.state, failed.state) == (State.VERIFIED, State.REJECTED)
    assert good.documents.filter(kind=DocumentKind.VERIFICATION).count() == 1
    assert Verification.objects.get(application=bad).findings == "现场未见机具"
    assert not Deadline.objects.filter(application=bad, met_at__isnull=True).exists()
    assert ApplicationEvent.objects.get(application=bad, action="verify_fail").reason == "现场未见机具"


def test_verification_needs_findings_R32(cast, submitted):
    app = submitted()
    services.accept_application(application_id=app.pk, officer=cast["officer"])
    with pytest.raises(ApplicationError):
        services.record_verification(
            application_id=app.pk,
            officer=cast["officer"],
            method="sample",
            checked_on=timezone.localdate(),
            findings="",
            passed=True,
        )
    assert Application.objects.get(pk=app.pk).state == State.ACCEPTED


def test_a_district_may_require_work_before_verification_R32(cast, submitted, haidian):
    DistrictRule.objects.filter(district=haidian).update(required_work="作业面积200亩")
    app = submitted()
    services.accept_application(application_id=app.pk, officer=cast["officer"])
    kwargs = {
        "application_id": app.pk,
        "officer": cast["officer"],
        "method": "sample",
        "checked_on": timezone.localdate(),
        "findings": "一致",
        "passed": True,
    }
    with pytest.raises(ApplicationError) as refused:
        services.record_verification(**kwargs)
    assert refused.value.rule == "R32"
    assert services.record_verification(**kwargs, work_done="已作业230亩").state == State.VERIFIED


def test_waiting_for_use_pauses_the_verification_clock_R32_R33(cast, submitted):
    with time_machine.travel("2026-09-29 09:00 +0800", tick=False):
        app = submitted()
        services.accept_application(application_id=app.pk, officer=cast["officer"])
        services.schedule_use_check(application_id=app.pk, officer=cast["officer"], note="安装后使用一个月再核验")
    verify = Deadline.objects.get(application=app, step=Step.VERIFY)
    assert verify.due_on is None and verify.paused
    with time_machine.travel("2026-11-02 09:00 +0800", tick=False):  # a Monday, five weeks later
        services.record_verification(
            application_id=app.pk,
            officer=cast["officer"],
            method="after_use",
            checked_on=date(2026, 11, 2),
            findings="已安装使用",
            passed=True,
        )
    overall = Deadline.objects.get(application=app, step=Step.OVERALL)
    # Paused on the day of acceptance, so all 23 working days run from 11-02.
    assert overall.due_on == date(2026, 12, 3)


def test_verification_date_cannot_be_in_the_future_R33(cast, submitted):
    app = submitted()
    services.accept_application(application_id=app.pk, officer=cast["officer"])
    with pytest.raises(ApplicationError):
        services.record_verification(
            application_id=app.pk,
            officer=cast["officer"],
            method="sample",
            checked_on=timezone.localdate() + timedelta(days=1),
            findings="x",
            passed=True,
        )
