"""The reports' domain error: a translated message and the rule it enforces (``core.errors.DomainError``)."""

from core.errors import CitedDomainError


class ReportError(CitedDomainError):
    """A refusal the user is shown: ``message`` (translated) and ``rule`` (e.g. ``"R40"``)."""
