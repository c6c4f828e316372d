"""R7, R14–R18: amounts per grade and fund source, checked against the ratio rules in force, and versioned."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from catalog.errors import CatalogueError
from catalog.models import Amount, AmountInForce, CatalogueEvent, FundSource, PriceSource, RatioClass
from catalog.rules import rules_in_force
from catalog.services import record_market_price, set_amount, set_ratio_ceiling

from .conftest import START, grade, priced

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeder():
    return grade("2.2.3", "4行单粒播种机", "行数=4")


def price(g, value="10000", source=PriceSource.SUBSIDY_DATA, assessments=()):
    return record_market_price(grade=g, year=2023, average_price=Decimal(value), source=source, assessments=assessments)


def amount(g, fund, value, ratio, market_price, valid_from=START):
    return set_amount(
        grade=g,
        fund_source=fund,
        amount=Decimal(value),
        ratio=Decimal(ratio),
        market_price=market_price,
        valid_from=valid_from,
    )


def test_amount_within_ratio_times_price_is_set_R14(seeder):
    row = amount(seeder, FundSource.CENTRAL, "3000", "0.30", price(seeder))
    assert (row.amount, row.ratio, row.valid_from, row.valid_to) == (Decimal("3000.00"), Decimal("0.30"), START, None)
    event = CatalogueEvent.objects.get(action="amount_set")
    assert (event.subject_id, event.data["amount"], event.data["fund_source"]) == (row.pk, "3000.00", "central")


def test_amount_above_ratio_times_price_is_refused_R14(seeder):
    with pytest.raises(CatalogueError) as exc:
        amount(seeder, FundSource.CENTRAL, "3000.01", "0.30", price(seeder))
    assert exc.value.rule == "R14"
    assert "¥3000.00" in str(exc.value)
    assert Amount.objects.count() == 0


@pytest.mark.parametrize(
    ("fund", "ratio", "rule"),
    [(FundSource.CENTRAL, "0.31", "R15"), (FundSource.MUNICIPAL, "0.36", "R15"), (FundSource.DISTRICT, "0.36", "R15")],
)
def test_amount_above_ratio_ceiling_is_refused_R15(seeder, fund, ratio, rule):
    with pytest.raises(CatalogueError) as exc:
        amount(seeder, fund, "100", ratio, price(seeder))
    assert exc.value.rule == rule
    assert "R15" in str(exc.value)
    assert Amount.objects.count() == 0


@pytest.mark.parametrize(
    ("fund", "ratio"), [(FundSource.CENTRAL, "0.30"), (FundSource.MUNICIPAL, "0.35"), (FundSource.DISTRICT, "0.35")]
)
def test_ratio_at_the_ceiling_is_accepted_R15(seeder, fund, ratio):
    assert amount(seeder, fund, "100", ratio, price(seeder)).ratio == Decimal(ratio)


def test_key_machinery_may_reach_35_percent_R17(seeder, tomorrow):
    seeder.is_key = True
    seeder.save()
    assert seeder.ratio_class == RatioClass.KEY
    assert amount(seeder, FundSource.CENTRAL, "3500", "0.35", price(seeder)).amount == Decimal("3500.00")
    with pytest.raises(CatalogueError) as exc:
        amount(seeder, FundSource.CENTRAL, "3600", "0.36", price(seeder), valid_from=tomorrow)
    assert exc.value.rule == "R17"


def test_crawler_tractors_and_mobile_dryers_may_reach_40_percent_R17():
    crawler = grade("16.1.2", "履带式拖拉机 70马力以上", "功率≥70马力")
    assert crawler.ratio_class == RatioClass.RAISED
    assert amount(crawler, FundSource.CENTRAL, "40000", "0.40", price(crawler, "100000")).ratio == Decimal("0.40")
    dryer = grade("14.1.2", "移动式烘干机 批处理量10t以上", "批处理量≥10t", raised=True)
    with pytest.raises(CatalogueError) as exc:
        amount(dryer, FundSource.CENTRAL, "41000", "0.41", price(dryer, "100000"))
    assert exc.value.rule == "R17"


def test_wheeled_tractors_are_lowered_to_15_percent_R18(tractor_grades):
    two_wheel = tractor_grades[0]
    assert two_wheel.ratio_class == RatioClass.WHEELED_TRACTOR
    with pytest.raises(CatalogueError) as exc:
        amount(two_wheel, FundSource.CENTRAL, "15300", "0.30", price(two_wheel, "60000"))
    assert exc.value.rule == "R18"
    assert "15%" in str(exc.value)
    assert amount(two_wheel, FundSource.CENTRAL, "9000", "0.15", price(two_wheel, "60000")).amount == Decimal("9000.00")


def test_power_shift_tractor_grades_keep_the_general_ceiling_R18():
    power_shift = grade("16.1.1", "200马力动力换挡拖拉机", "功率≥200马力", power_shift_or_cvt=True)
    assert power_shift.ratio_class == RatioClass.GENERAL
    assert amount(power_shift, FundSource.CENTRAL, "90000", "0.30", price(power_shift, "300000")).ratio == Decimal(
        "0.30"
    )


def test_oversupplied_wheeled_tractor_grades_are_lowered_to_10_percent_R18():
    old = grade("16.1.1", "20马力以下四轮驱动拖拉机", "功率<20马力;驱动方式:四轮驱动", oversupplied=True)
    assert old.ratio_class == RatioClass.WHEELED_TRACTOR_OVERSUPPLIED
    with pytest.raises(CatalogueError) as exc:
        amount(old, FundSource.CENTRAL, "1100", "0.11", price(old))
    assert (exc.value.rule, "10%" in str(exc.value)) == ("R18", True)


def test_oversupplied_items_are_lowered_to_20_percent_R18(seeder):
    seeder.oversupplied = True
    seeder.save()
    with pytest.raises(CatalogueError) as exc:
        amount(seeder, FundSource.MUNICIPAL, "2100", "0.21", price(seeder))
    assert exc.value.rule == "R18"


def test_third_party_price_needs_two_assessments_R14(seeder):
    with pytest.raises(CatalogueError) as exc:
        price(seeder, source=PriceSource.THIRD_PARTY, assessments=[("评估机构甲", "9800")])
    assert exc.value.rule == "R14"
    two = price(seeder, source=PriceSource.THIRD_PARTY, assessments=[("评估机构甲", "9800"), ("评估机构乙", "10200")])
    assert two.assessments.count() == 2


def test_complete_set_central_amount_is_capped_at_600000_R16():
    complete = grade(
        "9.1.1",
        "蜜蜂养殖成套设备 大型",
        "箱数≥500",
    )
    complete.item.is_complete_set = True
    complete.item.save()
    market_price = price(complete, "3000000")
    with pytest.raises(CatalogueError) as exc:
        amount(complete, FundSource.CENTRAL, "600000.01", "0.30", market_price)
    assert exc.value.rule == "R16"
    assert amount(complete, FundSource.CENTRAL, "600000", "0.30", market_price).amount == Decimal("600000.00")


def test_municipal_catalogue_items_have_no_central_amount_R6():
    bind = grade("1.1.1", "电动绑蔓机", "类型:电动", scope="municipal")
    with pytest.raises(CatalogueError) as exc:
        amount(bind, FundSource.CENTRAL, "100", "0.30", price(bind))
    assert exc.value.rule == "R6"


def test_ceilings_are_rows_in_force_on_a_date_R15(seeder, tomorrow):
    assert rules_in_force(on=START).ceiling(fund_source="central", ratio_class="general").value == Decimal("0.30")
    set_ratio_ceiling(fund_source="central", ratio_class="general", ceiling="0.25", valid_from=tomorrow, rule="R15")
    assert rules_in_force(on=tomorrow - timedelta(days=1)).ceiling(
        fund_source="central", ratio_class="general"
    ).value == Decimal("0.30")
    assert rules_in_force(on=tomorrow).ceiling(fund_source="central", ratio_class="general").value == Decimal("0.25")
    amount(seeder, FundSource.CENTRAL, "3000", "0.30", price(seeder))
    with pytest.raises(CatalogueError):
        amount(seeder, FundSource.CENTRAL, "2800", "0.28", price(seeder), valid_from=tomorrow)


def test_changing_an_amount_closes_the_old_row_and_opens_a_new_one_R7(seeder, tomorrow):
    old = amount(seeder, FundSource.CENTRAL, "3000", "0.30", price(seeder))
    new = amount(seeder, FundSource.CENTRAL, "2500", "0.25", price(seeder), valid_from=tomorrow)
    old.refresh_from_db()
    assert (old.amount, old.valid_from, old.valid_to) == (Decimal("3000.00"), START, tomorrow)
    assert (new.amount, new.valid_from, new.valid_to) == (Decimal("2500.00"), tomorrow, None)


def test_a_change_may_not_rewrite_the_past_R41(seeder, today):
    amount(seeder, FundSource.CENTRAL, "3000", "0.30", price(seeder))
    with pytest.raises(CatalogueError) as exc:
        amount(seeder, FundSource.CENTRAL, "2000", "0.20", price(seeder), valid_from=today - timedelta(days=1))
    assert exc.value.rule == "R41"
    assert Amount.objects.count() == 1


def test_an_amount_in_force_is_never_edited_R7(seeder):
    row = amount(seeder, FundSource.CENTRAL, "3000", "0.30", price(seeder))
    row.amount = Decimal("2999")
    with pytest.raises(AmountInForce):
        row.save()
    with pytest.raises(AmountInForce):
        row.delete()
    assert Amount.objects.get(pk=row.pk).amount == Decimal("3000.00")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_editing_an_amount_in_force_R7(seeder):
    row = amount(seeder, FundSource.CENTRAL, "3000", "0.30", price(seeder))
    with pytest.raises(DatabaseError), transaction.atomic():
        Amount.objects.filter(pk=row.pk).update(amount=Decimal("1"))
    with pytest.raises(DatabaseError), transaction.atomic():
        Amount.objects.filter(pk=row.pk).delete()
    assert Amount.objects.get(pk=row.pk).amount == Decimal("3000.00")


def test_money_is_quantised_half_up(seeder):
    assert priced(seeder, FundSource.DISTRICT, "100.005", ratio="0.35").amount == Decimal("100.01")


def test_reference_tractor_amount_checked_against_its_price_R14(tractor_grades):
    assert amount(
        tractor_grades[0], FundSource.CENTRAL, "9000.00", "0.15", price(tractor_grades[0], "60000")
    ).valid_from == date(2024, 1, 1)


def test_general_purpose_amount_stays_within_the_national_maximum_R17(seeder):
    seeder.item.general_purpose = True
    seeder.item.save()
    seeder.national_max_amount = Decimal("2000")
    seeder.save()
    with pytest.raises(CatalogueError) as exc:
        amount(seeder, FundSource.CENTRAL, "2000.01", "0.30", price(seeder))
    assert exc.value.rule == "R17"
    assert amount(seeder, FundSource.CENTRAL, "2000", "0.30", price(seeder)).amount == Decimal("2000.00")


def test_key_general_purpose_grade_may_exceed_the_national_maximum_by_20_percent_R17(seeder):
    seeder.item.general_purpose = True
    seeder.item.save()
    seeder.national_max_amount = Decimal("2000")
    seeder.is_key = True
    seeder.save()
    with pytest.raises(CatalogueError) as exc:
        amount(seeder, FundSource.CENTRAL, "2400.01", "0.35", price(seeder))
    assert (exc.value.rule, "+ 20%" in str(exc.value)) == ("R17", True)
    assert amount(seeder, FundSource.CENTRAL, "2400", "0.35", price(seeder)).amount == Decimal("2400.00")


def test_raised_grade_may_exceed_last_years_amount_by_20_percent_R17(tomorrow):
    crawler = grade("16.1.2", "履带式拖拉机 70马力以上", "功率≥70马力")
    amount(crawler, FundSource.CENTRAL, "20000", "0.40", price(crawler, "100000"))
    with pytest.raises(CatalogueError) as exc:
        amount(crawler, FundSource.CENTRAL, "24000.01", "0.40", price(crawler, "100000"), valid_from=tomorrow)
    assert exc.value.rule == "R17"
    assert amount(crawler, FundSource.CENTRAL, "24000", "0.40", price(crawler, "100000"), valid_from=tomorrow)


def test_only_the_municipal_bureau_sets_amounts_R14(seeder, cast):
    from django.core.exceptions import PermissionDenied

    market_price = price(seeder)
    with pytest.raises(PermissionDenied):
        set_amount(
            grade=seeder,
            fund_source=FundSource.CENTRAL,
            amount="100",
            ratio="0.30",
            market_price=market_price,
            valid_from=START,
            by=cast["officer"],
        )
    assert Amount.objects.count() == 0
    row = set_amount(
        grade=seeder,
        fund_source=FundSource.CENTRAL,
        amount="100",
        ratio="0.30",
        market_price=market_price,
        valid_from=START,
        by=cast["city"],
    )
    assert row.created_by == cast["city"]
