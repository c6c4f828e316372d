"""Funds and payments: the business operations (R9, R16, R19, R21–R24, R31, R36–R38, R45), by audience.

Each is one transaction: lock (the application, the batch, the funds), check, write the rows and their ledger entries
and events; messages to the buyer are written in the same transaction and sent after commit (notifications).

- ``funds``: the municipal finance bureau's ledger moves; the reservation and release of an application's money;
  pre-registrations released when money arrives.
- ``submission``: the hooks ``submit_application`` calls (subsidy year, caps, ratio alert, pre-registration).
- ``batches``: batches, four-eyes approval, the treasury's files; the buyer's account correction.
- ``batch_edits``: an application taken out of a batch waiting for approval, with a reason.
- ``deferral``: ratio alerts cleared, deferral and resumption, claw-back and recovery.
- ``year_end``: the subsidy year of an entry and closing a year (``rollover``).
- ``year_end_approval``: the year end asked by one official of the municipal finance bureau, approved by a second.

Reads (caps, what a buyer was granted, whether funds cover, the innovation room, the year-end preview) are in
``payments.selectors``. The names below are the operations' public surface, importable from this package.
"""

from ..errors import PaymentError
from .batch_edits import take_out_of_batch
from .batches import approve_batch, build_batch, correct_account, export_batch, import_return, resolve_exception
from .deferral import claw_back, clear_ratio_alert, defer_payment, record_recovery, resume_payment
from .funds import allocate, cut, reallocate, release, release_preregistrations, reserve, settle_advance
from .submission import check_submission, on_submission, raise_ratio_alert
from .year_end import carry_into_next_year, rollover, subsidy_year_on
from .year_end_approval import approve_year_end, request_year_end

__all__ = [
    "PaymentError",
    "allocate",
    "approve_batch",
    "approve_year_end",
    "build_batch",
    "carry_into_next_year",
    "check_submission",
    "claw_back",
    "clear_ratio_alert",
    "correct_account",
    "cut",
    "defer_payment",
    "export_batch",
    "import_return",
    "on_submission",
    "raise_ratio_alert",
    "reallocate",
    "record_recovery",
    "release",
    "release_preregistrations",
    "reserve",
    "resolve_exception",
    "resume_payment",
    "rollover",
    "settle_advance",
    "subsidy_year_on",
    "request_year_end",
    "take_out_of_batch",
]
