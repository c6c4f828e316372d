"""A payment batch shows the approver its count and totals, and an application can be taken out of it with a reason
before approval, going back to the payment requests (R36). Nothing is deleted; the trail says who and why."""

from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import ApplicationEvent, EventAction
from payments import selectors
from payments import services as payments
from payments.errors import PaymentError
from payments.models import BatchItem, ItemOutcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch_of_two(cast, haidian, fund, requested):
    fund(haidian)
    first, second = requested(serial="SN-1"), requested(serial="SN-2")
    return payments.build_batch(officer=cast["finance"], application_ids=[first.pk, second.pk]), first, second


def take_out_url(batch, app):
    return reverse("payments:take_out_of_batch", args=[batch.pk, app.pk])


def test_the_approver_sees_the_count_and_totals_R36(cast, batch_of_two, second_finance, login):
    batch, first, second = batch_of_two
    page = login(second_finance).get(reverse("payments:batch", args=[batch.pk])).content.decode()
    total = first.total_amount + second.total_amount
    assert '<dd id="batch-count">2</dd>' in page
    assert f'data-total="{total}"' in page and "¥36,600.00" in page  # 2 × 18,300.00


def test_taking_an_application_out_puts_it_back_among_the_requests_R36(cast, batch_of_two, second_finance, login):
    batch, first, second = batch_of_two
    client = login(second_finance)
    response = client.post(take_out_url(batch, first), {"reason": "收款账户待核实"})
    assert response.status_code == 302
    item = BatchItem.objects.get(batch=batch, application=first)
    assert (item.outcome, item.failure_reason) == (ItemOutcome.REMOVED, "收款账户待核实")
    event = ApplicationEvent.objects.filter(application=first).order_by("-id").first()
    assert (event.action, event.actor, event.reason, event.data) == (
        EventAction.OUT_OF_BATCH,
        second_finance,
        "收款账户待核实",
        {"batch": batch.number},
    )
    assert list(selectors.payment_queue(user=cast["finance"])) == [first]  # back among the requests
    assert selectors.batch_totals(batch)["count"] == 1
    assert selectors.batch_totals(batch)["total"] == second.total_amount
    # the treasury's file no longer carries it
    payments.approve_batch(batch_id=batch.pk, officer=second_finance)
    _, content, _ = payments.export_batch(batch_id=batch.pk, officer=cast["finance"], file_format="csv")
    assert second.number.encode() in content and first.number.encode() not in content


def test_a_reason_is_required_and_nothing_changes_without_one_R36(cast, batch_of_two, login):
    batch, first, _ = batch_of_two
    login(cast["finance"]).post(take_out_url(batch, first), {"reason": "  "})
    assert BatchItem.objects.get(batch=batch, application=first).outcome == ItemOutcome.PENDING
    assert not ApplicationEvent.objects.filter(action=EventAction.OUT_OF_BATCH).exists()


def test_an_approved_batch_cannot_be_changed_R36(cast, batch_of_two, second_finance):
    batch, first, _ = batch_of_two
    payments.approve_batch(batch_id=batch.pk, officer=second_finance)
    with pytest.raises(PaymentError):
        payments.take_out_of_batch(batch_id=batch.pk, application_id=first.pk, officer=cast["finance"], reason="迟了")
    assert BatchItem.objects.get(batch=batch, application=first).outcome == ItemOutcome.PENDING


def test_an_emptied_batch_cannot_be_approved_R36(cast, batch_of_two, second_finance):
    batch, first, second = batch_of_two
    for app in (first, second):
        payments.take_out_of_batch(batch_id=batch.pk, application_id=app.pk, officer=cast["finance"], reason="待核实")
    with pytest.raises(PaymentError):
        payments.approve_batch(batch_id=batch.pk, officer=second_finance)
    assert selectors.batch_totals(batch) == {
        "count": 0,
        "central": Decimal("0.00"),
        "municipal": Decimal("0.00"),
        "district": Decimal("0.00"),
        "total": Decimal("0.00"),
    }


def test_another_district_and_the_office_cannot_take_out(cast, batch_of_two, new_user, changping, login):
    batch, first, _ = batch_of_two
    stranger = new_user("cpf", "district_finance", changping)
    assert login(stranger).post(take_out_url(batch, first), {"reason": "x"}).status_code == 404
    assert login(cast["officer"]).post(take_out_url(batch, first), {"reason": "x"}).status_code == 403
    assert login(cast["city_finance"]).post(take_out_url(batch, first), {"reason": "x"}).status_code == 403
    assert BatchItem.objects.get(batch=batch, application=first).outcome == ItemOutcome.PENDING


def test_the_queue_offers_select_all_with_each_row_s_amount(cast, haidian, fund, requested, login):
    fund(haidian)
    app = requested()
    page = login(cast["finance"]).get(reverse("payments:queue")).content.decode()
    assert 'data-select-all="ids"' in page and f'data-amount="{app.total_amount}"' in page
    assert 'id="selection-summary"' in page and "js/selection.js" in page
