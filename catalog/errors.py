"""The catalogue's domain error: a translated message and the rule it enforces."""

from core.errors import CitedDomainError


class CatalogueError(CitedDomainError):
    """A refusal the user is shown: ``message`` (translated) and ``rule`` (e.g. ``"R15"``)."""
