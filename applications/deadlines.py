"""Deadlines as rows, on the working-day calendar (R30, R33–R36, R40; DESIGN "Deadlines").

A clock starts on the day of the event (day 0) and is due on its Nth working day. It pauses while the
application is under investigation and resumes with the working days it had left. Only ``workdays`` does date
arithmetic. Every write here also keeps ``Application.next_due`` (the queue's sort key: the earliest due date of
the open clocks) in the same transaction; a writer that changes clocks elsewhere calls ``refresh_next_due``.
"""

import datetime

from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone

from workdays.calendar import Calendar
from workdays.clock import Clock, Pause

from .models import NOTICE_WORKING_DAYS, OVERALL_WORKING_DAYS, Application, Deadline, Step
from .rules import district_rule_on, district_rules_at

#: Working days per step, as the implementing plan sets them (A1 §4(5)–(7)). Verification and hand-over are the
#: district's own (its rule in force when the clock starts; 13 and 5 unless it published others).
WORKING_DAYS = {
    Step.ACCEPT: 2,
    Step.NOTICE: NOTICE_WORKING_DAYS,
    Step.OVERALL: OVERALL_WORKING_DAYS,
    Step.PAY: 15,
}
DISTRICT_DAYS = {Step.VERIFY: "verify_days", Step.HAND_OVER: "hand_over_days"}


def working_days_for(application: Application, step: str, *, on: datetime.date) -> int:
    if step in DISTRICT_DAYS:
        return getattr(district_rule_on(application.district, on), DISTRICT_DAYS[step])
    return WORKING_DAYS[step]


def _clock(deadline: Deadline) -> Clock:
    pauses = tuple(
        Pause(datetime.date.fromisoformat(p), datetime.date.fromisoformat(r) if r else None) for p, r in deadline.pauses
    )
    return Clock(deadline.started_on, deadline.working_days, pauses)


def _refresh(deadline: Deadline, calendar: Calendar | None = None) -> None:
    state = _clock(deadline).state(calendar=calendar)
    deadline.due_on = state.due
    deadline.unconfirmed_years = list(state.unconfirmed_years)


def refresh_next_due(application: Application) -> None:
    """Store the earliest due date of the application's open clocks on it (None when none runs), on the row and on
    the instance, so that a later ``save()`` of the instance keeps it."""
    due = Deadline.objects.filter(application=application, met_at__isnull=True).aggregate(due=Min("due_on"))["due"]
    Application.objects.filter(pk=application.pk).update(next_due=due)
    application.next_due = due


def refresh_next_due_all(application_ids) -> None:
    """``refresh_next_due`` for many applications in one UPDATE (the sweep's batches)."""
    earliest = (
        Deadline.objects.filter(application=OuterRef("pk"), met_at__isnull=True)
        .order_by()
        .values("application")
        .annotate(due=Min("due_on"))
        .values("due")
    )
    Application.objects.filter(pk__in=list(application_ids)).update(next_due=Subquery(earliest))


def start(application: Application, step: str, *, on: datetime.date) -> Deadline:
    days = working_days_for(application, step, on=on)
    deadline = Deadline(application=application, step=step, started_on=on, working_days=days)
    _refresh(deadline)
    deadline.save()
    refresh_next_due(application)
    return deadline


def start_all(starts: list[tuple[Application, str, datetime.date]]) -> list[Deadline]:
    """``start`` for many (application, step, day) at once (the sweep): the districts' rules in one query, the
    calendar read once, one insert."""
    rules = district_rules_at(
        (application.district_id, on) for application, step, on in starts if step in DISTRICT_DAYS
    )
    calendar = Calendar()
    rows = []
    for application, step, on in starts:
        if step in DISTRICT_DAYS:
            days = getattr(rules[application.district_id, on], DISTRICT_DAYS[step])
        else:
            days = WORKING_DAYS[step]
        deadline = Deadline(application=application, step=step, started_on=on, working_days=days)
        _refresh(deadline, calendar)
        rows.append(deadline)
    created = Deadline.objects.bulk_create(rows)
    refresh_next_due_all({application.pk for application, _step, _on in starts})
    return created


def open_deadlines(application: Application):
    return Deadline.objects.select_for_update().filter(application=application, met_at__isnull=True)


def meet(application: Application, *steps: str) -> None:
    """The steps are done (or ended by a decision): their clocks stop."""
    open_deadlines(application).filter(step__in=steps).update(met_at=timezone.now())
    refresh_next_due(application)


def end_all(application: Application) -> None:
    open_deadlines(application).update(met_at=timezone.now())
    refresh_next_due(application)


def pause_all(application: Application, *, on: datetime.date) -> None:
    for deadline in open_deadlines(application):
        if not deadline.paused:
            deadline.pauses = [*deadline.pauses, [on.isoformat(), None]]
            _refresh(deadline)
            deadline.save(update_fields=["pauses", "due_on", "unconfirmed_years"])
    refresh_next_due(application)


def resume_all(application: Application, *, on: datetime.date) -> None:
    for deadline in open_deadlines(application):
        if deadline.paused:
            paused_on = deadline.pauses[-1][0]
            deadline.pauses = [*deadline.pauses[:-1], [paused_on, on.isoformat()]]
            _refresh(deadline)
            if deadline.due_on and deadline.due_on >= on:
                deadline.overdue_at = None  # the pause moved the due date: no longer overdue
            deadline.save(update_fields=["pauses", "due_on", "unconfirmed_years", "overdue_at"])
    refresh_next_due(application)


def notice_ended_on(application: Application, *, on: datetime.date) -> datetime.date | None:
    """R34: the notice is open through its last working day; the day after it is over, even before the sweep has
    closed it. Its last day then, else None."""
    notice = due_of(application, Step.NOTICE)
    if notice is not None and notice.due_on is not None and notice.due_on < on:
        return notice.due_on
    return None


def due_of(application: Application, step: str) -> Deadline | None:
    return Deadline.objects.filter(application=application, step=step, met_at__isnull=True).first()
