class AuditError(Exception):
    """A refusal in oversight work, shown to the user: a translated ``message`` and the ``rule`` it enforces."""

    def __init__(self, message, *, rule: str = ""):
        super().__init__(str(message))
        self.message = message
        self.rule = rule
