"""The catalogue's domain error: a translated message and the rule it enforces."""

from core.errors import DomainError


class CatalogueError(DomainError):
    """A refusal the user is shown: ``message`` (translated) and ``rule`` (e.g. ``"R15"``)."""

    def __str__(self):
        text = str(self.message)
        return f"{text} ({self.rule})" if self.rule else text
