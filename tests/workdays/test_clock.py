"""A deadline clock paused and resumed with the working days that remain (R34: an objection pauses the notice)."""

import datetime

import pytest

from workdays.clock import Clock, ClockError, Pause

pytestmark = pytest.mark.django_db


def d(text):
    return datetime.date.fromisoformat(text)


# A 5-working-day public notice opened on Monday 28 September 2026; unpaused it ends on Saturday 10 October
# (09-29, 09-30, 10-08, 10-09, and 10-10, a Saturday worked).
NOTICE = Clock(start=d("2026-09-28"), working_days=5)


def test_unpaused_notice_runs_across_national_day_R34():
    state = NOTICE.state()
    assert (state.due, state.remaining, state.paused) == (d("2026-10-10"), 5, False)


def test_paused_before_national_day_and_resumed_after_it_keeps_the_remaining_days_R34():
    """R34: an objection on 09-30 stops the notice after 2 working days; resumed on 10-09, 3 remain."""
    paused = NOTICE.pause(d("2026-09-30"))
    state = paused.state()
    assert (state.due, state.remaining, state.paused) == (None, 3, True)

    resumed = paused.resume(d("2026-10-09"))
    assert resumed.pauses == (Pause(d("2026-09-30"), d("2026-10-09")),)
    state = resumed.state()
    assert (state.due, state.remaining, state.paused) == (d("2026-10-13"), 3, False)


def test_pausing_and_resuming_the_same_day_changes_nothing_R34():
    assert NOTICE.pause(d("2026-09-30")).resume(d("2026-09-30")).state().due == d("2026-10-10")


def test_a_pause_that_lies_inside_the_holiday_costs_no_working_days_R34():
    clock = NOTICE.pause(d("2026-10-03")).resume(d("2026-10-05"))
    assert clock.state().due == d("2026-10-10")


def test_two_pauses_add_up_R34():
    clock = NOTICE.pause(d("2026-09-29")).resume(d("2026-10-08")).pause(d("2026-10-09")).resume(d("2026-10-12"))
    # A resume day is day 0, like the start: counted are 09-29; 10-09; then 10-13, 10-14 and 10-15.
    assert clock.state().due == d("2026-10-15")


def test_a_pause_after_the_deadline_leaves_the_deadline_where_it_was():
    clock = Clock(start=d("2026-09-28"), working_days=2).pause(d("2026-10-08"))
    state = clock.state()
    assert (state.due, state.paused) == (d("2026-09-30"), False)


def test_a_clock_running_into_an_unconfirmed_year_names_it():
    clock = Clock(start=d("2026-12-30"), working_days=3).pause(d("2026-12-31")).resume(d("2027-01-04"))
    state = clock.state()
    assert (state.due, state.unconfirmed_years) == (d("2027-01-06"), (2027,))


def test_pause_and_resume_refuse_what_does_not_fit():
    with pytest.raises(ClockError):
        NOTICE.resume(d("2026-10-09"))
    with pytest.raises(ClockError):
        NOTICE.pause(d("2026-09-27"))
    paused = NOTICE.pause(d("2026-09-30"))
    with pytest.raises(ClockError):
        paused.pause(d("2026-10-01"))
    with pytest.raises(ClockError):
        paused.resume(d("2026-09-29"))
