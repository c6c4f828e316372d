"""Investigations and violation cases (R38, R39, R42, R43): each step one transaction with its chained event
(R45); the consequences go through the owning apps' services."""

import calendar
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from accounts.models import Role, User
from accounts.scope import audit_scoped
from applications import services as applications
from applications.models import Application
from applications.workflow import INVESTIGABLE, State
from notifications.services import language_for, notify
from workdays.calendar import add_working_days

from . import events
from .errors import AuditError
from .models import BuyerBar, Case, CaseRule, Decision, Investigation, Party, ViolationKind

DECIDERS = (Role.DISTRICT_AGRICULTURE, Role.CITY_AGRICULTURE)


def case_rule(on: date) -> CaseRule:
    return CaseRule.objects.filter(valid_from__lte=on).first() or CaseRule(valid_from=on)


def years_later(day: date, years: int) -> date:
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def _text(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise AuditError(_("Give the reason; it is kept on record."), rule="R45")
    return reason


def _tell_buyer(application: Application, subject: str, body: str) -> None:
    with override(language_for(application.buyer)):
        notify(user=application.buyer, subject=_(subject) % {"number": application.number}, body=_(body))


def open_investigation(
    *, application_id: int, source: str, reason: str, by, task=None, warning=None, objection=None, complaint=None
) -> Investigation:
    """Open an investigation. An unpaid application goes under investigation (its deadlines pause, the buyer is
    told the district is checking); one already under investigation (an objection) stays so; a paid one keeps
    its state and the case is opened on it."""
    reason = _text(reason)
    if by.role not in (*DECIDERS, Role.AUDITOR):
        raise PermissionDenied(_("Only officials open investigations."))
    with transaction.atomic():
        application = audit_scoped(by, Application.objects.select_for_update().filter(pk=application_id)).first()
        if application is None:
            raise Http404
        if Investigation.objects.filter(application=application, closed_at__isnull=True).exists():
            raise AuditError(_("This application is already being investigated."), rule="R38")
        paused = application.state in INVESTIGABLE
        investigation = Investigation.objects.create(
            application=application,
            district_id=application.district_id,
            source=source,
            task=task,
            warning=warning,
            objection=objection,
            complaint=complaint,
            reason=reason,
            paused=paused,
            opened_by=by,
        )
        if paused:
            applications.investigate(
                application_id=application.pk, reason=reason, actor=by, data={"investigation": investigation.pk}
            )
            _tell_buyer(
                application,
                gettext_noop("Application %(number)s is being checked"),
                gettext_noop(
                    "The district is checking your application. Its time limits are paused meanwhile; you will be "
                    "told the result."
                ),
            )
        if complaint is not None:
            complaint.status = "investigating"
            complaint.save(update_fields=["status"])
        events.record(
            investigation,
            action="investigation_opened",
            actor=by,
            reason=reason,
            application=application,
            data={"source": source, "paused": paused, "state": application.state},
        )
    return investigation


def _decider_investigation(investigation_id: int, officer) -> Investigation:
    if officer.role not in DECIDERS:
        raise PermissionDenied(_("Only the agriculture office decides investigations."))
    found = audit_scoped(
        officer, Investigation.objects.select_for_update().filter(pk=investigation_id, closed_at__isnull=True)
    ).first()
    if found is None:
        raise Http404
    return found


def refer_to_judiciary(*, investigation_id: int, officer, on: date, body: str) -> Investigation:
    """A suspected crime: marked as referred, with the date and the body."""
    body = _text(body)
    with transaction.atomic():
        investigation = _decider_investigation(investigation_id, officer)
        investigation.referred_on, investigation.referred_to = on, body
        investigation.save(update_fields=["referred_on", "referred_to"])
        events.record(
            investigation,
            action="referred",
            actor=officer,
            application=investigation.application_id,
            data={"on": str(on), "body": body},
        )
    return investigation


def party_users(investigation: Investigation, party: str):
    application = investigation.application
    if party == Party.BUYER:
        return [application.buyer]
    if party == Party.MANUFACTURER and application.product_id:
        return list(application.product.manufacturer.members.all())
    return []


def propose_decision(*, investigation_id: int, officer, party: str, proposed: str) -> Case:
    """拟处理意见: sent to the party, who may answer within the working days of the case rule in force."""
    proposed = _text(proposed)
    if party not in Party.values:
        raise AuditError(_("Choose the party."), rule="R38")
    today = timezone.localdate()
    with transaction.atomic():
        investigation = _decider_investigation(investigation_id, officer)
        if Case.objects.filter(investigation=investigation).exists():
            raise AuditError(_("A decision has already been proposed."), rule="R38")
        days = case_rule(today).answer_working_days
        n = Case.objects.filter(investigation__district=investigation.district, proposed_on__year=today.year).count()
        case = Case.objects.create(
            investigation=investigation,
            number=f"WG-{today.year}-{investigation.district.code}-{n + 1:03d}",
            party=party,
            proposed=proposed,
            proposed_by=officer,
            proposed_on=today,
            answer_due_on=add_working_days(today, days),
        )
        for user in party_users(investigation, party):
            with override(language_for(user)):
                notify(
                    user=user,
                    subject=_("Proposed decision %(number)s") % {"number": case.number},
                    body=_("%(text)s You may answer by %(due)s.") % {"text": proposed, "due": case.answer_due_on},
                    link=reverse("audits_party:case", args=[case.pk]),
                )
        events.record(
            case,
            action="decision_proposed",
            actor=officer,
            reason=proposed,
            application=investigation.application_id,
            data={"party": party, "answer_due_on": str(case.answer_due_on), "working_days": days},
        )
    return case


def record_answer(*, case_id: int, user, text: str) -> Case:
    """The party's answer (or the office entering an answer given on paper), within the answer period."""
    text = _text(text)
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("investigation__application").get(pk=case_id)
        if user.role not in DECIDERS and user not in party_users(case.investigation, case.party):
            raise Http404
        if case.decision:
            raise AuditError(_("The case is decided."), rule="R38")
        if timezone.localdate() > case.answer_due_on:
            raise AuditError(_("The period to answer ended on %(due)s.") % {"due": case.answer_due_on}, rule="R38")
        case.answer, case.answered_at = text, timezone.now()
        case.save(update_fields=["answer", "answered_at"])
        events.record(case, action="answered", actor=user, reason=text, application=case.investigation.application_id)
    return case


def _locked_case(case_id: int, officer) -> Case:
    if officer.role not in DECIDERS:
        raise PermissionDenied(_("Only the agriculture office decides cases."))
    case = audit_scoped(
        officer,
        Case.objects.select_for_update(of=("self",))
        .select_related("investigation__application__product__manufacturer", "investigation__district")
        .filter(pk=case_id),
        district="investigation__district",
    ).first()
    if case is None:
        raise Http404
    return case


def decide_case(
    *,
    case_id: int,
    officer,
    decision: str,
    text: str,
    kind: str = "",
    claw_back_amount=None,
    bar_buyer: bool = False,
    close_product: bool = False,
    suspend_filings: bool = False,
    credit_record: bool = False,
) -> Case:
    """The decision. Cleared: the application resumes where it was with its remaining working days. Violation:
    an unpaid application is rejected; a paid one's claw-back goes to district finance; and the chosen
    consequences, each through its app's service."""
    text = _text(text)
    if decision not in Decision.values or (decision == Decision.VIOLATION and kind not in ViolationKind.values):
        raise AuditError(_("Choose the decision and, for a violation, its kind."), rule="R38")
    today = timezone.localdate()
    with transaction.atomic():
        case = _locked_case(case_id, officer)
        if case.decision:
            raise AuditError(_("The case is already decided."), rule="R38")
        if not case.answered_at and today <= case.answer_due_on:
            raise AuditError(
                _("The party may answer until %(due)s; decide after that or once it has answered.")
                % {"due": case.answer_due_on},
                rule="R38",
            )
        investigation = case.investigation
        case.decision, case.kind, case.decision_text = decision, kind if decision == Decision.VIOLATION else "", text
        case.decided_by, case.decided_on = officer, today
        if decision == Decision.CLEARED:
            _clear(investigation, officer, text)
        else:
            from .consequences import apply_consequences

            case.claw_back_amount = claw_back_amount
            case.consequences = apply_consequences(
                case,
                officer=officer,
                bar_buyer=bar_buyer,
                close_product=close_product,
                suspend_filings=suspend_filings,
                credit_record=credit_record,
            )
        case.save()
        _close(investigation, case)
        events.record(
            case,
            action="case_decided",
            actor=officer,
            reason=text,
            application=investigation.application_id,
            data={"decision": decision, "kind": case.kind, "consequences": case.consequences},
        )
    return case


def _close(investigation: Investigation, case: Case) -> None:
    investigation.closed_at = timezone.now()
    investigation.save(update_fields=["closed_at"])
    if investigation.complaint_id:
        investigation.complaint.status = "closed"
        investigation.complaint.outcome = case.get_decision_display()
        investigation.complaint.save(update_fields=["status", "outcome"])


def _clear(investigation: Investigation, officer, text: str) -> None:
    application = Application.objects.get(pk=investigation.application_id)
    if application.state == State.UNDER_INVESTIGATION:
        applications.clear_investigation(application_id=application.pk, officer=officer, finding=text)
        _tell_buyer(
            application,
            gettext_noop("Application %(number)s: check finished"),
            gettext_noop("The district's check found no problem. Your application continues where it was."),
        )


def active_bar(buyer: User, on: date) -> BuyerBar | None:
    return BuyerBar.objects.filter(buyer=buyer, until__gte=on).select_related("case").order_by("-until").first()


def refuse_barred_buyer(application, *, on: date) -> None:
    """The submission hook: a buyer barred by a decided violation case may not apply until the bar ends (R39)."""
    bar = active_bar(application.buyer, on)
    if bar is not None:
        raise applications.ApplicationError(
            _("You may not apply until %(until)s: decision %(number)s found a violation.")
            % {"until": bar.until, "number": bar.case.number},
            rule="R39",
        )
