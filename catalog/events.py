"""The catalogue's trail: every change is an immutable, chained event with who, when, what and why (R45)."""

from django.db import transaction

from core import chain
from core.locks import LockSpace, advisory_lock

from .models import CatalogueEvent


def lock_trail() -> None:
    """Take the trail's lock first in a service's transaction, before any row lock, so that writers always lock in
    the same order and cannot deadlock. Locking the last row is not enough: a writer that waited on it would still
    read it as the last and fork the chain."""
    advisory_lock(LockSpace.CATALOGUE_TRAIL)


def record_event(*, subject, action: str, actor=None, reason: str = "", data: dict | None = None) -> CatalogueEvent:
    """Append one event about ``subject`` (a model instance), chained to the previous event.

    Call it inside the service's transaction: the lock orders concurrent writers until that transaction ends.
    """
    with transaction.atomic():
        lock_trail()
        event = CatalogueEvent(
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=action,
            subject_type=subject._meta.model_name,
            subject_id=subject.pk,
            reason=reason or "",
            data=data or {},
        )
        return chain.append(event, chain=CatalogueEvent.objects.all())


def verify_chain() -> CatalogueEvent | None:
    """The first event whose chain is broken, or None when the trail is intact."""
    return chain.first_broken(CatalogueEvent)
