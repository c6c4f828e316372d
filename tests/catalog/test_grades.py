"""R6, R14: a grade is defined by structured key parameters, and a machine lands in exactly one grade."""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from catalog.errors import CatalogueError
from catalog.grading import describe, parse_declared, parse_parameter, parse_parameters
from catalog.selectors import find_grade, matching_grades

from .conftest import grade, item

pytestmark = pytest.mark.django_db

ON = date(2025, 6, 1)
REFERENCE = Path(__file__).resolve().parents[2] / "catalog" / "data" / "reference-grades.csv"


@pytest.fixture
def reference_grades(db):
    with REFERENCE.open(encoding="utf-8") as f:
        return [grade(r["item_code"], r["grade_name"], r["parameters"]) for r in csv.DictReader(f)]


def test_every_reference_parameter_is_read_and_printed_back_R6():
    with REFERENCE.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            specs = parse_parameters(row["parameters"])
            assert ";".join(describe(s) for s in specs) == row["parameters"].replace("3—4", "3—4")


def test_half_open_range_and_enumeration_are_structured_R6():
    power = parse_parameter("55马力≤功率<60马力")
    assert (power.name, power.unit, power.lower, power.lower_inclusive, power.upper, power.upper_inclusive) == (
        "功率",
        "马力",
        Decimal("55"),
        True,
        Decimal("60"),
        False,
    )
    drive = parse_parameter("驱动方式:两轮驱动")
    assert (drive.name, drive.kind, drive.choices) == ("驱动方式", "choice", ["两轮驱动"])
    count = parse_parameter("铧体个数3—4")
    assert (count.lower, count.upper, count.upper_inclusive) == (Decimal("3"), Decimal("4"), True)
    width = parse_parameter("单体幅宽<35cm")
    assert (width.lower, width.upper, width.unit) == (None, Decimal("35"), "cm")


def test_57_horsepower_two_wheel_drive_lands_in_exactly_one_grade_R6(reference_grades):
    tractors = item("16.1.1")
    found = find_grade(item=tractors, declared={"功率": "57马力", "驱动方式": "两轮驱动"}, on=ON)
    assert found.name == "55—60马力两轮驱动拖拉机"
    assert len(matching_grades(item=tractors, declared={"功率": 57, "驱动方式": "两轮驱动"}, on=ON)) == 1


def test_bounds_are_inclusive_below_and_exclusive_above_R6(reference_grades):
    tractors = item("16.1.1")
    assert find_grade(item=tractors, declared={"功率": "60马力", "驱动方式": "两轮驱动"}, on=ON).name == (
        "60—65马力两轮驱动拖拉机"
    )
    assert find_grade(item=tractors, declared={"功率": "100", "驱动方式": "两轮驱动"}, on=ON).name == (
        "100马力及以上两轮驱动拖拉机"
    )
    assert find_grade(item=tractors, declared={"功率": "19.9马力", "驱动方式": "四轮驱动"}, on=ON).name == (
        "20马力以下四轮驱动拖拉机"
    )


def test_power_in_kilowatts_is_converted_R6(reference_grades):
    # 42 kW = 57.1 马力
    found = find_grade(item=item("16.1.1"), declared={"功率": "42kW", "驱动方式": "两轮驱动"}, on=ON)
    assert found.name == "55—60马力两轮驱动拖拉机"


def test_declared_values_in_no_grade_are_refused_with_the_reason_R6(reference_grades):
    with pytest.raises(CatalogueError) as exc:
        find_grade(item=item("16.1.1"), declared={"功率": "57马力", "驱动方式": "四轮驱动"}, on=ON)
    assert exc.value.rule == "R6"
    assert "16.1.1 轮式拖拉机" in str(exc.value)
    with pytest.raises(CatalogueError):
        find_grade(item=item("16.1.1"), declared={"功率": "57马力"}, on=ON)


def test_overlapping_grades_are_refused_as_ambiguous_R6(reference_grades):
    grade("16.1.1", "50—70马力两轮驱动拖拉机(重叠)", "50马力≤功率<70马力;驱动方式:两轮驱动")
    with pytest.raises(CatalogueError) as exc:
        find_grade(item=item("16.1.1"), declared={"功率": "57", "驱动方式": "两轮驱动"}, on=ON)
    assert "55—60马力两轮驱动拖拉机" in str(exc.value)


def test_plough_grades_by_width_and_share_count_R6(reference_grades):
    plough = item("1.1.1")
    assert find_grade(item=plough, declared={"单体幅宽": "40cm", "铧体个数": 7}, on=ON).name == (
        "单体幅宽35—45cm 7铧及以上翻转犁"
    )
    assert find_grade(item=plough, declared={"单体幅宽": "0.3m", "铧体个数": 4}, on=ON).name == (
        "单体幅宽35cm以下3—4铧翻转犁"
    )


def test_a_grade_not_yet_in_force_is_not_found_R7(db):
    grade("1.2.1", "2—3m圆盘耙", "2m≤工作幅宽<3m", valid_from=date(2026, 1, 1))
    with pytest.raises(CatalogueError):
        find_grade(item=item("1.2.1"), declared={"工作幅宽": "2.5m"}, on=ON)
    assert find_grade(item=item("1.2.1"), declared={"工作幅宽": "2.5m"}, on=date(2026, 1, 1)).name == "2—3m圆盘耙"


def test_declared_values_typed_as_text():
    assert parse_declared("功率=57马力；驱动方式：两轮驱动") == {"功率": "57马力", "驱动方式": "两轮驱动"}
