"""The application subsidy's writes (R20), by audience; every name is importable from ``usage.services``.

- ``records``: work records in (a platform's batch, the buyer's entry) and the office's check of a flagged one.
- ``imports``: a district's spreadsheet of work records, all-or-nothing.
- ``claims``: the incentive claim, by the buyer or started by the office; from there the purchase subsidy's own
  services (``applications.services``, ``payments.services``) take it to payment.
"""

from .claims import claim_incentive, commitment, eligibility, start_claim
from .imports import ImportRefused, import_records
from .records import Incoming, enter_record, machine_by_serial, post_platform_records, review_record, tell_if_met

__all__ = [
    "ImportRefused",
    "Incoming",
    "claim_incentive",
    "commitment",
    "eligibility",
    "enter_record",
    "import_records",
    "machine_by_serial",
    "post_platform_records",
    "review_record",
    "start_claim",
    "tell_if_met",
]
