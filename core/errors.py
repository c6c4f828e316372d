"""The one base refusal (HackSoft's ``core/exceptions.py``): a translated ``message`` the user is shown and the
``rule`` it enforces (e.g. ``"R24"``). Each app's error subclasses it, so no app imports another's services just to
catch its refusals: ``applications.errors.ApplicationError`` (and its ``payments.errors.PaymentError``) and
``catalog.errors.CatalogueError``, ``audits.errors.AuditError``, ``reports.errors.ReportError``."""


class DomainError(Exception):
    """A refusal shown to the user: a translated ``message`` and the ``rule`` it enforces."""

    def __init__(self, message, *, rule: str = ""):
        super().__init__(str(message))
        self.message = message
        self.rule = rule


class CitedDomainError(DomainError):
    """A refusal whose text names its rule, ``"... (R15)"``, where it reaches a command's output or a log."""

    def __str__(self):
        text = str(self.message)
        return f"{text} ({self.rule})" if self.rule else text
