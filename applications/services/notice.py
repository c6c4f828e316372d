"""The public notice (R34): opened by the office, objected to by anyone, investigated and cleared. Each is one
transaction on the locked row, through ``applications.transitions.transition``."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import deadlines, events
from ..errors import ApplicationError, ObjectionLimitError
from ..locks import locked_application
from ..messages import tell_buyer
from ..models import (
    Application,
    DocumentKind,
    EventAction,
    Objection,
    ObjectionAnswer,
    ObjectionStatus,
    Step,
    VerificationMethod,
)
from ..transitions import require_state, transition
from ..workflow import INVESTIGABLE, State
from .common import local_today, office_decision, own, required_reason
from .drafts import store_document

ANSWER_MAX_DOCUMENTS = 5


def decide_objections(application: Application, *, status: str, officer, decision: str) -> None:
    """The open objections to the application, upheld (rejected) or dismissed (cleared), with who and why."""
    Objection.objects.filter(application=application, status=ObjectionStatus.OPEN).update(
        status=status, decided_by=officer, decided_at=timezone.now(), decision=decision
    )


def open_notice(*, application_id: int, officer) -> Application:
    """R34: a verified application goes into the district's public notice for 5 working days."""
    with office_decision(application_id, officer, State.VERIFIED) as application:
        transition(application, "open_notice", action=EventAction.OPEN_NOTICE, actor=officer)
        notice = deadlines.start(application, Step.NOTICE, on=local_today())
        tell_buyer(
            application,
            gettext_lazy("Application %(number)s in public notice"),
            gettext_lazy("Your application is published until %(end)s; anyone may object meanwhile."),
            end=notice.due_on,
        )
    return application


def verify_and_open_notice(*, application_id: int, officer, **verification) -> Application:
    """R32–R34 in one step: a documents-only check that passed is recorded and the notice opened at once, in one
    transaction (both, or neither). Any other method, or a failed check, is refused: those are two decisions."""
    from .decisions import record_verification  # decisions imports this module's neighbours; late to avoid a cycle

    if verification.get("method") != VerificationMethod.DOCUMENTS or not verification.get("passed"):
        raise ApplicationError(
            _("Only a documents-only check that passed opens the notice in the same step."), rule="R32"
        )
    with transaction.atomic():
        record_verification(application_id=application_id, officer=officer, **verification)
        return open_notice(application_id=application_id, officer=officer)


def _refuse_past_daily_limit(application: Application, sender_key: str) -> None:
    """One sender may send at most ``OBJECTION_DAILY_LIMIT`` objections in 24 hours (each pauses a notice)."""
    since = timezone.now() - timedelta(hours=24)
    sent = Objection.objects.filter(sender_key=sender_key, received_at__gte=since).count()
    if sent < settings.OBJECTION_DAILY_LIMIT:
        return
    district = application.district
    where = (
        _("%(district)s, telephone %(phone)s") % {"district": district.display_name, "phone": phone}
        if (phone := district.complaint_phone)
        else district.display_name
    )
    raise ObjectionLimitError(
        _(
            "%(count)s objections have already been sent from your connection today. Please try again "
            "tomorrow, or tell the district's agriculture office (%(district)s) directly."
        )
        % {"count": sent, "district": where},
        rule="R34",
    )


NOTICE_OVER = gettext_lazy(
    "The public notice of this application ended on %(end)s; objections are no longer received here. "
    "Please tell the district's agriculture office directly."
)


def object_to_notice(
    *, application_id: int, text: str, name: str = "", contact: str = "", sender_key: str = ""
) -> Objection:
    """R34: anyone may object during the notice; the clock stops and the application is investigated. Because every
    objection pauses a notice, one sender (``sender_key``, a keyed hash of the network address) may send at most
    ``OBJECTION_DAILY_LIMIT`` objections in 24 hours; past that the objection is refused with where else to go."""
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("Say what is wrong with this application."), rule="R34")
    with transaction.atomic():
        application = locked_application(application_id)
        if application.state != State.IN_NOTICE:
            raise Http404
        if ended := deadlines.notice_ended_on(application, on=local_today()):  # the clock has run out (R34)
            raise ApplicationError(NOTICE_OVER % {"end": ended.isoformat()}, rule="R34")
        if sender_key:
            _refuse_past_daily_limit(application, sender_key)
        objection = Objection.objects.create(
            application=application, text=text, name=name.strip(), contact=contact.strip(), sender_key=sender_key
        )
        transition(
            application,
            "investigate",
            action=EventAction.OBJECTION,
            reason=text,
            data={"objection": objection.pk},
            pause=True,
            tell=(
                gettext_lazy("Objection to application %(number)s"),
                gettext_lazy(
                    "Someone objected during the public notice. The district is checking; the notice is paused."
                ),
            ),
        )
    return objection


def investigate(*, application_id: int, reason: str, actor=None, data: dict | None = None) -> Application:
    """Put an application under investigation (a warning or sample finding, R19, R38); clocks pause."""
    reason = required_reason(reason, "R38")
    with transaction.atomic():
        application = locked_application(application_id)
        require_state(application, *INVESTIGABLE)
        transition(
            application,
            "investigate",
            action=EventAction.INVESTIGATE,
            actor=actor,
            reason=reason,
            data=data,
            pause=True,
        )
    return application


def clear_investigation(*, application_id: int, officer, finding: str) -> Application:
    """Cleared: back to the state it left; a paused notice resumes with the working days it had left (R34)."""
    finding = required_reason(finding, "R34")
    with office_decision(application_id, officer, State.UNDER_INVESTIGATION) as application:
        transition(
            application,
            "clear_investigation",
            action=EventAction.CLEAR,
            actor=officer,
            reason=finding,
            then=lambda: decide_objections(
                application, status=ObjectionStatus.DISMISSED, officer=officer, decision=finding
            ),
            resume=True,
        )
    return application


def answer_objection(*, objection_id: int, buyer, text: str, uploads=()) -> ObjectionAnswer:
    """申辩 (R34): while an objection to their application is investigated, the buyer sends a statement with up to
    ``ANSWER_MAX_DOCUMENTS`` documents (checked like every upload); recorded as an event; the state is unchanged.
    Another buyer's objection is not found (404)."""
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("Say in your own words what happened."), rule="R34")
    if len(uploads) > ANSWER_MAX_DOCUMENTS:
        raise ApplicationError(
            _("Send at most %(count)d documents with one answer.") % {"count": ANSWER_MAX_DOCUMENTS}, rule="R34"
        )
    objection = Objection.objects.filter(pk=objection_id).only("application_id").first()
    if objection is None:
        raise Http404
    with transaction.atomic():
        application = own(objection.application_id, buyer)
        objection = Objection.objects.select_for_update().get(pk=objection_id)
        if application.state != State.UNDER_INVESTIGATION or objection.status != ObjectionStatus.OPEN:
            raise ApplicationError(_("This objection has been decided; it can no longer be answered."), rule="R34")
        answer = ObjectionAnswer.objects.create(objection=objection, text=text, sent_by=buyer)
        documents = [
            store_document(application, user=buyer, kind=DocumentKind.ANSWER, upload=upload, answer=answer)
            for upload in uploads
        ]
        events.record(
            application,
            action=EventAction.ANSWER,
            actor=buyer,
            from_state=application.state,
            reason=text,
            data={"objection": objection.pk, "answer": answer.pk, "documents": [d.pk for d in documents]},
        )
    return answer
