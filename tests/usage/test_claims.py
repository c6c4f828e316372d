"""R20: the incentive claim goes from the office queue to paid through the purchase subsidy's own machinery, for
20% of what was actually paid, once per machine, never for a machine under investigation or clawed back; it takes
nothing of the buyer's annual cap (R24)."""

from decimal import Decimal

import pytest
from django.http import Http404

from applications import services
from applications.models import Application, EventAction, Kind, State
from applications.selectors import office_queue
from audits.models import Investigation
from notifications.models import Notification
from payments import ledger
from payments import services as payments
from payments.models import EntryKind, LedgerEntry
from payments.selectors import granted_this_year
from tests.payments.conftest import close_notice_today
from tests.usage.conftest import THIS_YEAR, at, pay, work
from usage.errors import UsageError
from usage.services import claim_incentive, start_claim, tell_if_met

pytestmark = pytest.mark.django_db


@pytest.fixture
def met(machine, pilot):
    """A machine whose year of work met the targets."""

    def _met(**kwargs):
        m = machine(**kwargs)
        work(m, start=at(4, 1, 8), volume="520")
        return m

    return _met


def test_a_claim_goes_from_the_queue_to_paid_with_incentive_ledger_entries_R20(cast, met, approved):
    m = met()
    claim = claim_incentive(machine_id=m.pk, buyer=m.buyer, accept_commitment=True)
    assert (claim.kind, claim.incentive_for_id, claim.state) == (Kind.INCENTIVE, m.pk, State.SUBMITTED)
    assert (claim.central_amount, claim.municipal_amount, claim.district_amount, claim.total_amount) == (
        Decimal("3060.00"),
        Decimal("600.00"),
        Decimal("0.00"),
        Decimal("3660.00"),
    )
    assert "work records of it are true" in claim.commitment_text or "作业记录" in claim.commitment_text
    assert claim in office_queue(user=cast["officer"])  # the district's own queue, beside the purchases

    services.accept_application(application_id=claim.pk, officer=cast["officer"])
    services.record_verification(
        application_id=claim.pk,
        officer=cast["officer"],
        method="documents",
        checked_on=at(12, 1, 9).date(),
        findings="作业记录与终端数据一致",
        passed=True,
    )
    services.open_notice(application_id=claim.pk, officer=cast["officer"])
    close_notice_today(claim)
    services.request_payment(application_id=claim.pk, officer=cast["officer"])
    claim = pay(Application.objects.get(pk=claim.pk), cast, approved, voucher="GK-INCENTIVE-1")

    assert claim.state == State.PAID
    assert claim.payment.total == Decimal("3660.00")
    entries = LedgerEntry.objects.filter(application=claim, kind=EntryKind.INCENTIVE).order_by("fund__source")
    assert [(e.fund.source, e.amount) for e in entries] == [
        ("central", Decimal("-3060.00")),
        ("municipal", Decimal("-600.00")),
    ]
    assert not LedgerEntry.objects.filter(application=claim, kind=EntryKind.PAYMENT).exists()
    actions = list(claim.events.values_list("action", flat=True))
    assert actions == [
        EventAction.SUBMIT,
        EventAction.ACCEPT,
        EventAction.VERIFY_PASS,
        EventAction.OPEN_NOTICE,
        EventAction.CLOSE_NOTICE,
        EventAction.REQUEST_PAYMENT,
        EventAction.PAY,
    ]
    assert ledger.check(), ledger.check().problems
    balance = ledger.balance_of(m.district, THIS_YEAR, "central")
    assert balance.paid == Decimal("15300.00") + Decimal("3060.00")


def test_twenty_percent_of_what_was_actually_paid_after_a_partial_claw_back_exact_to_the_fen_R20(cast, met):
    m = met()
    payments.claw_back(
        application_id=m.pk,
        officer=cast["finance"],
        amount="1234.57",
        decision_document="海农〔2026〕9号",
        reason="多补",
    )
    claim = claim_incentive(machine_id=m.pk, buyer=m.buyer, accept_commitment=True)
    # central 15,300.00 − 1,234.57 = 14,065.43 → × 20% = 2,813.086 → 2,813.09; municipal 3,000.00 → 600.00
    assert (claim.central_amount, claim.municipal_amount, claim.total_amount) == (
        Decimal("2813.09"),
        Decimal("600.00"),
        Decimal("3413.09"),
    )


