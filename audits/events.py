"""Append a step to the oversight trail (R45), in the step's own transaction."""

from django.db import connection

from core import chain

from .models import AuditEvent

# Serialises the chain's writers on PostgreSQL until the transaction ends (as the catalogue's trail does).
CHAIN_LOCK = 0x0A0D175


def record(subject, *, action: str, actor=None, reason: str = "", data: dict | None = None, application=None):
    """The event about ``subject`` (a model instance), chained to the previous one. Call inside a transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    last = AuditEvent.objects.order_by("-id").only("hash").first()
    event = AuditEvent(
        action=action,
        subject_type=subject._meta.model_name,
        subject_id=subject.pk,
        application_id=getattr(application, "pk", application),
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        reason=reason or "",
        data=data or {},
        prev_hash=last.hash if last else "",
    )
    event.hash = event.content_hash()
    event.save()
    return event


def broken_link() -> AuditEvent | None:
    """The first event whose chain is broken (altered, or a row before it removed), or None when intact."""
    return chain.first_broken(AuditEvent)
