"""What a buyer sees ahead on the timeline (UI.md "进度"): the steps still to come, each with the latest date it
should happen by on the working-day calendar, counted on from the step the application is in now (R30, R33–R36).

The dates are the longest each step may take by the plan (A1 §4(5)–(7)) and the district's own step lengths, so
they are "at the latest", never promises; a paused step (an objection being checked, a payment on hold) gives no
dates for what follows until it resumes.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from workdays.calendar import add_working_days

from .deadlines import working_days_for
from .models import Application, Step

#: The steps that follow each timed step, in order.
FOLLOWING = {
    Step.ACCEPT: [Step.VERIFY, Step.NOTICE, Step.HAND_OVER, Step.PAY],
    Step.VERIFY: [Step.NOTICE, Step.HAND_OVER, Step.PAY],
    Step.NOTICE: [Step.HAND_OVER, Step.PAY],
    Step.HAND_OVER: [Step.PAY],
    Step.PAY: [],
}

#: Each step in the buyer's words.
BUYER_STEP = {
    Step.VERIFY: _("The district checks the machine and the papers"),
    Step.NOTICE: _("Your application is published for 5 working days"),
    Step.HAND_OVER: _("The district hands it to the finance office"),
    Step.PAY: _("The subsidy is paid into your account"),
}


@dataclass(frozen=True)
class StepAhead:
    step: str
    label: str
    by: date | None  # the latest day, or None while the step before is paused


def steps_ahead(application: Application, open_deadlines: list) -> list[StepAhead]:
    """The steps after the one whose clock runs now (the overall 23-day clock aside)."""
    current = [d for d in open_deadlines if d.step in FOLLOWING]
    if not current:
        return []
    now = max(current, key=lambda d: list(FOLLOWING).index(d.step))
    day = None if now.paused else now.due_on
    ahead = []
    for step in FOLLOWING[now.step]:
        if day is not None:
            day = add_working_days(day, working_days_for(application, step, on=day))
        ahead.append(StepAhead(step=step, label=BUYER_STEP[step], by=day))
    return ahead
