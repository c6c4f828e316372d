"""The application's trail (R45): one immutable, chained event per decision, written in the decision's
transaction. Each application's events form a chain: a row stores the previous row's hash and its own."""

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


def verify_chain(application_id: int | None = None) -> ApplicationEvent | None:
    """The first event whose chain is broken (altered, or a row before it removed), or None when intact."""
    return chain.first_broken(ApplicationEvent, chain=application_id)
