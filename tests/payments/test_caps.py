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
