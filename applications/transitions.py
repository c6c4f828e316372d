"""The one transition helper (pretix's ``approve_order``: lock, check, change, save, log, side effects after commit).

Every decision on an application is the same sequence, done here once: check its state, call its ``@transition``
method, save the fields a transition changes (``update_fields``), record the chained event (R45), meet, start,
pause, resume or end its clocks (R30–R36, R40), and tell the buyer (the message is sent after commit). The caller
has locked the row (``applications.locks.locked_application``) in its transaction.
"""

from collections.abc import Callable
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from . import deadlines, events
from .errors import ApplicationError
from .messages import tell_buyer
from .models import Application

#: What a ``@transition`` method may change, saved with every transition (``updated_at`` moves with them).
TRANSITION_FIELDS = ("state", "state_before_investigation", "return_reason", "submitted_at", "updated_at")


def require_state(application: Application, *states: str) -> None:
    if application.state not in states:
        raise ApplicationError(
            _("This cannot be done now: the application is %(state)s.") % {"state": application.get_state_display()},
            rule="R45",
        )


def transition(
    application: Application,
    change: str,
    *,
    action: str,
    actor=None,
    reason: str = "",
    data: dict | None = None,
    args: dict | None = None,
    also_save: tuple[str, ...] = (),
    then: Callable[[], object] | None = None,
    meet: tuple[str, ...] = (),
    start: tuple[str, ...] = (),
    pause: bool = False,
    resume: bool = False,
    end: bool = False,
    on: date | None = None,
    tell: tuple | None = None,
):
    """Move ``application`` by its transition method ``change`` (with ``args``), save it (and ``also_save``), run
    ``then`` (the money side: reserve, release) and record ``action``; then the clocks, then ``tell`` the buyer:
    ``(subject, body, {values})`` in lazy strings. Returns the recorded event."""
    before = application.state
    getattr(application, change)(**(args or {}))
    application.save(update_fields=[*TRANSITION_FIELDS, *also_save])
    if then is not None:
        then()
    event = events.record(application, action=action, actor=actor, from_state=before, reason=reason, data=data)
    on = on or timezone.localdate()
    if meet:
        deadlines.meet(application, *meet)
    for step in start:
        deadlines.start(application, step, on=on)
    if pause:
        deadlines.pause_all(application, on=on)
    if resume:
        deadlines.resume_all(application, on=on)
    if end:
        deadlines.end_all(application)
    if tell is not None:
        subject, body, values = (*tell, {})[:3]
        tell_buyer(application, subject, body, **values)
    return event
