"""The application's refusals: a translated message and the rule id (``core.errors.DomainError``)."""

from core.errors import DomainError


class ApplicationError(DomainError):
    """A refusal about an application, shown to the user: a translated ``message`` and the ``rule`` it enforces."""


class ObjectionLimitError(ApplicationError):
    """Too many objections from one sender in a day: not about what was written, so shown above the form."""
