"""The sweep's consistency check (R40): every application in a timed state has its clock running.

An application in a state whose step has a deadline (waiting to be accepted, to be verified, in its public notice,
waiting to be handed over, waiting for payment) must have that step's deadline open; one without it would wait
forever unnoticed (a notice "stuck" with no day on which it ends). The sweep runs this check and reports what it
finds in the log and in its result, for the district office and the operator to repair by hand.
"""

import logging

from django.db.models import Exists, OuterRef, Q

from .models import Application, Deadline, Step
from .workflow import State

log = logging.getLogger("applications.sweep")

TIMED = {
    State.SUBMITTED: Step.ACCEPT,
    State.ACCEPTED: Step.VERIFY,
    State.IN_NOTICE: Step.NOTICE,
    State.NOTICE_PASSED: Step.HAND_OVER,
    State.PAYMENT_REQUESTED: Step.PAY,
}


def without_open_deadline():
    """Applications in a timed state without the open deadline of that state's step (one query)."""
    condition = Q()
    for state, step in TIMED.items():
        running = Deadline.objects.filter(application=OuterRef("pk"), step=step, met_at__isnull=True)
        condition |= Q(state=state) & ~Exists(running)
    return Application.objects.filter(condition).order_by("pk")


def report_stuck() -> list[int]:
    stuck = list(without_open_deadline().values_list("pk", "number", "state"))
    for pk, number, state in stuck:
        log.warning(
            "application %s (%s) is %s without an open %s deadline", number or pk, pk, state, TIMED[State(state)]
        )
    return [pk for pk, _number, _state in stuck]
