"""The application subsidy's refusals (R20): a ``core.errors.DomainError`` with its translated message and rule. It
subclasses ``ApplicationError`` so the pages and the API that already show an application's refusals show these."""

from applications.errors import ApplicationError


class UsageError(ApplicationError):
    """A refusal of the application subsidy (pilot kinds, work records, incentive claims)."""
