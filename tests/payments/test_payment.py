"""Payment through the treasury in batches (R36): four-eyes approval, the export file, the return file and its
reconciliation, one payment per application and voucher; deferral, claw-back and recovery (R38, R45); the
innovation products' ceiling (R9) and the ratio alert (R19) at payment."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications.models import ApplicationEvent, Warning
from applications.workflow import State
from catalog.models import CatalogueLimit, InnovationListing, LimitKind
from notifications.models import Notification
from payments import ledger
from payments import services as payments
from payments.models import (
    BatchItem,
    BatchState,
    Deferral,
    EntryKind,
    ExceptionKind,
    Export,
    GradeReview,
    LedgerEntry,
    Payment,
    PaymentBatch,
    ReconciliationException,
)
from payments.services import PaymentError
from tests.payments.conftest import return_file

pytestmark = pytest.mark.django_db
ACCOUNT = "6228480010012345678"


def test_the_builder_cannot_approve_their_own_batch_R36(cast, haidian, fund, requested):
    fund(haidian)
    app = requested()
    batch = payments.build_batch(officer=cast["finance"], application_ids=[app.pk])
    with pytest.raises(PaymentError) as refused:
        payments.approve_batch(batch_id=batch.pk, officer=cast["finance"])
    assert refused.value.rule == "R36"
    batch.refresh_from_db()
    assert batch.state == BatchState.BUILT and batch.approved_by is None


def test_the_database_refuses_an_approver_who_built_the_batch_R36(cast, haidian, fund, requested):
    fund(haidian)
    batch = payments.build_batch(officer=cast["finance"], application_ids=[requested().pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(approved_by=cast["finance"])


def test_a_second_officer_approves_and_the_export_carries_full_numbers_and_is_recorded_R36(
    cast, haidian, fund, requested, second_finance
):
    fund(haidian)
    app = requested()
    batch = payments.build_batch(officer=cast["finance"], application_ids=[app.pk])
    with pytest.raises(PaymentError):  # not before approval
        payments.export_batch(batch_id=batch.pk, officer=cast["finance"], file_format="xlsx")
    payments.approve_batch(batch_id=batch.pk, officer=second_finance)
    assert ledger.balance_of(haidian, app.year, "central").reserved == Decimal("15300.00")  # nothing reserved twice
    name, content, _ = payments.export_batch(batch_id=batch.pk, officer=cast["finance"], file_format="xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:4] == ["批次号", "申请编号", "收款人", "账号"]
    assert rows[1][:9] == [
        batch.number,
        app.number,
        "张三",
        ACCOUNT,
        "中国农业银行",
        "15300.00",
        "3000.00",
        "0.00",
        "18300.00",
    ]
    _, content, _ = payments.export_batch(batch_id=batch.pk, officer=cast["finance"], file_format="csv")
    assert list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1][3] == ACCOUNT
    assert Export.objects.filter(batch=batch, by=cast["finance"]).count() == 2
    batch.refresh_from_db()
    assert batch.state == BatchState.EXPORTED and name.endswith(".xlsx")


def test_a_paid_row_pays_and_writes_the_entries_split_by_source_R21_R36(cast, haidian, fund, requested, approved):
    fund(haidian)
    app = requested()
    batch = approved(app)
    record = payments.import_return(
        batch_id=batch.pk,
        officer=cast["finance"],
        data=return_file(batch, [(app, "成功", "GK2026-0001", None, "")]),
        file_name="return.csv",
    )
    assert (record.paid, record.failed, record.exceptions) == (1, 0, 0)
    app.refresh_from_db()
    assert app.state == State.PAID
    payment = Payment.objects.get(application=app)
    assert payment.voucher == "GK2026-0001" and payment.total == Decimal("18300.00")
    paid = {e.fund.source: e.amount for e in LedgerEntry.objects.filter(application=app, kind=EntryKind.PAYMENT)}
    assert paid == {"central": Decimal("-15300.00"), "municipal": Decimal("-3000.00")}
    central = ledger.balance_of(haidian, app.year, "central")
    assert (central.reserved, central.paid, central.available) == (0, Decimal("15300.00"), Decimal("984700.00"))
    assert ApplicationEvent.objects.filter(application=app, action="pay", data__voucher="GK2026-0001").exists()
    assert Notification.objects.filter(recipient=cast["buyer"], body__contains="GK2026-0001").exists()
    batch.refresh_from_db()
    assert batch.state == BatchState.CLOSED
    assert ledger.check()


def test_importing_the_same_return_file_twice_pays_once_R36(cast, haidian, fund, requested, approved):
    fund(haidian)
    app = requested()
    batch = approved(app)
    data = return_file(batch, [(app, "成功", "GK2026-0002", None, "")])
    payments.import_return(batch_id=batch.pk, officer=cast["finance"], data=data, file_name="r.csv")
    again = payments.import_return(batch_id=batch.pk, officer=cast["finance"], data=data, file_name="r.csv")
    assert (again.paid, again.exceptions) == (0, 1)
    assert Payment.objects.count() == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 2
    assert ReconciliationException.objects.get(return_import=again).kind == ExceptionKind.VOUCHER_SEEN
    assert ledger.check()


def test_a_failed_row_goes_back_to_the_queue_and_the_buyer_is_told_R36(cast, haidian, fund, requested, approved):
    fund(haidian)
    app = requested()
    batch = approved(app)
    payments.import_return(
        batch_id=batch.pk,
        officer=cast["finance"],
        data=return_file(batch, [(app, "失败", "", None, "账号不存在")]),
        file_name="r.csv",
    )
    app.refresh_from_db()
    assert app.state == State.PAYMENT_REQUESTED
    assert BatchItem.objects.get(batch=batch).failure_reason == "账号不存在"
    from payments.selectors import payment_queue

    assert list(payment_queue(user=cast["finance"])) == [app]
    assert Notification.objects.filter(recipient=cast["buyer"], body__contains="账号不存在").exists()
    assert not Payment.objects.exists()


def test_unmatched_rows_differing_amounts_and_repeated_vouchers_are_exceptions_R36(
    cast, haidian, fund, requested, approved, changping
):
    fund(haidian)
    a, b, c = requested(serial="X-1"), requested(serial="X-2"), requested(serial="X-3")
    batch = approved(a, b, c)
    stranger = type("Row", (), {"number": "2026-110114-9999999", "total_amount": Decimal("1.00")})()
    data = return_file(
        batch,
        [
            (a, "成功", "V-1", Decimal("18299.00"), ""),  # amount differs
            (b, "成功", "V-2", None, ""),
            (c, "成功", "V-2", None, ""),  # the same voucher again
            (stranger, "成功", "V-3", None, ""),  # matches nothing in the batch
        ],
    )
    record = payments.import_return(batch_id=batch.pk, officer=cast["finance"], data=data, file_name="r.csv")
    assert (record.paid, record.exceptions) == (1, 3)
    kinds = sorted(ReconciliationException.objects.values_list("kind", flat=True))
    assert kinds == sorted([ExceptionKind.AMOUNT_DIFFERS, ExceptionKind.VOUCHER_SEEN, ExceptionKind.UNMATCHED])
    assert [x.state for x in (a, b, c) if not x.refresh_from_db()] == [
        State.PAYMENT_REQUESTED,
        State.PAID,
        State.PAYMENT_REQUESTED,
    ]
    batch.refresh_from_db()
    assert batch.state == BatchState.EXPORTED  # two requests still wait for the treasury
    assert ledger.check()


def test_a_payment_is_unique_per_application_and_per_voucher_in_the_database_R36(cast, haidian, fund, requested):
    fund(haidian)
    a, b = requested(serial="U-1"), requested(serial="U-2")
    common = {
        "central": 1,
        "municipal": 0,
        "district_amount": 0,
        "total": 1,
        "paid_on": timezone.localdate(),
        "recorded_by": cast["finance"],
    }
    Payment.objects.create(application=a, voucher="DUP", **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(application=a, voucher="OTHER", **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(application=b, voucher="DUP", **common)


def test_another_districts_batch_is_not_found_R36(login, cast, haidian, fund, requested, new_user, changping):
    fund(haidian)
    batch = payments.build_batch(officer=cast["finance"], application_ids=[requested().pk])
    stranger = new_user("cpf", "district_finance", changping)
    client = login(stranger)
    assert client.get(reverse("payments:batch", args=[batch.pk])).status_code == 404
    assert client.post(reverse("payments:approve_batch", args=[batch.pk])).status_code == 404
    with pytest.raises(Exception) as refused:
        payments.approve_batch(batch_id=batch.pk, officer=stranger)
    assert refused.typename == "Http404"
    batch.refresh_from_db()
    assert batch.state == BatchState.BUILT


def test_pages_mask_account_numbers_R45(login, cast, haidian, fund, requested):
    fund(haidian)
    app = requested()
    client = login(cast["finance"])
    for url in (reverse("payments:queue"), reverse("payments:application", args=[app.pk])):
        page = client.get(url).content.decode()
        assert ACCOUNT not in page and "**** **** 5678" in page


def test_the_queue_shows_the_15_working_day_due_date_R36(login, cast, haidian, fund, requested):
    from workdays.calendar import add_working_days

    fund(haidian)
    app = requested()
    rows = login(cast["finance"]).get(reverse("payments:queue")).context["rows"]
    assert [(r.pk, r.due_on) for r in rows] == [(app.pk, add_working_days(timezone.localdate(), 15))]


def test_deferral_tells_the_buyer_and_a_deferred_request_comes_first_when_resumed_R36(cast, haidian, fund, requested):
    fund(haidian)
    first, second = requested(serial="D-1"), requested(serial="D-2")
    payments.defer_payment(application_id=second.pk, officer=cast["finance"], reason="funds_short", note="资金未到位")
    second.refresh_from_db()
    assert second.state == State.PAYMENT_DEFERRED
    assert Notification.objects.filter(recipient=cast["buyer"], body__contains="资金未到位").exists()
    with pytest.raises(PaymentError):
        payments.defer_payment(application_id=second.pk, officer=cast["finance"], reason="funds_short")
    payments.resume_payment(application_id=second.pk, officer=cast["finance"])
    from payments.selectors import payment_queue

    assert [a.pk for a in payment_queue(user=cast["finance"])] == [second.pk, first.pk]
    assert Deferral.objects.get(application=second).ended_at is not None


def test_claw_back_records_the_decision_and_the_recovery_is_a_ledger_entry_R38_R45(
    cast, haidian, fund, requested, approved
):
    fund(haidian)
    app = requested()
    batch = approved(app)
    payments.import_return(
        batch_id=batch.pk,
        officer=cast["finance"],
        data=return_file(batch, [(app, "成功", "V-9", None, "")]),
        file_name="r.csv",
    )
    with pytest.raises(PaymentError):
        payments.claw_back(
            application_id=app.pk,
            officer=cast["finance"],
            amount="18300.01",
            decision_document="海财〔2026〕7号",
            reason="虚假购机",
        )
    record = payments.claw_back(
        application_id=app.pk,
        officer=cast["finance"],
        amount="18300",
        decision_document="海财〔2026〕7号",
        reason="虚假购机",
    )
    app.refresh_from_db()
    assert app.state == State.CLAWED_BACK and record.decided_by == cast["finance"]
    payments.record_recovery(application_id=app.pk, officer=cast["finance"], amount="16000", document="收据1")
    recovered = {e.fund.source: e.amount for e in LedgerEntry.objects.filter(application=app, kind=EntryKind.RECOVERY)}
    assert recovered == {"central": Decimal("15300.00"), "municipal": Decimal("700.00")}
    with pytest.raises(PaymentError):
        payments.record_recovery(application_id=app.pk, officer=cast["finance"], amount="2300.01")
    payments.record_recovery(application_id=app.pk, officer=cast["finance"], amount="2300")
    recovered = LedgerEntry.objects.filter(application=app, kind=EntryKind.RECOVERY, fund__source="municipal")
    assert sum(e.amount for e in recovered) == Decimal("3000.00")
    assert ledger.check()


def test_a_payment_past_the_innovation_ceiling_is_deferred_with_that_reason_R9(cast, haidian, fund, requested, product):
    fund(haidian)  # 1,000,000 of central funds: below 10,000,000, so the fixed ceiling applies
    CatalogueLimit.objects.filter(kind=LimitKind.INNOVATION_SMALL_BUDGET_CAP, valid_to__isnull=True).update(value=20000)
    InnovationListing.objects.create(year=timezone.localdate().year, item=product.item, kind="new_product")
    a, b = requested(serial="I-1"), requested(serial="I-2")
    batch = payments.build_batch(officer=cast["finance"], application_ids=[a.pk, b.pk])
    assert list(batch.items.values_list("application_id", flat=True)) == [a.pk]
    b.refresh_from_db()
    assert b.state == State.PAYMENT_DEFERRED
    assert Deferral.objects.get(application=b).reason == "innovation_ceiling"
    assert not Payment.objects.filter(application=b).exists()


def test_a_ratio_alert_blocks_payment_until_district_finance_clears_it_R19(cast, haidian, fund, requested):
    fund(haidian)
    # Central 15,300 on an invoice of 50,000 is 30.6%: more than the grade's 15% + 15 points.
    app = requested(invoice_price=Decimal("50000.00"))
    warning = Warning.objects.get(application=app, code="ratio_alert")
    assert warning.rule == "R19"
    assert GradeReview.objects.filter(grade=app.product.grade, application=app).exists()
    with pytest.raises(PaymentError) as refused:
        payments.build_batch(officer=cast["finance"], application_ids=[app.pk])
    assert refused.value.rule == "R19"
    assert not PaymentBatch.objects.exists()
    payments.clear_ratio_alert(application_id=app.pk, officer=cast["finance"], finding="与区农业农村局核查，价格属实")
    warning.refresh_from_db()
    assert warning.cleared_by == cast["finance"] and warning.clear_reason
    batch = payments.build_batch(officer=cast["finance"], application_ids=[app.pk])
    assert batch.items.get().total == Decimal("18300.00")  # paid as applied


def test_no_ratio_alert_at_an_ordinary_price_R19(cast, haidian, fund, requested):
    fund(haidian)
    app = requested()  # 62,000: central 24.7%, municipal 4.8%
    assert not Warning.objects.filter(application=app, code="ratio_alert").exists()


def test_short_central_and_municipal_money_is_advanced_by_the_district_and_settled_later_R22(
    cast, haidian, fund, requested, approved
):
    app = requested()  # accepted before the municipality funded the year
    fund(haidian, central="0", municipal="0", district_funds="100000")
    batch = approved(app)
    payments.import_return(
        batch_id=batch.pk,
        officer=cast["finance"],
        data=return_file(batch, [(app, "成功", "V-ADV", None, "")]),
        file_name="r.csv",
    )
    app.refresh_from_db()
    assert app.state == State.PAID  # paid in full
    district = ledger.balance_of(haidian, app.year, "district")
    assert district.advanced == Decimal("18300.00")
    assert not LedgerEntry.objects.filter(application=app, kind=EntryKind.PAYMENT).exists()
    with pytest.raises(PaymentError):
        payments.settle_advance(
            district=haidian, year=app.year, amount="18300.01", actor=cast["city_finance"], reason="清算"
        )
    payments.settle_advance(district=haidian, year=app.year, amount="18300", actor=cast["city_finance"], reason="清算")
    district = ledger.balance_of(haidian, app.year, "district")
    assert (district.settled, district.available) == (Decimal("18300.00"), Decimal("100000.00"))
    assert ledger.check()


def test_every_message_about_money_says_the_subsidy_split_by_fund_source_R31_R36(
    cast, haidian, fund, submitted, requested, approved
):
    """Pre-registered, released, handed over, failed at the treasury: each message says the subsidy, split."""
    fund(haidian, central="16000", municipal="10000", district_funds="0")
    submitted(serial="M-1")
    waiting = submitted(serial="M-2")  # 700 yuan of central money left: pre-registered
    payments.allocate(
        district=haidian, year=waiting.year, source="central", amount="40000", actor=cast["city_finance"], reason="追加"
    )
    handed = requested(serial="M-3")
    failed_batch = approved(handed)
    payments.import_return(
        batch_id=failed_batch.pk,
        officer=cast["finance"],
        data=return_file(failed_batch, [(handed, "失败", "", None, "账号不存在")]),
        file_name="r.csv",
    )
    saying = [n for n in Notification.objects.filter(recipient=cast["buyer"]) if "您的补贴" in n.body]
    waiting_page, handed_page = (reverse("apply:application", args=[a.pk]) for a in (waiting, handed))
    account_page = reverse("apply_payment:account", args=[handed.pk])
    # Pre-registered and released; handed over and failed at the treasury.
    assert sorted(n.link for n in saying) == sorted([waiting_page, waiting_page, handed_page, account_page])
    for message in saying:
        assert "18,300.00" in message.body and "15,300.00" in message.body and "3,000.00" in message.body
