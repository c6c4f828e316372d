"""The district office's decisions on an application (R30–R35, R38): accept or return it, schedule the check after
use, record the verification, reject it after an investigation, and hand it to finance. Each is one transaction on
the locked row, through ``applications.transitions.transition``."""

import random
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payments.services import funds

from .. import deadlines
from ..errors import ApplicationError
from ..messages import subsidy_text, tell_buyer
from ..models import (
    Application,
    DocumentKind,
    EventAction,
    ObjectionStatus,
    Step,
    Verification,
    VerificationMethod,
)
from ..rules import district_rule_on, propose_verification
from ..transitions import transition
from ..workflow import State
from .common import local_today, office_decision, required_reason
from .drafts import store_document
from .notice import decide_objections

NOT_APPROVED = gettext_lazy("Application %(number)s not approved")


def accept_application(*, application_id: int, officer, note: str = "") -> Application:
    """R30: accept within 2 working days; the verification method is proposed from the product's flags (R32)
    and the verification and overall clocks start (R33, R35)."""
    today = local_today()
    with office_decision(application_id, officer, State.SUBMITTED) as application:
        method, why, draw = propose_verification(application=application, on=today, rng=random.SystemRandom())
        application.verification_method = method
        transition(
            application,
            "accept",
            action=EventAction.ACCEPT,
            actor=officer,
            reason=note,
            data={"verification_method": method, "why": why, "draw": draw},
            also_save=("verification_method",),
            then=lambda: funds.reserve(application, actor=officer),
            meet=(Step.ACCEPT,),
            start=(Step.VERIFY, Step.OVERALL),
            on=today,
            tell=(
                gettext_lazy("Application %(number)s accepted"),
                gettext_lazy("The district will verify your machine next."),
            ),
        )
    return application


def return_application(*, application_id: int, officer, reason: str) -> Application:
    """R30: not accepted (e.g. documents incomplete): the reason goes back to the buyer, who amends."""
    reason = required_reason(reason, "R30")
    with office_decision(application_id, officer, State.SUBMITTED) as application:
        transition(
            application,
            "return_to_buyer",
            args={"reason": reason},
            action=EventAction.RETURN,
            actor=officer,
            reason=reason,
            meet=(Step.ACCEPT,),
            tell=(
                gettext_lazy("Application %(number)s returned: please amend"),
                gettext_lazy("What to amend: %(reason)s"),
                {"reason": reason},
            ),
        )
    return application


def schedule_use_check(*, application_id: int, officer, note: str) -> Application:
    """R32: installation or facility equipment is verified on site after installation and a period of use; the
    clocks wait meanwhile."""
    note = required_reason(note, "R32")
    with office_decision(application_id, officer, State.ACCEPTED) as application:
        transition(application, "await_use", action=EventAction.AWAIT_USE, actor=officer, reason=note, pause=True)
    return application


def _check_verification(*, findings: str, method: str, checked_on: date, today: date) -> str:
    findings = required_reason(findings, "R32")
    if method not in VerificationMethod.values:
        raise ApplicationError(_("Choose how the machine was verified."), rule="R32")
    if checked_on > today:
        raise ApplicationError(_("The verification date is in the future."), rule="R33")
    return findings


def _require_district_work(application: Application, *, passed: bool, work_done: str, today: date) -> None:
    rule = district_rule_on(application.district, today)
    if passed and rule.required_work and not work_done.strip():
        raise ApplicationError(
            _("The district requires %(work)s before verification: record the work done.")
            % {"work": rule.required_work},
            rule="R32",
        )


def record_verification(
    *,
    application_id: int,
    officer,
    method: str,
    checked_on: date,
    findings: str,
    passed: bool,
    work_done: str = "",
    photos=(),
) -> Application:
    """R32, R33: the method, the date, the findings and photos; pass → verified, fail → rejected."""
    today = local_today()
    findings = _check_verification(findings=findings, method=method, checked_on=checked_on, today=today)
    with office_decision(application_id, officer, State.ACCEPTED, State.AWAITING_USE) as application:
        _require_district_work(application, passed=passed, work_done=work_done, today=today)
        if application.state == State.AWAITING_USE:
            deadlines.resume_all(application, on=today)
        Verification.objects.create(
            application=application,
            proposed_method=application.verification_method or method,
            method=method,
            checked_on=checked_on,
            findings=findings,
            passed=passed,
            officer=officer,
            work_done=work_done.strip(),
        )
        for photo in photos:
            store_document(application, user=officer, kind=DocumentKind.VERIFICATION, upload=photo)
        transition(
            application,
            "pass_verification" if passed else "fail_verification",
            action=EventAction.VERIFY_PASS if passed else EventAction.VERIFY_FAIL,
            actor=officer,
            reason=findings,
            data={"method": method, "checked_on": checked_on.isoformat(), "work_done": work_done.strip()},
            meet=(Step.VERIFY,),
        )
        if not passed:
            funds.release(application, actor=officer, reason="verification failed")
            deadlines.end_all(application)
            tell_buyer(application, NOT_APPROVED, gettext_lazy("Verification found: %(findings)s"), findings=findings)
    return application


def reject_application(*, application_id: int, officer, reason: str) -> Application:
    """R38: rejected after an investigation; the objections are upheld and the money held is released."""
    reason = required_reason(reason, "R38")
    with office_decision(application_id, officer, State.UNDER_INVESTIGATION) as application:

        def release_and_uphold():
            funds.release(application, actor=officer, reason="rejected")
            decide_objections(application, status=ObjectionStatus.UPHELD, officer=officer, decision=reason)

        transition(
            application,
            "reject",
            action=EventAction.REJECT,
            actor=officer,
            reason=reason,
            then=release_and_uphold,
            end=True,
            tell=(NOT_APPROVED, gettext_lazy("Reason: %(reason)s"), {"reason": reason}),
        )
    return application


def request_payment(*, application_id: int, officer, note: str = "") -> Application:
    """R35: within 5 working days after the notice, hand the application and its materials to district finance;
    R36: district finance pays within 15 working days."""
    with office_decision(application_id, officer, State.NOTICE_PASSED) as application:
        transition(
            application,
            "request_payment",
            action=EventAction.REQUEST_PAYMENT,
            actor=officer,
            reason=note,
            data={"total": str(application.total_amount)},
            meet=(Step.HAND_OVER, Step.OVERALL),
            start=(Step.PAY,),
            tell=(
                gettext_lazy("Application %(number)s handed over for payment"),
                gettext_lazy("District finance pays it to your account within 15 working days. %(subsidy)s"),
                {"subsidy": subsidy_text(application)},
            ),
        )
    return application
