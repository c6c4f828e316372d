"""The money side's refusal. A payment is a step of an application, so a refusal about money is an application's
refusal too (the buyer and officer pages catch ``ApplicationError``)."""

from applications.errors import ApplicationError


class PaymentError(ApplicationError):
    """A refusal about money, shown to the user, with the rule it enforces."""
