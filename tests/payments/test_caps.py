"""Limits checked on submission: the annual cap per buyer (R24), with a district's published lifting rule, and the
central funds of a complete set (R16)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from applications.models import Application
from applications.services import ApplicationError
from applications.workflow import State
from catalog.models import Item
from payments.models import BuyerCap, CapLifting

pytestmark = pytest.mark.django_db


def test_a_submission_above_the_individual_annual_cap_is_refused_with_what_remains_R24(cast, submitted):
    BuyerCap.objects.create(buyer_kind="individual", amount=Decimal("30000"), valid_from=date(2025, 1, 1))
    submitted(serial="CAP-1")  # 18,300
    with pytest.raises(ApplicationError) as refused, translation.override("en"):
        submitted(serial="CAP-2")
    assert refused.value.rule == "R24"
    message = str(refused.value.message)
    assert "30,000.00" in message and "18,300.00" in message and "11,700.00" in message
    assert Application.objects.get(serial_key="CAP-2").state == State.DRAFT


def test_the_cap_ships_as_rows_500000_and_5000000_R24(db):
    caps = dict(BuyerCap.objects.values_list("buyer_kind", "amount"))
    assert caps == {"individual": Decimal("500000.00"), "organisation": Decimal("5000000.00")}


def test_a_districts_published_lifting_rule_applies_and_is_recorded_R24(cast, haidian, submitted):
    BuyerCap.objects.create(buyer_kind="individual", amount=Decimal("30000"), valid_from=date(2025, 1, 1))
    rule = CapLifting.objects.create(
        district=haidian,
        buyer_kind="individual",
        amount=Decimal("60000"),
        document="海农发〔2026〕5号",
        valid_from=date(2025, 1, 1),
    )
    submitted(serial="L-1")
    second = submitted(serial="L-2")
    assert second.state == State.SUBMITTED
    assert second.snapshot["buyer_cap"]["lifting"] == {"id": rule.pk, "document": "海农发〔2026〕5号"}
    assert second.snapshot["buyer_cap"]["cap"] == "60000.00"


def test_a_complete_set_above_the_central_limit_a_set_is_refused_R16(cast, submitted, product):
    from catalog.models import CatalogueLimit, LimitKind

    Item.objects.filter(pk=product.item_id).update(is_complete_set=True)
    CatalogueLimit.objects.filter(kind=LimitKind.COMPLETE_SET_CENTRAL, valid_to__isnull=True).update(value=15000)
    with pytest.raises(ApplicationError) as refused:
        submitted(serial="SET-1")
    assert refused.value.rule == "R16"


def test_the_cap_is_checked_again_on_payment_R24(cast, haidian, fund, requested, second_finance):
    from payments import services as payments
    from payments.models import PaymentBatch
    from payments.services import PaymentError
    from tests.payments.conftest import return_file

    fund(haidian)
    first, second = requested(serial="PC-1"), requested(serial="PC-2")
    batch = payments.build_batch(officer=cast["finance"], application_ids=[first.pk])
    payments.approve_batch(batch_id=batch.pk, officer=second_finance)
    payments.export_batch(batch_id=batch.pk, officer=cast["finance"], file_format="csv")
    payments.import_return(
        batch_id=batch.pk,
        officer=cast["finance"],
        data=return_file(batch, [(first, "成功", "CAP-V1", None, "")]),
        file_name="r.csv",
    )
    # The municipality lowers the cap after both were submitted.
    BuyerCap.objects.create(buyer_kind="individual", amount=Decimal("20000"), valid_from=date(2025, 6, 1))
    with pytest.raises(PaymentError) as refused:
        payments.build_batch(officer=cast["finance"], application_ids=[second.pk])
    assert refused.value.rule == "R24"
    assert PaymentBatch.objects.count() == 1


def test_two_requests_of_one_buyer_in_one_batch_count_together_against_the_cap_R24(cast, haidian, fund, requested):
    """Each fits the cap alone; together they pass it: the batch is refused, naming the second."""
    from payments import services as payments
    from payments.models import PaymentBatch
    from payments.services import PaymentError

    fund(haidian)
    first, second = requested(serial="PT-1"), requested(serial="PT-2")
    BuyerCap.objects.create(buyer_kind="individual", amount=Decimal("30000"), valid_from=date(2025, 6, 1))
    with pytest.raises(PaymentError) as refused:
        payments.build_batch(officer=cast["finance"], application_ids=[first.pk, second.pk])
    assert refused.value.rule == "R24" and second.number in refused.value.message
    assert not PaymentBatch.objects.exists()
    assert payments.build_batch(officer=cast["finance"], application_ids=[first.pk]).items.count() == 1
