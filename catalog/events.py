"""The catalogue's trail: every change is an immutable, chained event with who, when, what and why (R45)."""

from django.db import transaction

from .models import CatalogueEvent


def record_event(*, subject, action: str, actor=None, reason: str = "", data: dict | None = None) -> CatalogueEvent:
    """Append one event about ``subject`` (a model instance), chained to the previous event.

    Call it inside the service's transaction: the lock on the last row orders concurrent writers.
    """
    with transaction.atomic():
        last = CatalogueEvent.objects.select_for_update().order_by("-id").first()
        event = CatalogueEvent(
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=action,
            subject_type=subject._meta.model_name,
            subject_id=subject.pk,
            reason=reason or "",
            data=data or {},
            prev_hash=last.hash if last else "",
        )
        event.hash = event.content_hash()
        event.save()
    return event


def verify_chain() -> CatalogueEvent | None:
    """The first event whose chain is broken, or None when the trail is intact."""
    prev = ""
    for event in CatalogueEvent.objects.order_by("id").iterator():
        if event.prev_hash != prev or event.content_hash() != event.hash:
            return event
        prev = event.hash
    return None
