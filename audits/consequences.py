"""The consequences of a violation (R27, R38, R39, R43), each done through the app that owns it."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import Role, User
from applications import services as applications
from applications.workflow import State
from catalog import services as catalog
from notifications.services import language_for, notify

from .errors import AuditError
from .models import BuyerBar, Case


def _require_city(officer, what: str) -> None:
    if officer.role != Role.CITY_AGRICULTURE:
        raise AuditError(_("Only the municipal bureau may %(what)s.") % {"what": what}, rule="R27")


def apply_consequences(
    case: Case, *, officer, bar_buyer: bool, close_product: bool, suspend_filings: bool, credit_record: bool
) -> dict:
    from .cases import case_rule, years_later

    application = case.investigation.application
    today = timezone.localdate()
    rule = case_rule(today)
    reason = _("Decision %(number)s: %(text)s") % {"number": case.number, "text": case.decision_text}
    done: dict = {}
    if application.state == State.UNDER_INVESTIGATION:
        applications.reject_application(application_id=application.pk, officer=officer, reason=reason)
        done["rejected"] = True
    elif application.state == State.PAID and case.claw_back_amount:
        _ask_finance_to_claw_back(case, application)
        done["claw_back"] = str(case.claw_back_amount)
    if bar_buyer:
        until = years_later(today, rule.bar_years)
        BuyerBar.objects.create(buyer=application.buyer, case=case, until=until)
        done["bar_until"] = str(until)
    product = application.product
    if close_product and product is not None:
        _require_city(officer, _("close a product"))
        if not product.closed:
            catalog.close_product(product=product, by=officer, reason=reason)
        done["product_closed"] = product.pk
    if (suspend_filings or credit_record) and product is not None:
        until = years_later(today, rule.suspension_years) if suspend_filings else None
        catalog.record_violation(
            by=officer, reason=reason, decision=case.number, manufacturer=product.manufacturer, suspended_until=until
        )
        done["credit_record"] = product.manufacturer_id
        if until:
            done["filings_suspended_until"] = str(until)
    return done


def _ask_finance_to_claw_back(case: Case, application) -> None:
    """The claw-back is the money app's (``payments.services.claw_back``), done by the district's finance
    officers: they are told the decision and the amount, with a link to the application's claw-back form."""
    for user in User.objects.filter(role=Role.DISTRICT_FINANCE, district_id=application.district_id, is_active=True):
        with override(language_for(user)):
            notify(
                user=user,
                subject=_("Claw back application %(number)s") % {"number": application.number},
                body=_("Decision %(decision)s: %(amount)s yuan is to be recovered.")
                % {"decision": case.number, "amount": case.claw_back_amount},
                link=reverse("payments:application", args=[application.pk]),
            )
