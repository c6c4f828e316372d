"""Scoped reads of audit work: each starts from ``accounts.scope.audit_scoped``."""

from django.db.models import QuerySet

from accounts.scope import audit_scoped

from .models import RiskWarning


def warnings_for(user, *, sign: str = "") -> QuerySet[RiskWarning]:
    """The warning signs raised in the user's districts, newest first, with what the list shows."""
    rows = audit_scoped(user, RiskWarning.objects.all(), district="application__district").select_related(
        "application__district", "application__buyer", "application__product__item", "rule", "warning"
    )
    if sign:
        rows = rows.filter(sign=sign)
    return rows
