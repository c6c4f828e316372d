"""The oversight app's refusals (``core.errors.DomainError``)."""

from core.errors import DomainError


class AuditError(DomainError):
    """A refusal in oversight work, shown to the user: a translated ``message`` and the ``rule`` it enforces."""


class ComplaintLimitError(AuditError):
    """Too many complaints from one sender in a day: not about what was written, so shown above the form."""
