"""The committed calendar for 2024–2026 agrees with chinese-calendar day by day; the package is used only here."""

import csv
import datetime

import chinese_calendar
import pytest

from workdays.calendar import Calendar
from workdays.data.make_seed import SEED_FILE, seed_rows
from workdays.models import CalendarYear

FIRST, LAST = datetime.date(2024, 1, 1), datetime.date(2026, 12, 31)


def every_day():
    return [FIRST + datetime.timedelta(days=i) for i in range((LAST - FIRST).days + 1)]


def committed_rows():
    with SEED_FILE.open(encoding="utf-8", newline="") as seed:
        return [(datetime.date.fromisoformat(r["date"]), r["kind"], r["note"]) for r in csv.DictReader(seed)]


def test_committed_file_is_what_chinese_calendar_gives():
    assert committed_rows() == seed_rows()


def test_committed_file_gives_chinese_calendars_working_days_for_every_day_of_2024_to_2026():
    special = {day: kind for day, kind, _ in committed_rows()}
    for day in every_day():
        from_file = special[day] == "workday" if day in special else day.weekday() < 5
        assert from_file == chinese_calendar.is_workday(day), day


def test_committed_file_has_chinese_notes():
    notes = {note for _, _, note in committed_rows()}
    assert {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节", "春节调休", "国庆节调休"} <= notes


@pytest.mark.django_db
def test_migration_loads_2024_to_2026_confirmed_and_the_arithmetic_agrees_with_chinese_calendar():
    assert list(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True).order_by("year")) == [
        2024,
        2025,
        2026,
    ]
    calendar = Calendar()
    for day in every_day():
        assert calendar.is_working_day(day) == chinese_calendar.is_workday(day), day
    assert calendar.unconfirmed_years(FIRST, LAST) == ()
