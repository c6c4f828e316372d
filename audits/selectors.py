"""Scoped reads of audit work: each starts from ``accounts.scope.audit_scoped``."""

from django.db.models import QuerySet

from accounts.scope import audit_scoped, get_or_404

from .models import AuditEvent, AuditTask, Investigation, RiskWarning, SamplingRun


def warnings_for(user, *, sign: str = "") -> QuerySet[RiskWarning]:
    """The warning signs raised in the user's districts, newest first, with what the list shows."""
    rows = audit_scoped(user, RiskWarning.objects.all(), district="application__district").select_related(
        "application__district", "application__buyer", "application__product__item", "rule", "warning"
    )
    if sign:
        rows = rows.filter(sign=sign)
    return rows


def tasks_for(user, *, state: str = "") -> QuerySet[AuditTask]:
    """The audit tasks in the user's districts, next due first."""
    rows = audit_scoped(user, AuditTask.objects.all()).select_related(
        "run", "district", "application__buyer", "application__product__item", "selection"
    )
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("due_on", "id")


def task_for(user, *, pk: int) -> AuditTask:
    """One task, if it is in the user's districts; otherwise not found (404)."""
    return get_or_404(
        audit_scoped(user, AuditTask.objects.all()).select_related(
            "run",
            "district",
            "selection",
            "application__buyer",
            "application__product__item",
            "application__product__manufacturer",
            "application__town",
        ),
        pk=pk,
    )


def runs_for(user) -> QuerySet[SamplingRun]:
    return audit_scoped(user, SamplingRun.objects.all()).select_related("district", "redraw_of").defer("population")


def investigations_for(user, *, open_only: bool = False) -> QuerySet[Investigation]:
    rows = audit_scoped(user, Investigation.objects.all()).select_related(
        "district", "application__buyer", "application__product__item", "case"
    )
    if open_only:
        rows = rows.filter(closed_at__isnull=True)
    return rows


def investigation_for(user, *, pk: int) -> Investigation:
    return get_or_404(
        audit_scoped(user, Investigation.objects.all()).select_related(
            "district",
            "application__buyer",
            "application__product__item",
            "application__product__manufacturer",
            "task",
            "warning",
            "objection",
            "complaint",
        ),
        pk=pk,
    )


def events_of(subjects) -> QuerySet[AuditEvent]:
    """The trail of some oversight objects (model instances), oldest first."""
    from django.db.models import Q

    condition = Q(pk__in=[])
    for subject in subjects:
        if subject is not None:
            condition |= Q(subject_type=subject._meta.model_name, subject_id=subject.pk)
    return AuditEvent.objects.filter(condition).select_related("actor").order_by("id")
