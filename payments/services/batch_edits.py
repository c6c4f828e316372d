"""Changing a batch before its second officer approves it (R36): an application taken out, with a reason, goes back
to the payment requests to be paid in a later batch. Nothing is deleted: the item keeps its row, marked removed,
and the application's trail says who took it out and why."""

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from applications import events
from applications.locks import locked_application
from applications.models import EventAction

from ..errors import PaymentError
from ..models import BatchState, ItemOutcome
from .batches import _locked_batch
from .common import required_reason


def take_out_of_batch(*, batch_id: int, application_id: int, officer, reason: str):
    """R36: a district finance officer (the builder, or the approver before approving) takes one application out
    of a batch waiting for approval. Refused once approved: what was approved is what goes to the treasury."""
    reason = required_reason(reason, "R36")
    with transaction.atomic():
        batch = _locked_batch(batch_id, officer)
        item = batch.items.select_for_update().filter(application_id=application_id).first()
        if item is None:
            raise Http404
        if batch.state != BatchState.BUILT:
            raise PaymentError(_("Only a batch waiting for approval can be changed."), rule="R36")
        if item.outcome != ItemOutcome.PENDING:
            raise PaymentError(_("This application is no longer in the batch."), rule="R36")
        application = locked_application(application_id)
        item.outcome, item.failure_reason = ItemOutcome.REMOVED, reason[:300]
        item.save(update_fields=["outcome", "failure_reason"])
        events.record(
            application,
            action=EventAction.OUT_OF_BATCH,
            actor=officer,
            from_state=application.state,
            reason=reason,
            data={"batch": batch.number},
        )
    return item
