"""What the application services share: today, finding the row locked for the buyer or the office, and the
reason a decision must give."""

from contextlib import contextmanager
from datetime import date

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import scope

from ..errors import ApplicationError
from ..locks import locked_application
from ..models import Application
from ..transitions import require_state


def local_today() -> date:
    return timezone.localdate()


def own(application_id: int, buyer) -> Application:
    """The buyer's own application, locked; another buyer's is not found."""
    application = locked_application(application_id)
    if application.buyer_id != buyer.pk:
        raise Http404
    return application


def for_office(application_id: int, officer) -> Application:
    """The application, locked, if the officer works on it: the district's agriculture office (or the
    municipal bureau, which oversees every district). Anyone else does not find it."""
    application = locked_application(application_id)
    if not scope.scoped(officer, Application.objects.filter(pk=application.pk)).exists():
        raise Http404
    scope.ensure_agriculture_office(officer)
    return application


@contextmanager
def office_decision(application_id: int, officer, *states: str):
    """The office's decision as one transaction: the application locked (``for_office``) and in one of
    ``states``, else refused before anything is written."""
    with transaction.atomic():
        application = for_office(application_id, officer)
        require_state(application, *states)
        yield application


def required_reason(reason: str, rule: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the reason; the buyer reads it and it is kept on record."), rule=rule)
    return reason
