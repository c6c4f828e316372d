"""What each figure of a report is called, in the reader's language (English message ids, zh-hans first)."""

from django.utils.translation import gettext_lazy as _

from applications.models import Step
from audits.models import Sign
from audits.models.cases import ComplaintStatus, Decision, ViolationKind
from audits.models.sampling import Part
from audits.models.work import Conclusion
from catalog.models import FundSource
from payments.models import DeferralReason

FLOW_LABELS = {
    "received": _("Applications received"),
    "accepted": _("Accepted"),
    "returned": _("Returned for amendment"),
    "verified": _("Verified"),
    "published": _("Published in notice"),
    "passed": _("Notice passed"),
    "handed_over": _("Handed over to finance"),
    "paid": _("Paid"),
    "deferred": _("Payment deferred"),
    "rejected": _("Rejected"),
    "withdrawn": _("Withdrawn"),
    "preregistered": _("Pre-registered"),
    "carried": _("Carried from the previous year"),
    "investigated": _("Put under investigation"),
    "cleared": _("Investigation cleared"),
}

STEP_LABELS = dict(Step.choices)
SOURCE_LABELS = {**dict(FundSource.choices), "total": _("Total")}
DEFERRAL_LABELS = dict(DeferralReason.choices)
OFFICE_LABELS = {"agriculture": _("District agriculture office"), "finance": _("District finance office")}

FUND_COLUMNS = [
    ("allocated", _("Allocated")),
    ("cut", _("Cut")),
    ("realloc_in", _("Reallocated in")),
    ("realloc_out", _("Reallocated out")),
    ("carried", _("Carried over")),
    ("received", _("Available in all")),
    ("reserved", _("Reserved")),
    ("paid", _("Paid")),
    ("advanced", _("Advanced by the district")),
    ("settled", _("Settled")),
    ("recovered", _("Clawed back")),
    ("remaining", _("Remaining")),
    ("paid_month", _("Paid this month")),
    ("pace", _("Pace a working day")),
    ("runs_out_on", _("Runs out on")),
]

PROGRESS_COLUMNS = [
    ("district_name", _("District")),
    ("received", _("Applications received")),
    ("accepted", _("Accepted")),
    ("verified", _("Verified")),
    ("published", _("Published")),
    ("applied_amount", _("Subsidy applied for")),
    ("paid", _("Applications paid")),
    ("buyers", _("Buyers who benefited")),
    ("central", _("Central funds paid")),
    ("municipal", _("Municipal funds paid")),
    ("district_amount", _("District funds paid")),
    ("total", _("Total paid")),
]

SETTLEMENT_COLUMNS = [
    ("district_name", _("District")),
    ("central_received", _("Central funds available")),
    ("municipal_received", _("Municipal funds available")),
    ("district_received", _("District funds available")),
    ("central_paid", _("Central funds settled")),
    ("municipal_paid", _("Municipal funds settled")),
    ("district_paid", _("District funds settled")),
    ("rate_percent", _("Settlement rate (%)")),
    ("advanced", _("District advances")),
    ("settled", _("Advances settled")),
]

STEP_COLUMNS = [
    ("met_m", _("Met this month")),
    ("late_m", _("Late this month")),
    ("days_over_m", _("Working days over")),
    ("met_y", _("Met this year")),
    ("late_y", _("Late this year")),
    ("days_over_y", _("Working days over this year")),
    ("open_past_due", _("Open past due at month end")),
    ("open_days_over", _("Their working days over")),
]

LATE_COLUMNS = [
    ("number", _("Application")),
    ("district", _("District")),
    ("step", _("Step")),
    ("due_on", _("Due")),
    ("met_on", _("Done on")),
    ("days_over", _("Working days over")),
    ("office", _("Held by office")),
    ("held_by", _("Last acted by")),
]

OVERSIGHT_LABELS = {
    "warnings": _("Warnings raised by the system (R38)"),
    "sampling": _("Sampling runs"),
    "findings": _("Findings"),
    "cases": _("Violation cases and how they ended"),
    "complaints": _("Complaints"),
}


def step_label(step: str, working_days: int) -> str:
    return f"{STEP_LABELS.get(step, step)} ({working_days})"


# The oversight app's own names of what it counts, shown as it shows them.
SIGN_LABELS = dict(Sign.choices)
PART_LABELS = dict(Part.choices)
CONCLUSION_LABELS = dict(Conclusion.choices)
DECISION_LABELS = dict(Decision.choices)
VIOLATION_LABELS = dict(ViolationKind.choices)
COMPLAINT_LABELS = dict(ComplaintStatus.choices)
