"""The one base refusal (HackSoft's ``core/exceptions.py``): a translated ``message`` the user is shown and the
``rule`` it enforces (e.g. ``"R24"``). Each app's error subclasses it, so no app imports another's services just to
catch its refusals: ``applications.errors.ApplicationError`` (and its ``payments.errors.PaymentError``) and
``catalog.errors.CatalogueError``."""


class DomainError(Exception):
    """A refusal shown to the user: a translated ``message`` and the ``rule`` it enforces."""

    def __init__(self, message, *, rule: str = ""):
        super().__init__(str(message))
        self.message = message
        self.rule = rule
