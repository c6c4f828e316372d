"""Closing a subsidy year with four eyes (R37, R45): one official of the municipal finance bureau asks, a second
approves, and the approval closes the year through ``rollover``. The row of the request says who did which."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import scope
from accounts.roles import four_eyes_refusal

from .. import selectors
from ..errors import PaymentError
from ..models import Rollover, YearEndRequest
from .year_end import rollover


def request_year_end(*, year: int, officer) -> YearEndRequest:
    """Ask to close ``year``; a second official approves. Asking again (or after another asked) changes nothing."""
    scope.ensure_city_finance(officer, reason=scope.CLOSES_YEARS)
    selectors.ensure_closable(year)
    with transaction.atomic():
        if Rollover.objects.filter(year=year).exists():
            raise PaymentError(_("%(year)s is already closed.") % {"year": year}, rule="R37")
        request, _made = YearEndRequest.objects.get_or_create(year=year, defaults={"requested_by": officer})
    return request


def approve_year_end(*, year: int, officer) -> dict:
    """The second official approves: the year is closed (``rollover``'s plan is returned). Never the one who asked,
    nor an account that official made or changed, nor one given its role only lately (``four_eyes_refusal``)."""
    scope.ensure_city_finance(officer, reason=scope.CLOSES_YEARS)
    with transaction.atomic():
        request = YearEndRequest.objects.select_for_update().filter(year=year).first()
        if request is None:
            raise PaymentError(_("Nobody has asked to close %(year)s yet.") % {"year": year}, rule="R37")
        if request.approved_by_id is not None:
            return selectors.empty_plan(year, done_before=True)
        if request.requested_by_id == officer.pk:
            raise PaymentError(
                _("You asked to close this year; a second official of the municipal finance bureau must approve it."),
                rule="R37",
            )
        if refusal := four_eyes_refusal(approver=officer, builder_id=request.requested_by_id):
            raise PaymentError(refusal, rule="R37")
        plan = rollover(year=year, actor=officer)
        request.approved_by, request.approved_at = officer, timezone.now()
        request.save(update_fields=["approved_by", "approved_at"])
    return plan
