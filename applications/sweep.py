"""The deadline sweep (DESIGN "Deadlines"), run by Celery beat every few minutes.

It touches only due rows: it closes public notices whose 5 working days have passed without objection (R34),
starting the 5-working-day hand-over (R35), and marks overdue steps (R40), telling the district office whose
step it is (finance for the payment, R36); last, it reports any application in a timed state without its open
deadline (applications/consistency.py). Each row is claimed with a conditional UPDATE, so two sweeps
running at once do each thing once, and a second run does nothing.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from accounts.models import Role, User
from notifications.services import language_for, notify

from . import deadlines, events
from .consistency import report_stuck
from .messages import tell_buyer
from .models import Application, Deadline, EventAction, Step
from .workflow import State


@dataclass
class SweepResult:
    notices_closed: list[int] = field(default_factory=list)
    overdue: list[int] = field(default_factory=list)
    stuck: list[int] = field(default_factory=list)  # in a timed state without its open deadline (reported)


def _close_notice(deadline_id: int) -> int | None:
    with transaction.atomic():
        # Only a notice still running: an application under investigation keeps its notice clock open to resume.
        claimed = Deadline.objects.filter(
            pk=deadline_id, met_at__isnull=True, application__state=State.IN_NOTICE
        ).update(met_at=timezone.now())
        if not claimed:
            return None  # another sweep took it
        notice = Deadline.objects.get(pk=deadline_id)
        application = Application.objects.select_for_update().select_related("buyer").get(pk=notice.application_id)
        if application.state != State.IN_NOTICE:
            return None
        application.close_notice()
        application.save()
        events.record(application, action=EventAction.CLOSE_NOTICE, from_state=State.IN_NOTICE)
        # R35 counts from the notice's last day, not from whenever the sweep happens to run.
        deadlines.start(application, Step.HAND_OVER, on=notice.due_on)
        tell_buyer(
            application,
            gettext_lazy("Public notice of application %(number)s passed"),
            gettext_lazy("No objection was received. The district hands your application to finance next."),
        )
    return application.pk


def _mark_overdue(deadline_id: int) -> int | None:
    with transaction.atomic():
        claimed = Deadline.objects.filter(pk=deadline_id, overdue_at__isnull=True, met_at__isnull=True).update(
            overdue_at=timezone.now()
        )
        if not claimed:
            return None
        deadline = Deadline.objects.select_related("application__district").get(pk=deadline_id)
        application = Application.objects.select_for_update().get(pk=deadline.application_id)
        events.record(
            application,
            action=EventAction.OVERDUE,
            from_state=application.state,
            data={"step": deadline.step, "due_on": deadline.due_on.isoformat()},
        )
        # The payment clock is district finance's (R36); the others are the agriculture office's.
        role = Role.DISTRICT_FINANCE if deadline.step == Step.PAY else Role.DISTRICT_AGRICULTURE
        link = (
            reverse("payments:application", args=[application.pk])
            if deadline.step == Step.PAY
            else reverse("office:detail", args=[application.pk])
        )
        officers = User.objects.filter(role=role, district_id=application.district_id, is_active=True)
        for officer in officers:
            with override(language_for(officer)):
                notify(
                    user=officer,
                    subject=_("Overdue: application %(number)s") % {"number": application.number},
                    body=_("%(step)s was due on %(due)s.")
                    % {"step": deadline.label, "due": deadline.due_on.isoformat()},
                    link=link,
                    channels=(),
                )
    return application.pk


def sweep(*, today: date | None = None) -> SweepResult:
    today = today or timezone.localdate()
    result = SweepResult()
    # A notice is open through its 5th working day; it closes the day after.
    notices = Deadline.objects.filter(step=Step.NOTICE, met_at__isnull=True, due_on__lt=today).values_list(
        "pk", flat=True
    )
    for deadline_id in list(notices):
        closed = _close_notice(deadline_id)
        if closed:
            result.notices_closed.append(closed)
    overdue = Deadline.objects.filter(met_at__isnull=True, overdue_at__isnull=True, due_on__lt=today).exclude(
        step=Step.NOTICE
    )
    for deadline_id in list(overdue.values_list("pk", flat=True)):
        marked = _mark_overdue(deadline_id)
        if marked:
            result.overdue.append(marked)
    result.stuck = report_stuck()
    return result
