"""The deadline sweep (DESIGN "Deadlines"), run by Celery beat every few minutes.

It touches only due rows: it closes public notices whose 5 working days have passed without objection (R34),
starting the 5-working-day hand-over (R35), and marks overdue steps (R40), telling the district office whose
step it is (finance for the payment, R36); last, it reports any application in a timed state without its open
deadline (applications/consistency.py).

It works by sets, a batch of due rows at a time, in a number of queries that does not grow with the batch: one
conditional ``UPDATE ... RETURNING`` claims the due deadlines (``met_at`` or ``overdue_at`` set, their rows and
their applications locked, rows another transaction holds skipped for the next run), then the events are
appended to each application's chain in one insert, the clocks started in one, the messages written in one. Two
sweeps running at once do each thing once (a claimed row no longer matches the other's ``UPDATE``), and a second
run does nothing.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from accounts.models import Role, User
from notifications.services import Message, language_for, notify_all

from . import deadlines, events
from .consistency import report_stuck
from .messages import buyer_message
from .models import Application, ApplicationEvent, Deadline, EventAction, Step
from .workflow import State

#: Due rows claimed per transaction.
BATCH = 1000


@dataclass
class SweepResult:
    notices_closed: list[int] = field(default_factory=list)
    overdue: list[int] = field(default_factory=list)
    stuck: list[int] = field(default_factory=list)  # in a timed state without its open deadline (reported)


def _claim(*, stamp: str, condition: str, params: list, now: datetime) -> list[Deadline]:
    """Set ``stamp`` (a timestamp column) to ``now`` on up to ``BATCH`` open deadlines matching ``condition`` (on
    ``d``, the deadline, and ``a``, its application), oldest clock first; returns them. On PostgreSQL the rows and
    their applications are locked, and rows another transaction holds are left to the next run."""
    lock = "FOR UPDATE OF d, a SKIP LOCKED" if connection.vendor == "postgresql" else ""
    table, applications = Deadline._meta.db_table, Application._meta.db_table
    sql = f"""
        UPDATE {table} SET {stamp} = %s WHERE id IN (
            SELECT d.id FROM {table} d JOIN {applications} a ON a.id = d.application_id
            WHERE d.met_at IS NULL AND {condition}
            ORDER BY d.started_on, d.id LIMIT {BATCH} {lock})
        RETURNING id, application_id, step, started_on, working_days, due_on"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, *params])
        rows = cursor.fetchall()
    claimed = [
        Deadline(id=pk, application_id=app, step=step, started_on=started, working_days=days, due_on=due)
        for pk, app, step, started, days, due in rows
    ]
    for deadline in claimed:  # SQLite returns text where PostgreSQL returns dates
        for name in ("started_on", "due_on"):
            value = getattr(deadline, name)
            if isinstance(value, str):
                setattr(deadline, name, date.fromisoformat(value))
    return sorted(claimed, key=lambda d: (d.started_on, d.pk))


def _close_notices(today: date) -> list[int]:
    """One batch of notices whose last day has passed, still running (an application under investigation keeps
    its notice clock open to resume): closed, the hand-over started from the notice's last day (R35), the buyer
    told. Returns the applications."""
    now = timezone.now()
    with transaction.atomic():
        notices = _claim(
            stamp="met_at",
            condition="d.step = %s AND d.due_on < %s AND a.state = %s",
            params=[Step.NOTICE, today, State.IN_NOTICE],
            now=now,
        )
        if not notices:
            return []
        applications = Application.objects.select_related("buyer").in_bulk([n.application_id for n in notices])
        for application in applications.values():
            application.close_notice()  # the state machine's own check; the rows are written below at once
        Application.objects.filter(pk__in=applications, state=State.IN_NOTICE).update(
            state=State.NOTICE_PASSED, updated_at=now
        )
        ordered = [applications[n.application_id] for n in notices]
        events.record_all(
            [
                ApplicationEvent(
                    application=application,
                    action=EventAction.CLOSE_NOTICE,
                    from_state=State.IN_NOTICE,
                    to_state=application.state,
                    at=now,
                )
                for application in ordered
            ]
        )
        deadlines.start_all([(applications[n.application_id], Step.HAND_OVER, n.due_on) for n in notices])
        notify_all(
            [
                buyer_message(
                    application,
                    gettext_lazy("Public notice of application %(number)s passed"),
                    gettext_lazy("No objection was received. The district hands your application to finance next."),
                )
                for application in ordered
            ]
        )
    return [application.pk for application in ordered]


def _overdue_messages(claimed: list[Deadline], applications: dict[int, Application]) -> list[Message]:
    """Each overdue step told to the district office whose step it is: finance for the payment (R36), the
    agriculture office for the others, every active officer in their own language, in the inbox."""
    districts = {application.district_id for application in applications.values()}
    officers: dict[tuple[str, int], list[User]] = {}
    found = User.objects.filter(
        role__in=[Role.DISTRICT_FINANCE, Role.DISTRICT_AGRICULTURE], district_id__in=districts, is_active=True
    ).order_by("pk")
    for officer in found:
        officers.setdefault((officer.role, officer.district_id), []).append(officer)
    languages = {language_for(officer) for group in officers.values() for officer in group}
    messages = []
    for language in sorted(languages):  # each text written once per language, not once per officer
        with override(language):
            for deadline in claimed:
                application = applications[deadline.application_id]
                if deadline.step == Step.PAY:
                    role, link = Role.DISTRICT_FINANCE, reverse("payments:application", args=[application.pk])
                else:
                    role, link = Role.DISTRICT_AGRICULTURE, reverse("office:detail", args=[application.pk])
                readers = [o for o in officers.get((role, application.district_id), []) if language_for(o) == language]
                if not readers:
                    continue
                subject = _("Overdue: application %(number)s") % {"number": application.number}
                body = _("%(step)s was due on %(due)s.") % {"step": deadline.label, "due": deadline.due_on.isoformat()}
                messages.extend(Message(user=o, subject=subject, body=body, link=link, channels=()) for o in readers)
    return messages


def _mark_overdue(today: date) -> list[int]:
    """One batch of steps past their due day, not yet marked (the notice excepted: it closes): marked, an event
    on each application's trail, the office told. Returns the applications, one per step."""
    now = timezone.now()
    with transaction.atomic():
        claimed = _claim(
            stamp="overdue_at",
            condition="d.overdue_at IS NULL AND d.due_on < %s AND d.step <> %s",
            params=[today, Step.NOTICE],
            now=now,
        )
        if not claimed:
            return []
        applications = Application.objects.only("number", "district", "state").in_bulk(
            [d.application_id for d in claimed]
        )
        events.record_all(
            [
                ApplicationEvent(
                    application=applications[d.application_id],
                    action=EventAction.OVERDUE,
                    from_state=applications[d.application_id].state,
                    to_state=applications[d.application_id].state,
                    data={"step": d.step, "due_on": d.due_on.isoformat()},
                    at=now,
                )
                for d in claimed
            ]
        )
        notify_all(_overdue_messages(claimed, applications))
    return [d.application_id for d in claimed]


def sweep(*, today: date | None = None) -> SweepResult:
    today = today or timezone.localdate()
    result = SweepResult()
    # A notice is open through its 5th working day; it closes the day after. Notices first: a hand-over started
    # from a notice long past is itself overdue in the same run.
    for step, found in ((_close_notices, result.notices_closed), (_mark_overdue, result.overdue)):
        while batch := step(today):
            found.extend(batch)
            if len(batch) < BATCH:
                break
    result.stuck = report_stuck()
    return result
