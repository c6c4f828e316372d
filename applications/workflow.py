"""The application's life in one readable place (DESIGN.md "The application's life", R29–R39).

States, the label each audience sees, and which states are "live" for the once-only serial rule (R11). The
``@transition`` methods on ``Application`` and the templates both read this module.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PREREGISTERED = "preregistered", _("Pre-registered")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for amendment")
    ACCEPTED = "accepted", _("Accepted")
    AWAITING_USE = "awaiting_use", _("Awaiting installation and use")
    VERIFIED = "verified", _("Verified")
    IN_NOTICE = "in_notice", _("In public notice")
    NOTICE_PASSED = "notice_passed", _("Public notice passed")
    UNDER_INVESTIGATION = "under_investigation", _("Under investigation")
    PAYMENT_REQUESTED = "payment_requested", _("Handed over for payment")
    PAYMENT_DEFERRED = "payment_deferred", _("Payment deferred")
    PAID = "paid", _("Paid")
    CLAWED_BACK = "clawed_back", _("Clawed back")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# What the buyer reads: plain words about where the application is, not the office's jargon.
BUYER_LABELS = {
    State.DRAFT: _("Not yet submitted"),
    State.PREREGISTERED: _("Pre-registered: waiting for the district's funds"),
    State.SUBMITTED: _("Waiting for the district to accept"),
    State.RETURNED: _("Returned to you: please amend"),
    State.ACCEPTED: _("Accepted; verification next"),
    State.AWAITING_USE: _("Accepted; verified after installation and use"),
    State.VERIFIED: _("Verified; public notice next"),
    State.IN_NOTICE: _("In public notice"),
    State.NOTICE_PASSED: _("Notice passed; going to finance"),
    State.UNDER_INVESTIGATION: _("Being checked by the district"),
    State.PAYMENT_REQUESTED: _("With district finance for payment"),
    State.PAYMENT_DEFERRED: _("Payment deferred; you have been told why"),
    State.PAID: _("Paid"),
    State.CLAWED_BACK: _("Subsidy to be repaid"),
    State.REJECTED: _("Not approved"),
    State.WITHDRAWN: _("Withdrawn"),
}

# What the district office reads in its queue.
OFFICE_LABELS = {
    State.DRAFT: _("Draft"),
    State.PREREGISTERED: _("Pre-registered (funds exhausted)"),
    State.SUBMITTED: _("To accept"),
    State.RETURNED: _("Returned to buyer"),
    State.ACCEPTED: _("To verify"),
    State.AWAITING_USE: _("To verify after use"),
    State.VERIFIED: _("To publish"),
    State.IN_NOTICE: _("In notice"),
    State.NOTICE_PASSED: _("To hand over to finance"),
    State.UNDER_INVESTIGATION: _("Under investigation"),
    State.PAYMENT_REQUESTED: _("Handed over"),
    State.PAYMENT_DEFERRED: _("Payment deferred"),
    State.PAID: _("Paid"),
    State.CLAWED_BACK: _("Clawed back"),
    State.REJECTED: _("Rejected"),
    State.WITHDRAWN: _("Withdrawn"),
}

#: A factory serial number may be in at most one application in these states (R11).
NOT_LIVE = [State.DRAFT, State.WITHDRAWN, State.REJECTED]

#: States in which the buyer may still withdraw (R39: any state before payment; not while under investigation).
WITHDRAWABLE = [
    State.DRAFT,
    State.PREREGISTERED,
    State.SUBMITTED,
    State.RETURNED,
    State.ACCEPTED,
    State.AWAITING_USE,
    State.VERIFIED,
    State.IN_NOTICE,
    State.NOTICE_PASSED,
]

#: States an objection, a warning or a sample finding can put under investigation (R19, R34, R38).
INVESTIGABLE = [
    State.SUBMITTED,
    State.ACCEPTED,
    State.AWAITING_USE,
    State.VERIFIED,
    State.IN_NOTICE,
    State.NOTICE_PASSED,
    State.PAYMENT_REQUESTED,
]

#: States in which an application's money is reserved in the ledger (from acceptance until paid or ended).
RESERVED = [
    State.ACCEPTED,
    State.AWAITING_USE,
    State.VERIFIED,
    State.IN_NOTICE,
    State.NOTICE_PASSED,
    State.UNDER_INVESTIGATION,
    State.PAYMENT_REQUESTED,
    State.PAYMENT_DEFERRED,
]

#: States an application of a closed year is carried into the next one in (R37): entered but not paid. A returned
#: application takes the year of its resubmission instead.
CARRIED_AT_YEAR_END = [State.PREREGISTERED, State.SUBMITTED, *RESERVED]

#: States the office still has work on (the queue's default view).
OPEN_FOR_OFFICE = [
    State.SUBMITTED,
    State.ACCEPTED,
    State.AWAITING_USE,
    State.VERIFIED,
    State.IN_NOTICE,
    State.NOTICE_PASSED,
    State.UNDER_INVESTIGATION,
]


def tone(state: str) -> str:
    """The tag colour of a state (the label always says it in words too)."""
    if state in (State.REJECTED, State.CLAWED_BACK):
        return "danger"
    if state in (State.RETURNED, State.UNDER_INVESTIGATION, State.PREREGISTERED, State.PAYMENT_DEFERRED):
        return "warn"
    if state in (State.PAYMENT_REQUESTED, State.NOTICE_PASSED, State.VERIFIED, State.PAID):
        return "ok"
    return "muted"
