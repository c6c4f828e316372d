"""Reservation on acceptance and release on rejection or withdrawal; pre-registration when the district's funds are
exhausted (R31), released in order of entry with the municipality's priority items and grades first (R37)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from applications import services
from applications.models import ApplicationEvent, Deadline, Step
from applications.workflow import State
from notifications.models import Notification
from payments import ledger
from payments import services as payments
from payments.models import EntryKind, LedgerEntry, Priority
from tests.payments.conftest import make_product

pytestmark = pytest.mark.django_db
# The test product: central 15,300 and municipal 3,000 yuan.


def year():
    return timezone.localdate().year


def state(app):
    app.refresh_from_db()
    return app.state


def test_acceptance_reserves_the_amounts_per_source_and_rejection_releases_them_R21(cast, haidian, fund, submitted):
    fund(haidian)
    app = submitted()
    services.accept_application(application_id=app.pk, officer=cast["officer"])
    assert ledger.balance_of(haidian, year(), "central").reserved == Decimal("15300.00")
    assert ledger.balance_of(haidian, year(), "municipal").available == Decimal("997000.00")
    services.record_verification(
        application_id=app.pk,
        officer=cast["officer"],
        method="documents",
        checked_on=timezone.localdate(),
        findings="铭牌与发票不符",
        passed=False,
    )
    assert ledger.balance_of(haidian, year(), "central").reserved == 0
    assert ledger.balance_of(haidian, year(), "central").available == Decimal("1000000.00")
    assert LedgerEntry.objects.filter(application=app, kind=EntryKind.RELEASE).count() == 2
    assert ledger.check()


def test_withdrawal_releases_the_reservation_R39(cast, haidian, fund, submitted):
    fund(haidian)
    app = submitted()
    services.accept_application(application_id=app.pk, officer=cast["officer"])
    services.withdraw_application(application_id=app.pk, buyer=cast["buyer"])
    assert ledger.balance_of(haidian, year(), "central").reserved == 0
    assert ledger.check()


def test_a_district_without_an_allocation_for_the_year_is_not_counted_R31(cast, submitted):
    assert state(submitted()) == State.SUBMITTED


def test_an_application_the_funds_do_not_cover_is_pre_registered_and_the_buyer_told_R31(cast, haidian, fund, submitted):
    fund(haidian, central="20000", municipal="10000", district_funds="0")
    first = submitted(serial="A-1")
    second = submitted(serial="A-2")  # the first's 15,300 of central funds leave 4,700
    assert state(first) == State.SUBMITTED
    assert state(second) == State.PREREGISTERED
    assert not Deadline.objects.filter(application=second, step=Step.ACCEPT).exists()
    event = ApplicationEvent.objects.get(application=second, action="submit")
    assert event.to_state == State.PREREGISTERED
    assert Notification.objects.filter(recipient=cast["buyer"], subject__contains=second.number).exists()
    # The office cannot accept a pre-registration.
    with pytest.raises(services.ApplicationError):
        services.accept_application(application_id=second.pk, officer=cast["officer"])


def test_pre_registrations_are_released_in_order_of_entry_per_district_R31_R37(
    cast, haidian, changping, fund, submitted
):
    fund(haidian, central="16000", municipal="10000", district_funds="0")
    fund(changping, central="16000", municipal="10000", district_funds="0")
    hd, cp = cast["buyer"], cast["other_buyer"]
    # Entries interleave between the two districts.
    h1, c1 = submitted(hd, serial="H-1"), submitted(cp, serial="C-1")
    h2, c2 = submitted(hd, serial="H-2"), submitted(cp, serial="C-2")
    h3, c3 = submitted(hd, serial="H-3"), submitted(cp, serial="C-3")
    assert [state(a) for a in (h1, c1)] == [State.SUBMITTED] * 2
    assert {state(a) for a in (h2, c2, h3, c3)} == {State.PREREGISTERED}
    # Money for one more application arrives in 海淀区 only: its earliest pre-registration is released.
    payments.allocate(
        district=haidian, year=year(), source="central", amount="15300", actor=cast["city_finance"], reason="追加"
    )
    assert [state(a) for a in (h2, h3, c2, c3)] == [
        State.SUBMITTED,
        State.PREREGISTERED,
        State.PREREGISTERED,
        State.PREREGISTERED,
    ]
    assert Deadline.objects.filter(application=h2, step=Step.ACCEPT, met_at__isnull=True).exists()
    # A reallocation to 昌平区 covers both of its pre-registrations (700 left + 29,900 = 2 × 15,300).
    payments.allocate(
        district=haidian, year=year(), source="central", amount="40000", actor=cast["city_finance"], reason="x"
    )
    h3.refresh_from_db()
    assert h3.state == State.SUBMITTED
    payments.reallocate(
        from_district=haidian,
        to_district=changping,
        year=year(),
        source="central",
        amount="29900",
        actor=cast["city_finance"],
        reason="余缺调剂",
    )
    assert [state(a) for a in (c2, c3)] == [State.SUBMITTED, State.SUBMITTED]
    assert ledger.check()


def test_priority_grades_are_released_first_R37(cast, haidian, fund, submitted, product):
    fund(haidian, central="16000", municipal="10000", district_funds="0")
    priority_product = make_product(
        grade_name="60—70马力两轮驱动拖拉机", params="60马力≤功率<70马力;驱动方式:两轮驱动", model="TX-654"
    )
    Priority.objects.create(year=year(), grade=priority_product.grade, document="京农发〔2026〕3号")
    submitted(serial="P-1")
    ordinary = submitted(serial="P-2")
    draft = services.start_application(buyer=cast["buyer"], district=haidian)
    assert state(ordinary) == State.PREREGISTERED
    later = _submit_with(cast, draft, priority_product, serial="P-3")
    assert state(later) == State.PREREGISTERED
    payments.allocate(
        district=haidian, year=year(), source="central", amount="15300", actor=cast["city_finance"], reason="x"
    )
    assert (state(ordinary), state(later)) == (State.PREREGISTERED, State.SUBMITTED)


def _submit_with(cast, draft, product, *, serial):
    from datetime import timedelta

    from applications.models import DocumentKind, Ground, PaymentMethod
    from tests.applications.conftest import jpeg

    today = timezone.localdate()
    services.update_draft(
        application_id=draft.pk,
        buyer=cast["buyer"],
        ground=Ground.HOUSEHOLD,
        product=product,
        serial_number=serial,
        production_date=today - timedelta(days=60),
        purchase_date=today - timedelta(days=10),
        invoice_number="No.1",
        invoice_price=Decimal("62000.00"),
        payment_method=PaymentMethod.TRANSFER,
        payee_name="张三",
        bank_name="中国农业银行",
        account_number="6228480010012345678",
    )
    for kind in (DocumentKind.INVOICE, DocumentKind.NAMEPLATE, DocumentKind.MACHINE, DocumentKind.IDENTITY):
        services.add_document(application_id=draft.pk, user=cast["buyer"], kind=kind, upload=jpeg())
    return services.submit_application(application_id=draft.pk, buyer=cast["buyer"], accept_commitment=True)
