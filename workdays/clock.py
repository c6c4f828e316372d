"""A deadline clock in working days that can be paused and resumed (an objection pauses the public notice, R34).

Pure values: the applications app stores the start, the working days and the pauses in its own rows and builds
a ``Clock`` from them. Working days in (start, pause] have elapsed; on resume at date r the rest runs from r, so
the due date is ``add_working_days(r, n - elapsed)``. Pausing and resuming on the same day changes nothing.
"""

import datetime
from dataclasses import dataclass

from .calendar import Calendar


class ClockError(ValueError):
    """A pause or resume that does not fit the clock's history."""


@dataclass(frozen=True)
class Pause:
    paused_on: datetime.date
    resumed_on: datetime.date | None = None


@dataclass(frozen=True)
class ClockState:
    """Where a clock stands: its due date (None while paused), the working days left when it last stopped or
    restarted, and the years on the way whose calendar is not confirmed."""

    due: datetime.date | None
    remaining: int
    paused: bool
    unconfirmed_years: tuple[int, ...]


@dataclass(frozen=True)
class Clock:
    start: datetime.date
    working_days: int
    pauses: tuple[Pause, ...] = ()

    @property
    def paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1].resumed_on is None

    def pause(self, on: datetime.date) -> "Clock":
        if self.paused:
            raise ClockError("the clock is already paused")
        running_since = self.pauses[-1].resumed_on if self.pauses else self.start
        if on < running_since:
            raise ClockError(f"cannot pause on {on.isoformat()}: the clock runs from {running_since.isoformat()}")
        return Clock(self.start, self.working_days, (*self.pauses, Pause(on)))

    def resume(self, on: datetime.date) -> "Clock":
        if not self.paused:
            raise ClockError("the clock is not paused")
        last = self.pauses[-1]
        if on < last.paused_on:
            raise ClockError(f"cannot resume on {on.isoformat()}: the clock was paused on {last.paused_on.isoformat()}")
        return Clock(self.start, self.working_days, (*self.pauses[:-1], Pause(last.paused_on, on)))

    def state(self, *, calendar: Calendar | None = None) -> ClockState:
        """Walk the running stretches; pass a shared ``calendar`` to read the special days once for many clocks."""
        calendar = calendar or Calendar()
        remaining = self.working_days
        running_since = self.start
        for pause in self.pauses:
            elapsed = calendar.between(running_since, pause.paused_on)
            if elapsed > remaining:  # the deadline fell before this pause
                break
            remaining -= elapsed
            if pause.resumed_on is None:
                years = calendar.unconfirmed_years(self.start, pause.paused_on)
                return ClockState(due=None, remaining=remaining, paused=True, unconfirmed_years=years)
            running_since = pause.resumed_on
        due = calendar.add(running_since, remaining)
        years = calendar.unconfirmed_years(self.start, due)
        return ClockState(due=due, remaining=remaining, paused=False, unconfirmed_years=years)
