"""What the office has to do today: the counts on its landing page (UI.md "The office"), each the number of
rows of the filtered queue it links to, so the count and the list never disagree. A constant handful of
queries over the user's scope (a district's own rows by the (district, state) index; the municipality: all)."""

from django.db.models import Count

from .selectors import applications_for, at_risk, office_queue
from .workflow import State

#: (key, state): a count of the queue filtered by that state.
BY_STATE = [
    ("to_accept", State.SUBMITTED),
    ("to_verify", State.ACCEPTED),
    ("awaiting_use", State.AWAITING_USE),
    ("to_publish", State.VERIFIED),
    ("investigating", State.UNDER_INVESTIGATION),
    ("to_hand_over", State.NOTICE_PASSED),
]


def office_today(user) -> dict[str, int]:
    """``{key: count}`` for the keys of ``BY_STATE`` and ``overdue`` (open steps past due), ``notices_closing``
    (notices whose 5 working days end within 1 working day, R34) and ``at_risk`` (the 23 working days, R35)."""
    states = [state for _, state in BY_STATE]
    by_state = dict(
        applications_for(user).filter(state__in=states).values_list("state").annotate(n=Count("pk")).order_by()
    )
    counts = {key: by_state.get(state, 0) for key, state in BY_STATE}
    counts["overdue"] = office_queue(user=user, due="overdue").count()
    counts["notices_closing"] = office_queue(user=user, state=State.IN_NOTICE, due="soon").count()
    counts["at_risk"] = at_risk(user=user).count()
    return counts
