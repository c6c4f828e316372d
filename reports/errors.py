"""The reports' domain error: a translated message and the rule it enforces."""


class ReportError(Exception):
    """A refusal the user is shown: ``message`` (translated) and ``rule`` (e.g. ``"R40"``)."""

    def __init__(self, message, *, rule: str = ""):
        super().__init__(str(message))
        self.message = message
        self.rule = rule

    def __str__(self):
        text = str(self.message)
        return f"{text} ({self.rule})" if self.rule else text
