"""Investigations and violation cases (R38, R39, R43, R45): the pause and resumption of deadlines, the procedure
with the party's answer period, the decision's consequences through the owning apps, and the chained trail."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services
from applications.models import Application, Deadline, Step
from applications.services import ApplicationError
from applications.workflow import State
from audits import cases, events
from audits.errors import AuditError
from audits.models import AuditEvent, BuyerBar, Decision, Investigation, Source
from audits.sampling import population_of, weights_on
from catalog.errors import CatalogueError
from catalog.models import CertificateKind, CreditKind, CreditRecord
from catalog.services import add_certificate, create_filing, record_false_filing, submit_filing
from notifications.models import Notification
from tests.pdfs import blank_pdf
from workdays.calendar import add_working_days

pytestmark = pytest.mark.django_db
WEEK = "2026-09-14 09:00 +0800"  # a Monday with plain working weeks after it


def accepted(cast, submitted):
    app = submitted()
    return services.accept_application(application_id=app.pk, officer=cast["officer"])


def open_case(cast, app, *, by=None):
    investigation = cases.open_investigation(
        application_id=app.pk, source=Source.WARNING, reason="一户多机，疑似虚假购置", by=by or cast["officer"]
    )
    case = cases.propose_decision(
        investigation_id=investigation.pk, officer=cast["officer"], party="buyer", proposed="拟认定虚假购置"
    )
    return investigation, case


def test_an_investigation_pauses_an_unpaid_application_and_clearing_resumes_it_R38(cast, submitted):
    with time_machine.travel(WEEK, tick=False):
        app = accepted(cast, submitted)
        due_before = Deadline.objects.get(application=app, step=Step.VERIFY, met_at=None).due_on
        investigation, case = open_case(cast, app)
    app.refresh_from_db()
    assert app.state == State.UNDER_INVESTIGATION and investigation.paused
    assert Deadline.objects.get(application=app, step=Step.VERIFY, met_at=None).paused
    told = Notification.objects.filter(recipient=cast["buyer"], subject__contains="正在核查").get()
    assert "暂停" in told.body and "R38" not in told.body
    with time_machine.travel("2026-09-17 09:00 +0800", tick=False):
        cases.record_answer(case_id=case.pk, user=cast["buyer"], text="是两个合作社成员各买一台")
    with time_machine.travel("2026-09-18 09:00 +0800", tick=False):  # 4 working days after the pause
        decided = cases.decide_case(
            case_id=case.pk, officer=cast["officer"], decision=Decision.CLEARED, text="核实为不同主体"
        )
    app.refresh_from_db()
    assert app.state == State.ACCEPTED  # where it was
    verify = Deadline.objects.get(application=app, step=Step.VERIFY, met_at=None)
    # paused on the day of acceptance, resumed 4 working days later with all 13 of its working days left
    assert due_before == add_working_days(date(2026, 9, 14), 13)
    assert not verify.paused and verify.due_on == add_working_days(date(2026, 9, 18), 13) > due_before
    assert decided.decision == Decision.CLEARED
    assert Investigation.objects.get(pk=investigation.pk).closed_at is not None


def test_a_paid_application_keeps_its_state_when_investigated_R38(cast, submitted):
    app = submitted()
    Application.objects.filter(pk=app.pk).update(state=State.PAID)
    investigation = cases.open_investigation(
        application_id=app.pk, source=Source.COMPLAINT, reason="举报倒卖", by=cast["officer"]
    )
    assert not investigation.paused
    assert Application.objects.get(pk=app.pk).state == State.PAID


def test_the_party_answers_within_its_working_days_and_the_decision_waits_R38(cast, submitted):
    with time_machine.travel(WEEK, tick=False):
        app = accepted(cast, submitted)
        _investigation, case = open_case(cast, app)
        assert str(case.answer_due_on) == "2026-09-20"  # 5 working days: Sunday 09-20 is worked (调休)
        with pytest.raises(AuditError):
            cases.decide_case(case_id=case.pk, officer=cast["officer"], decision=Decision.CLEARED, text="x")
    with time_machine.travel("2026-09-21 09:00 +0800", tick=False), pytest.raises(AuditError):
        cases.record_answer(case_id=case.pk, user=cast["buyer"], text="太晚了")
    case.refresh_from_db()
    assert case.answer == "" and case.decision == ""


def test_a_violation_rejects_the_application_and_bars_the_buyer_whose_next_submission_is_refused_R39(
    cast, submitted, product
):
    app = accepted(cast, submitted)
    _investigation, case = open_case(cast, app)
    cases.record_answer(case_id=case.pk, user=cast["buyer"], text="无异议")
    case = cases.decide_case(
        case_id=case.pk,
        officer=cast["officer"],
        decision=Decision.VIOLATION,
        kind="false_purchase",
        text="虚假购置",
        bar_buyer=True,
    )
    assert Application.objects.get(pk=app.pk).state == State.REJECTED
    bar = BuyerBar.objects.get(buyer=cast["buyer"])
    assert (bar.until - case.decided_on).days in (1095, 1096)  # 3 years
    with pytest.raises(ApplicationError) as refused:
        submitted(serial="SN-0002")
    assert refused.value.rule == "R39" and case.number in str(refused.value.message)
    assert not Application.objects.filter(buyer=cast["buyer"], serial_number="SN-0002").exclude(state="draft").exists()
    # another buyer is not barred
    assert submitted(cast["other_buyer"], serial="SN-0003").state == State.SUBMITTED


def test_a_credit_record_is_read_by_later_filings_and_the_risk_score_R43(cast, submitted, product, haidian):
    app = accepted(cast, submitted)
    _investigation, case = open_case(cast, app, by=cast["city"])
    cases.record_answer(case_id=case.pk, user=cast["officer"], text="书面答复：无异议")
    cases.decide_case(
        case_id=case.pk,
        officer=cast["city"],
        decision=Decision.VIOLATION,
        kind="lower_grade",
        text="低档高投",
        credit_record=True,
        suspend_filings=True,
        close_product=True,
    )
    record = CreditRecord.objects.get(manufacturer=product.manufacturer)
    assert record.kind == CreditKind.VIOLATION and record.decision == case.number and record.suspended_until
    product.refresh_from_db()
    assert product.closed
    # a later filing of that manufacturer is refused while suspended (R27, R43)
    product.manufacturer.members.add(cast["maker"])
    filing = create_filing(
        manufacturer=product.manufacturer,
        by=cast["maker"],
        item=product.item,
        grade=product.grade,
        name="轮式拖拉机",
        model="TX-999",
    )
    add_certificate(
        filing=filing,
        by=cast["maker"],
        kind=CertificateKind.TEST_APPRAISAL,
        upload=SimpleUploadedFile("c.pdf", blank_pdf(), content_type="application/pdf"),
    )
    with pytest.raises(CatalogueError) as refused:
        submit_filing(filing=filing, by=cast["maker"])
    assert refused.value.rule == "R43" and case.number in str(refused.value.message)
    # a later false filing is marked as repeated because of the violation on the record
    assert record_false_filing(filing=filing, by=cast["city"], kind="false_lower_grade", reason="再犯").repeated
    # and the risk score of the manufacturer's applications counts its credit record
    rows = population_of(
        district=haidian,
        period_start=app.submitted_at.date(),
        period_end=app.submitted_at.date(),
        weights=weights_on(app.submitted_at.date()),
    )
    assert all(r["factors"]["credit"] == 2 for r in rows)


def test_only_the_municipal_bureau_closes_products_R27(cast, submitted):
    app = accepted(cast, submitted)
    _investigation, case = open_case(cast, app)
    cases.record_answer(case_id=case.pk, user=cast["buyer"], text="无")
    with pytest.raises(AuditError):
        cases.decide_case(
            case_id=case.pk,
            officer=cast["officer"],
            decision=Decision.VIOLATION,
            kind="other",
            text="x",
            close_product=True,
        )
    assert Application.objects.get(pk=app.pk).state == State.UNDER_INVESTIGATION  # nothing done


def test_a_suspected_crime_is_referred_and_every_step_is_a_chained_event_R45(cast, submitted):
    app = accepted(cast, submitted)
    investigation, case = open_case(cast, app)
    cases.refer_to_judiciary(
        investigation_id=investigation.pk, officer=cast["officer"], on=app.submitted_at.date(), body="海淀公安分局"
    )
    investigation.refresh_from_db()
    assert investigation.referred_to == "海淀公安分局"
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["investigation_opened", "decision_proposed", "referred"]
    assert events.broken_link() is None
    with pytest.raises(Exception):  # noqa: B017 - the database refuses (append-only trigger)
        AuditEvent.objects.filter(action="referred").update(reason="改")


def test_another_district_cannot_open_or_decide_R38(cast, submitted):
    app = accepted(cast, submitted)
    from django.http import Http404

    with pytest.raises(Http404):
        cases.open_investigation(application_id=app.pk, source="warning", reason="x", by=cast["other_officer"])
    _investigation, case = open_case(cast, app)
    with pytest.raises(Http404):
        cases.decide_case(case_id=case.pk, officer=cast["other_officer"], decision="cleared", text="x")
    assert Decimal(0) == 0
