"""Complaints from the public (R25) and the intake where they meet the objections to public notices: each may
open an investigation on an application, or be answered directly."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import District
from accounts.scope import audit_scoped
from applications.models import Application, Objection, ObjectionStatus

from . import events
from .cases import DECIDERS, open_investigation
from .errors import AuditError, ComplaintLimitError
from .models import Complaint, ComplaintStatus, Investigation, Source

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_reference() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(8))


def _refuse_past_daily_limit(district: District, sender_key: str) -> None:
    """One sender files at most ``COMPLAINT_DAILY_LIMIT`` complaints in 24 hours; the telephone stays open."""
    if not sender_key:
        return
    since = timezone.now() - timedelta(hours=24)
    sent = Complaint.objects.filter(sender_key=sender_key, received_at__gte=since).count()
    if sent < settings.COMPLAINT_DAILY_LIMIT:
        return
    phone = district.complaint_phone
    raise ComplaintLimitError(
        _(
            "%(count)s complaints have already been sent from your connection today. Please try again tomorrow, "
            "or call %(district)s's complaint telephone %(phone)s."
        )
        % {"count": sent, "district": district.display_name, "phone": phone}
        if phone
        else _(
            "%(count)s complaints have already been sent from your connection today. Please try again tomorrow, "
            "or tell %(district)s's agriculture office directly."
        )
        % {"count": sent, "district": district.display_name},
        rule="R25",
    )


def submit_complaint(
    *,
    district: District,
    text: str,
    name: str = "",
    contact: str = "",
    application_number: str = "",
    sender_key: str = "",
):
    text = (text or "").strip()
    if not text:
        raise AuditError(_("Say what is wrong."), rule="R25")
    with transaction.atomic():
        _refuse_past_daily_limit(district, sender_key)
        complaint = Complaint.objects.create(
            reference=new_reference(),
            district=district,
            text=text,
            name=(name or "").strip(),
            contact=contact,
            application_number=(application_number or "").strip(),
            sender_key=sender_key,
        )
        events.record(complaint, action="complaint_received", data={"district": district.code})
    return complaint


def complaint_by_reference(reference: str) -> Complaint | None:
    reference = "".join((reference or "").split()).upper()
    return Complaint.objects.filter(reference=reference).select_related("district").first() if reference else None


def intake_for(user) -> tuple[QuerySet[Complaint], QuerySet[Objection]]:
    """Open complaints and objections not yet under an investigation, in the user's districts."""
    complaints = audit_scoped(user, Complaint.objects.exclude(status=ComplaintStatus.CLOSED)).filter(
        ~Exists(Investigation.objects.filter(complaint=OuterRef("pk")))
    )
    objections = audit_scoped(
        user,
        Objection.objects.filter(status=ObjectionStatus.OPEN).select_related("application__buyer"),
        district="application__district",
    ).filter(~Exists(Investigation.objects.filter(objection=OuterRef("pk"))))
    return complaints.select_related("district"), objections


def investigate_complaint(*, complaint_id: int, officer, reason: str):
    complaint = audit_scoped(officer, Complaint.objects.filter(pk=complaint_id)).first()
    if complaint is None:
        raise Http404
    application = Application.objects.filter(number=complaint.application_number, district=complaint.district).first()
    if application is None:
        raise AuditError(_("The complaint names no application of this district: answer it directly."), rule="R25")
    return open_investigation(
        application_id=application.pk, source=Source.COMPLAINT, complaint=complaint, reason=reason, by=officer
    )


def investigate_objection(*, objection_id: int, officer, reason: str):
    objection = audit_scoped(officer, Objection.objects.filter(pk=objection_id), district="application__district")
    objection = objection.first()
    if objection is None:
        raise Http404
    return open_investigation(
        application_id=objection.application_id, source=Source.OBJECTION, objection=objection, reason=reason, by=officer
    )


def answer_complaint(*, complaint_id: int, officer, outcome: str) -> Complaint:
    outcome = (outcome or "").strip()
    if not outcome:
        raise AuditError(_("Write the answer; the person who complained reads it."), rule="R25")
    if officer.role not in DECIDERS:
        raise PermissionDenied(_("Only the agriculture office answers complaints."))
    with transaction.atomic():
        complaint = audit_scoped(officer, Complaint.objects.select_for_update().filter(pk=complaint_id)).first()
        if complaint is None:
            raise Http404
        complaint.status, complaint.outcome = ComplaintStatus.CLOSED, outcome
        complaint.save(update_fields=["status", "outcome"])
        events.record(complaint, action="complaint_answered", actor=officer, reason=outcome)
    return complaint
