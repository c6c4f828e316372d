"""The application's trail (R45): one immutable, chained event per decision, written in the decision's
transaction. Each application's events form a chain: a row stores the previous row's hash and its own."""

from django.db.models import Max

from core import chain

from .models import Application, ApplicationEvent


def record(
    application: Application,
    *,
    action: str,
    actor=None,
    from_state: str = "",
    reason: str = "",
    data: dict | None = None,
) -> ApplicationEvent:
    """Append an event. Call it with the application row locked (services do), so the chain has one writer."""
    event = ApplicationEvent(
        application=application,
        action=action,
        from_state=from_state,
        to_state=application.state,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        reason=reason or "",
        data=data or {},
    )
    return chain.append(event, chain=ApplicationEvent.objects.filter(application=application))


def record_all(entries: list[ApplicationEvent]) -> list[ApplicationEvent]:
    """Append many events at once (the sweep), each after the head of its application's chain and after the
    entries before it in the list: one query reads the heads, one inserts. The caller has locked the applications."""
    last = (
        ApplicationEvent.objects.filter(application_id__in={entry.application_id for entry in entries})
        .values("application_id")
        .annotate(last=Max("id"))
        .values("last")
    )
    heads = dict(ApplicationEvent.objects.filter(id__in=last).values_list("application_id", "hash"))
    for entry in entries:
        entry.prev_hash = heads.get(entry.application_id, "")
        entry.hash = entry.content_hash()
        heads[entry.application_id] = entry.hash
    return ApplicationEvent.objects.bulk_create(entries)


def verify_chain(application_id: int | None = None) -> ApplicationEvent | None:
    """The first event whose chain is broken (altered, or a row before it removed), or None when intact."""
    return chain.first_broken(ApplicationEvent, chain=application_id)
