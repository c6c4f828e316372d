"""The monthly figures, recomputed independently from the rows of October 2026 (the National Day week) and checked
against the report (R9, R19, R21–R24, R30–R37, R40)."""

import datetime
import math
from decimal import Decimal

import pytest

from applications.models import ApplicationEvent, EventAction
from reports.figures import changed_figures, compute
from reports.periods import Month
from tests.reports.scenario import build, is_working, working_days_between

OCTOBER = Month(2026, 10)


@pytest.fixture
def scenario(rows, haidian, changping, cast):
    return build(rows, haidian, changping, cast)


def _events_in(district, action, first, last):
    """Distinct applications with an event of ``action`` between two dates, counted in Python from the rows."""
    seen = set()
    for event in ApplicationEvent.objects.filter(application__district=district, action=action):
        day = event.at.astimezone(datetime.timezone(datetime.timedelta(hours=8))).date()
        if first <= day <= last:
            seen.add(event.application_id)
    return len(seen)


def test_october_2026_has_18_working_days_with_the_national_day_week(db):
    expected = sum(is_working(datetime.date(2026, 10, day)) for day in range(1, 32))
    assert expected == 18
    assert OCTOBER.working_days() == expected


def test_flow_month_and_year_to_date_recomputed_from_the_events_R30(scenario, haidian):
    figures = compute(month=OCTOBER, district=haidian)
    for key, action in (("accepted", EventAction.ACCEPT), ("received", EventAction.SUBMIT),
                        ("returned", EventAction.RETURN), ("paid", EventAction.PAY)):  # fmt: skip
        month = _events_in(haidian, action, OCTOBER.first, OCTOBER.last)
        ytd = _events_in(haidian, action, OCTOBER.year_first, OCTOBER.last)
        assert figures["applications"]["month"][key] == month, key
        assert figures["applications"]["ytd"][key] == ytd, key
    assert figures["applications"]["month"]["accepted"] == 2
    assert figures["applications"]["ytd"]["accepted"] == 5


def test_steps_met_late_and_open_past_due_count_working_days_over_the_holiday_R40(scenario, haidian):
    figures = compute(month=OCTOBER, district=haidian)
    steps = {(s["step"], s["working_days"]): s for s in figures["steps"]}
    accept = steps[("accept", 2)]
    assert (accept["met_m"], accept["late_m"]) == (2, 1)
    # Due 09-30, accepted 10-09: only 10-08 and 10-09 are working days in between.
    assert accept["days_over_m"] == working_days_between("2026-09-30", "2026-10-09") == 2
    assert (accept["met_y"], accept["late_y"]) == (3, 1)
    pay = steps[("pay", 15)]
    assert (pay["late_m"], pay["days_over_m"]) == (1, working_days_between("2026-10-16", "2026-10-20"))
    verify = steps[("verify", 13)]
    assert verify["open_past_due"] == 1
    assert verify["open_days_over"] == working_days_between("2026-09-18", "2026-10-31") == 26
    late = {(r["number"], r["step"]): r for r in figures["late"]["rows"]}
    row = late[(scenario["late_accept"].number, "accept")]
    assert (row["days_over"], row["met_on"], row["office"]) == (2, "2026-10-09", "agriculture")
    assert row["held_by"] == "o1"
    assert late[(scenario["paid"].number, "pay")]["office"] == "finance"
    assert late[(scenario["open_verify"].number, "verify")]["met_on"] is None


def test_funds_balances_pace_and_run_out_date_R21_R23(scenario, haidian):
    figures = compute(month=OCTOBER, district=haidian)
    funds = {r["source"]: r for r in figures["funds"]["rows"]}
    paid = scenario["paid"]
    central = funds["central"]
    assert central["allocated"] == "1000000.00"
    assert central["paid"] == f"{paid.central_amount:.2f}"  # November's payment is not counted
    assert Decimal(central["remaining"]) == Decimal("1000000.00") - paid.central_amount
    pace = (paid.central_amount / 18).quantize(Decimal("0.01"))
    assert central["pace"] == f"{pace:.2f}"
    # At that pace the money left lasts this many working days after 10-31.
    days_left = math.ceil(Decimal(central["remaining"]) / pace)
    day, n = datetime.date(2026, 10, 31), 0
    while n < days_left:
        day += datetime.timedelta(days=1)
        n += is_working(day)
    assert central["runs_out_on"] == day.isoformat()
    assert funds["municipal"]["cut"] == "50000.00"
    assert funds["district"]["realloc_out"] == "20000.00"
    assert funds["district"]["received"] == "180000.00"


