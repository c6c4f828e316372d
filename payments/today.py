"""What finance has to do today: the counts on its landing page, each the number of rows of the page it links
to. A constant handful of queries over the user's scope (a district's own rows; the municipal bureau: all)."""

from django.db.models import Count, Q
from django.utils import timezone

from .models import BatchState
from .selectors import batches_for, deferred_for, open_exceptions_for, payment_queue


def finance_today(user) -> dict[str, int]:
    """``to_pay`` (requests in no batch, R36), ``pay_overdue`` (past their 15 working days), ``deferred``,
    ``to_approve`` (batches waiting for a second officer's approval), ``at_treasury`` (sent, no return
    file yet) and ``exceptions`` (return rows not reconciled)."""
    today = timezone.localdate()
    queue = payment_queue(user=user)
    batches = batches_for(user).aggregate(
        to_approve=Count("pk", filter=Q(state=BatchState.BUILT)),
        at_treasury=Count("pk", filter=Q(state=BatchState.EXPORTED)),
    )
    return {
        "to_pay": queue.count(),
        "pay_overdue": queue.filter(pay_due__lt=today).count(),
        "deferred": deferred_for(user=user).count(),
        **batches,
        "exceptions": open_exceptions_for(user).count(),
    }
