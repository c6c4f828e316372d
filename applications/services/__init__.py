"""The application's business operations (R29–R41), by audience. Each is one transaction: lock the row, check,
change the state through ``applications.transitions.transition`` (event, clocks, the buyer told after commit).

- ``drafts``: the buyer's draft and its documents; what is missing before submission.
- ``submission``: submitting (and resubmitting) and withdrawing.
- ``decisions``: the district office's decisions (accept, return, verify, reject, hand over for payment).
- ``notice``: the public notice, objections, investigations.

The names below are the public surface, importable from this package. Refusals are ``ApplicationError``
(``applications.errors``); the money side is ``payments.services``.
"""

from ..errors import ApplicationError, ObjectionLimitError
from .decisions import (
    accept_application,
    record_verification,
    reject_application,
    request_payment,
    return_application,
    schedule_use_check,
)
from .drafts import (
    add_document,
    missing_for_submission,
    remove_document,
    start_application,
    start_application_from_sale,
    update_draft,
)
from .notice import (
    answer_objection,
    clear_investigation,
    investigate,
    object_to_notice,
    open_notice,
    verify_and_open_notice,
)
from .submission import minimum_supply, submit_application, tonnes, withdraw_application

__all__ = [
    "ApplicationError",
    "ObjectionLimitError",
    "accept_application",
    "answer_objection",
    "add_document",
    "clear_investigation",
    "investigate",
    "minimum_supply",
    "missing_for_submission",
    "object_to_notice",
    "open_notice",
    "record_verification",
    "reject_application",
    "remove_document",
    "request_payment",
    "return_application",
    "schedule_use_check",
    "start_application",
    "start_application_from_sale",
    "submit_application",
    "tonnes",
    "update_draft",
    "verify_and_open_notice",
    "withdraw_application",
]