def test_paid_by_source_item_and_the_national_tables(scenario, haidian):
    figures = compute(month=OCTOBER, district=haidian)
    paid = scenario["paid"]
    assert figures["by_source"]["month"]["central"] == f"{paid.central_amount:.2f}"
    assert figures["by_source"]["month"]["total"] == "20000.00"
    item = figures["by_item"][0]
    assert (item["code"], item["paid_m"], item["paid_amount_m"]) == (paid.product.item.code, 1, "20000.00")
    progress = figures["national"]["progress"][0]
    assert (progress["district_name"], progress["accepted"], progress["paid"]) == ("海淀区", 5, 1)
    assert progress["central"] == f"{paid.central_amount:.2f}"
    settlement = figures["national"]["settlement"][0]
    assert settlement["central_received"] == "1000000.00"
    assert settlement["municipal_received"] == "450000.00"
    expected_rate = (Decimal("20000") / Decimal("1630000") * 100).quantize(Decimal("0.01"))
    assert settlement["rate_percent"] == f"{expected_rate:.2f}"


def test_alerts_caps_deferrals_and_objections_R19_R24_R34_R36(scenario, haidian, changping):
    figures = compute(month=OCTOBER, district=haidian)
    assert figures["ratio_alerts"] == {"raised_m": 1, "raised_y": 1, "cleared_m": 1, "cleared_y": 1, "open_at_end": 0}
    assert figures["cap_liftings"] == [{"district_name": "海淀区", "document": "海农发〔2026〕3号", "m": 0, "y": 1}]
    assert figures["deferrals"] == [{"reason": "funds_short", "m": 1, "y": 1, "ended_m": 1, "running": 0}]
    assert figures["objections"]["received_m"] == 1 and figures["objections"]["open_at_end"] == 1
    other = compute(month=OCTOBER, district=changping)
    assert other["objections"]["upheld_m"] == 1 and other["applications"]["month"]["rejected"] == 1
    assert figures["oversight"]["sampling"]["runs_y"] == 0  # the oversight app is in service: zeros are real


def test_a_report_made_before_the_oversight_app_says_so_rather_than_zeros_R38(scenario, haidian):
    from reports.tables import tables

    figures = compute(month=OCTOBER, district=haidian)
    figures["oversight"] = {key: {"available": False} for key in figures["oversight"]}  # as schema 1 stored it
    laid_out = {t.key: t for t in tables(figures)}
    assert "oversight" in laid_out and "warnings" not in laid_out


def test_the_city_adds_up_the_districts(scenario, haidian, changping):
    city = compute(month=OCTOBER)
    one, two = compute(month=OCTOBER, district=haidian), compute(month=OCTOBER, district=changping)
    for key in city["applications"]["month"]:
        assert (
            city["applications"]["month"][key] == one["applications"]["month"][key] + two["applications"]["month"][key]
        )
    assert city["scope"] == {"district": None, "name": "北京市"}
    assert [r["district_name"] for r in city["national"]["progress"]] == ["海淀区", "昌平区"]
    district_total = next(t for t in city["funds"]["totals"] if t["source"] == "district")
    assert district_total["received"] == "200000.00"  # 20,000 moved from 海淀区 to 昌平区


def test_changed_figures_name_the_paths():
    old = {"a": {"b": 1, "c": [1, 2]}}
    new = {"a": {"b": 2, "c": [1, 3]}}
    assert changed_figures(old, new) == [
        {"path": "a.b", "old": 1, "new": 2},
        {"path": "a.c.1", "old": 2, "new": 3},
    ]
