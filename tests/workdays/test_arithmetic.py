"""Working-day arithmetic on the seeded 2026 calendar (R30, R34, R40): day 0 is the day of receipt."""

import datetime

import pytest

from workdays.calendar import add_working_days, due_date, is_working_day, unconfirmed_years, working_days_between
from workdays.models import CalendarYear, DayKind, SpecialDay

pytestmark = pytest.mark.django_db


def d(text):
    return datetime.date.fromisoformat(text)


def test_national_day_week_2026_R30():
    for off in ("2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"):
        assert not is_working_day(d(off)), off
    assert is_working_day(d("2026-10-08"))
    assert is_working_day(d("2026-10-10"))  # Saturday worked (国庆节调休)
    assert not is_working_day(d("2026-10-11"))
    # Received on Wednesday 30 September: accept within 2 working days (R30) means by Friday 9 October.
    assert add_working_days(d("2026-09-30"), 1) == d("2026-10-08")
    assert add_working_days(d("2026-09-30"), 2) == d("2026-10-09")
    assert add_working_days(d("2026-09-30"), 3) == d("2026-10-10")
    assert add_working_days(d("2026-09-30"), 4) == d("2026-10-12")


def test_public_notice_of_5_working_days_across_national_day_R34():
    assert add_working_days(d("2026-09-29"), 5) == d("2026-10-12")
    assert working_days_between(d("2026-09-30"), d("2026-10-12")) == 4


def test_spring_festival_2026_with_adjusted_saturdays():
    for off in ("2026-02-15", "2026-02-16", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23"):
        assert not is_working_day(d(off)), off
    assert is_working_day(d("2026-02-14"))  # Saturday worked (春节调休)
    assert is_working_day(d("2026-02-28"))  # Saturday worked (春节调休)
    assert add_working_days(d("2026-02-13"), 1) == d("2026-02-14")
    assert add_working_days(d("2026-02-13"), 2) == d("2026-02-24")
    assert add_working_days(d("2026-02-24"), 4) == d("2026-02-28")
    assert working_days_between(d("2026-02-13"), d("2026-02-28")) == 6


def test_labour_day_2026():
    for off in ("2026-05-01", "2026-05-04", "2026-05-05"):
        assert not is_working_day(d(off)), off
    assert is_working_day(d("2026-05-09"))  # Saturday worked (劳动节调休)
    assert add_working_days(d("2026-04-30"), 1) == d("2026-05-06")
    assert add_working_days(d("2026-04-30"), 4) == d("2026-05-09")
    assert add_working_days(d("2026-04-30"), 5) == d("2026-05-11")


def test_from_a_friday_one_working_day_is_the_next_monday_unless_that_is_a_holiday_R30():
    assert add_working_days(d("2026-04-24"), 1) == d("2026-04-27")
    assert add_working_days(d("2026-04-03"), 1) == d("2026-04-07")  # Monday 6 April is 清明节
    assert add_working_days(d("2026-10-03"), 0) == d("2026-10-03")  # day 0 is the day of receipt, even a holiday


def test_working_days_between_counts_the_half_open_interval_and_is_signed():
    assert working_days_between(d("2026-10-09"), d("2026-10-09")) == 0
    assert working_days_between(d("2026-10-09"), d("2026-10-12")) == 2
    assert working_days_between(d("2026-10-12"), d("2026-10-09")) == -2


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(d("2026-10-09"), -1)


def test_due_date_in_a_confirmed_year_has_no_warning():
    result = due_date(d("2026-09-30"), 2)
    assert (result.date, result.unconfirmed_years) == (d("2026-10-09"), ())


def test_unconfirmed_2027_counts_weekends_only_and_says_so_R40():
    # 2027 has no calendar yet: 1 January (a Friday) counts as a working day.
    result = due_date(d("2026-12-31"), 1)
    assert (result.date, result.unconfirmed_years) == (d("2027-01-01"), (2027,))
    assert due_date(d("2027-09-30"), 5).date == d("2027-10-07")
    assert unconfirmed_years(d("2026-06-01"), d("2028-01-01")) == (2027, 2028)


def test_a_year_entered_but_not_confirmed_is_ignored_until_confirmed():
    year = CalendarYear.objects.create(year=2027)
    SpecialDay.objects.create(calendar_year=year, date=d("2027-10-01"), kind=DayKind.HOLIDAY, note="国庆节")
    assert is_working_day(d("2027-10-01"))
    assert due_date(d("2027-09-30"), 1).unconfirmed_years == (2027,)
    year.confirmed = True
    year.save()
    result = due_date(d("2027-09-30"), 1)
    assert (result.date, result.unconfirmed_years) == (d("2027-10-04"), ())


def test_due_date_reads_the_calendar_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert due_date(d("2026-12-30"), 5).date == d("2027-01-06")
    with django_assert_num_queries(1):
        assert (
            working_days_between(d("2024-01-01"), d("2026-12-31")) == 747
        )  # chinese-calendar: 251 + 248 + 248, less 2024-01-01
