"""R8, R9, R16: flags whose limits are rows; going past a limit is refused and changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from catalog.errors import CatalogueError
from catalog.models import CatalogueEvent, InnovationKind, InnovationListing, Item, LimitKind, Scope
from catalog.rules import innovation_central_ceiling, rules_in_force
from catalog.services import list_innovation_product, set_grade_flags, set_item_flags, set_limit

from .conftest import grade

pytestmark = pytest.mark.django_db


def central_items(n):
    return list(Item.objects.filter(scope=Scope.CENTRAL).order_by("sort_key")[:n])


def test_the_limits_ship_as_rows_R8_R9_R16_R17():
    rules = rules_in_force(on=date(2025, 1, 1))
    assert {k: rules.limit(k) for k in LimitKind.values} == {
        "key_items": Decimal("10"),
        "key_grades": Decimal("20"),
        "innovation_items": Decimal("10"),
        "complete_set_central": Decimal("600000"),
        "raise_margin": Decimal("0.20"),
        "innovation_central_share": Decimal("0.15"),
        "innovation_small_budget": Decimal("10000000"),
        "innovation_small_budget_cap": Decimal("1500000"),
        "outside_base_min_supply": None,  # R5: published by the municipality later, not shipped
    }


@pytest.mark.parametrize(
    ("funds", "ceiling"),
    [("20000000", "3000000.00"), ("10000000", "1500000.00"), ("9999999.99", "1500000.00"), ("4000000", "1500000.00")],
)
def test_innovation_products_use_at_most_15_percent_or_1_5_million_of_central_funds_R9(funds, ceiling):
    assert innovation_central_ceiling(year=2025, central_funds=Decimal(funds)) == Decimal(ceiling)


def test_an_eleventh_key_item_is_refused_R8(cast):
    items = central_items(11)
    for it in items[:10]:
        set_item_flags(item=it, by=cast["city"], reason="重点支持", is_key=True)
    with pytest.raises(CatalogueError) as exc:
        set_item_flags(item=items[10], by=cast["city"], reason="重点支持", is_key=True)
    assert exc.value.rule == "R8"
    assert "10" in str(exc.value)
    assert Item.objects.filter(is_key=True).count() == 10
    assert not Item.objects.get(pk=items[10].pk).is_key
    assert CatalogueEvent.objects.filter(action="item_flags_changed").count() == 10


def test_a_twenty_first_key_grade_is_refused_R8(cast):
    grades = [grade("2.2.3", f"{n}行单粒播种机", f"行数={n}") for n in range(1, 22)]
    for g in grades[:20]:
        set_grade_flags(grade=g, by=cast["city"], reason="重点档次", is_key=True)
    with pytest.raises(CatalogueError) as exc:
        set_grade_flags(grade=grades[20], by=cast["city"], reason="重点档次", is_key=True)
    assert exc.value.rule == "R8"
    assert grades[20].__class__.objects.filter(is_key=True).count() == 20


def test_the_key_limit_is_a_row_the_bureau_changes_R8(cast, today):
    set_limit(kind=LimitKind.KEY_ITEMS, value=1, valid_from=today, rule="R8")
    first, second = central_items(2)
    set_item_flags(item=first, by=cast["city"], reason="重点", is_key=True)
    with pytest.raises(CatalogueError):
        set_item_flags(item=second, by=cast["city"], reason="重点", is_key=True)


def test_only_the_municipal_bureau_flags_items(cast):
    with pytest.raises(PermissionDenied):
        set_item_flags(item=central_items(1)[0], by=cast["officer"], reason="x", is_high_risk=True)


def test_flags_for_verification_are_recorded_with_reason_R32_R45(cast):
    it = central_items(1)[0]
    set_item_flags(item=it, by=cast["city"], reason="现场演示发现问题风险", is_high_risk=True, is_installation=True)
    it.refresh_from_db()
    assert (it.is_high_risk, it.is_installation) == (True, True)
    event = CatalogueEvent.objects.get(action="item_flags_changed")
    assert (event.actor, event.reason, event.data["after"]) == (
        cast["city"],
        "现场演示发现问题风险",
        {"is_high_risk": True, "is_installation": True},
    )


def test_an_eleventh_innovation_item_in_a_year_is_refused_strategic_ones_not_counted_R9(cast):
    items = central_items(13)
    for it in items[:10]:
        list_innovation_product(item=it, year=2025, kind=InnovationKind.NEW_PRODUCT, by=cast["city"])
    strategic = list_innovation_product(
        item=items[10], year=2025, kind=InnovationKind.SPECIAL_APPRAISAL, strategic=True, by=cast["city"]
    )
    assert strategic.strategic
    with pytest.raises(CatalogueError) as exc:
        list_innovation_product(item=items[11], year=2025, kind=InnovationKind.NEW_PRODUCT, by=cast["city"])
    assert exc.value.rule == "R9"
    assert InnovationListing.objects.filter(year=2025).count() == 11
    # a new year starts again
    assert list_innovation_product(item=items[12], year=2026, kind=InnovationKind.NEW_PRODUCT, by=cast["city"])
