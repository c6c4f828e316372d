"""The application's row lock: every write to an application takes it first, in its transaction (pretix's
``approve_order``: lock, check, write)."""

from django.http import Http404

from .models import Application


def locked_application(application_id: int) -> Application:
    """The application, locked for the rest of the transaction (404 when there is none)."""
    try:
        return Application.objects.select_for_update().select_related("district", "buyer").get(pk=application_id)
    except Application.DoesNotExist as exc:
        raise Http404 from exc