def test_a_fund_source_set_on_the_pilot_kind_pays_it_all_R20(met, pilot):
    pilot.fund_source = "municipal"
    pilot.save()
    m = met()
    claim = claim_incentive(machine_id=m.pk, buyer=m.buyer, accept_commitment=True)
    assert (claim.central_amount, claim.municipal_amount, claim.total_amount) == (
        Decimal("0.00"),
        Decimal("3660.00"),
        Decimal("3660.00"),
    )


def test_a_machine_clawed_back_in_full_earns_nothing_R20(cast, met):
    m = met()
    payments.claw_back(
        application_id=m.pk, officer=cast["finance"], amount="18300", decision_document="海农〔2026〕9号", reason="骗补"
    )
    with pytest.raises(UsageError, match="clawed back|追回"):
        claim_incentive(machine_id=m.pk, buyer=m.buyer, accept_commitment=True)
    assert not Application.objects.filter(kind=Kind.INCENTIVE).exists()


def test_a_machine_under_investigation_cannot_claim_R20(cast, met):
    m = met()
    Investigation.objects.create(
        application=m, district=m.district, source="complaint", reason="举报未作业", opened_by=cast["auditor"]
    )
    with pytest.raises(UsageError):
        claim_incentive(machine_id=m.pk, buyer=m.buyer, accept_commitment=True)
    assert not Application.objects.filter(kind=Kind.INCENTIVE).exists()


def test_one_incentive_per_machine_R20(met):
    m = met()
    claim_incentive(machine_id=m.pk, buyer=m.buyer, accept_commitment=True)
    with pytest.raises(UsageError):
        claim_incentive(machine_id=m.pk, buyer=m.buyer, accept_commitment=True)
    assert Application.objects.filter(kind=Kind.INCENTIVE).count() == 1


def test_the_commitment_must_be_signed_R20(met):
    m = met()
    with pytest.raises(UsageError):
        claim_incentive(machine_id=m.pk, buyer=m.buyer, accept_commitment=False)


def test_the_incentive_takes_nothing_of_the_buyers_annual_cap_R24(met):
    m = met()
    before = granted_this_year(m.buyer, THIS_YEAR)
    claim_incentive(machine_id=m.pk, buyer=m.buyer, accept_commitment=True)
    assert granted_this_year(m.buyer, THIS_YEAR) == before


def test_the_office_starts_a_claim_and_another_district_or_buyer_does_not_find_it_R20(cast, met):
    m = met()
    with pytest.raises(Http404):
        start_claim(machine_id=m.pk, officer=cast["other_officer"], note="代为申请")
    with pytest.raises(Http404):
        claim_incentive(machine_id=m.pk, buyer=cast["other_buyer"], accept_commitment=True)
    assert not Application.objects.filter(kind=Kind.INCENTIVE).exists()
    claim = start_claim(machine_id=m.pk, officer=cast["officer"], note="购机者委托")
    assert claim.state == State.SUBMITTED and claim.commitment_text == ""
    assert claim.events.get().actor == cast["officer"]


def test_the_buyer_is_told_once_when_the_targets_are_met_R20(met):
    m = met()
    before = Notification.objects.filter(recipient=m.buyer).count()
    assert tell_if_met(m) is True
    assert tell_if_met(m) is False
    told = Notification.objects.filter(recipient=m.buyer).order_by("-id")
    assert told.count() == before + 1
    assert "3,660.00" in told.first().body


def test_a_returned_claim_is_resubmitted_by_claiming_again_R20_R30(cast, met):
    m = met()
    claim = claim_incentive(machine_id=m.pk, buyer=m.buyer, accept_commitment=True)
    services.return_application(application_id=claim.pk, officer=cast["officer"], reason="请补充4月2日作业照片")
    again = claim_incentive(machine_id=m.pk, buyer=m.buyer, accept_commitment=True)
    assert again.pk == claim.pk and again.state == State.SUBMITTED
    assert list(again.events.values_list("action", flat=True)) == [
        EventAction.SUBMIT,
        EventAction.RETURN,
        EventAction.RESUBMIT,
    ]
    assert Application.objects.filter(kind=Kind.INCENTIVE).count() == 1
