"""The application's business operations (R29–R41). Each is one transaction: lock the row, check, change the
state through its transition, record the event, start or stop the clocks; messages go out after commit."""

import io
import random
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from accounts import scope
from accounts.models import BuyerKind, Role
from catalog.errors import CatalogueError
from catalog.models import LimitKind
from catalog.money import format_yuan, yuan
from catalog.rules import rules_in_force
from catalog.selectors import may_name_product, qualification, snapshot_for
from catalog.uploads import check_upload
from notifications.services import language_for, notify

from . import deadlines, events, hooks
from .commitment import commitment_letter
from .models import (
    Application,
    Document,
    DocumentKind,
    EventAction,
    Objection,
    ObjectionStatus,
    PaymentMethod,
    Step,
    Verification,
    VerificationMethod,
    Warning,
)
from .rules import district_rule_on, propose_verification
from .workflow import INVESTIGABLE, WITHDRAWABLE, State

CASH_FLAG_ABOVE = Decimal("5000.00")  # R28
REQUIRED_DOCUMENTS = [DocumentKind.INVOICE, DocumentKind.NAMEPLATE, DocumentKind.MACHINE, DocumentKind.IDENTITY]
DRAFT_FIELDS = {
    "district",
    "town",
    "ground",
    "outside_base",
    "outside_base_address",
    "annual_supply_tonnes",
    "product",
    "serial_number",
    "production_date",
    "purchase_date",
    "invoice_number",
    "invoice_price",
    "payment_method",
    "payee_name",
    "bank_name",
    "account_number",
}
PHOTO_MAX_PIXELS = 1600


class ApplicationError(Exception):
    """A refusal shown to the user: a translated ``message`` and the ``rule`` it enforces."""

    def __init__(self, message, *, rule: str = ""):
        super().__init__(str(message))
        self.message = message
        self.rule = rule


def _today() -> date:
    return timezone.localdate()


def _payments():
    """The money side (payments.services): reservation, release, caps and pre-registration. Imported late,
    because it builds on this module."""
    from payments import services as payments

    return payments


def locked_application(application_id: int) -> Application:
    """The application, locked for the rest of the transaction (404 when there is none)."""
    try:
        return Application.objects.select_for_update().select_related("district", "buyer").get(pk=application_id)
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def _own(application_id: int, buyer) -> Application:
    application = locked_application(application_id)
    if application.buyer_id != buyer.pk:
        raise Http404
    return application


def _officer(application_id: int, officer) -> Application:
    """The application, locked, if the officer works on it: the district's agriculture office (or the
    municipal bureau, which oversees every district). Anyone else does not find it."""
    application = locked_application(application_id)
    if not scope.scoped(officer, Application.objects.filter(pk=application.pk)).exists():
        raise Http404
    if officer.role not in (Role.DISTRICT_AGRICULTURE, Role.CITY_AGRICULTURE):
        raise PermissionDenied(_("Only the agriculture office decides on applications."))
    return application


def _require_state(application: Application, *states: str) -> None:
    if application.state not in states:
        raise ApplicationError(
            _("This cannot be done now: the application is %(state)s.") % {"state": application.get_state_display()},
            rule="R45",
        )


def _require_reason(reason: str, rule: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the reason; the buyer reads it and it is kept on record."), rule=rule)
    return reason


def tell_buyer(application: Application, subject: str, body: str, link: str = "") -> None:
    """A message to the buyer about the application, linking to its page unless ``link`` says otherwise."""
    notify(
        user=application.buyer,
        subject=subject,
        body=body,
        link=link or reverse("apply:application", args=[application.pk]),
    )


# --- The buyer ------------------------------------------------------------------------------------------------


def start_application(*, buyer, district) -> Application:
    if buyer.role != Role.BUYER:
        raise PermissionDenied
    with transaction.atomic():
        application = Application.objects.create(buyer=buyer, district=district, payee_name=buyer.display_name)
        events.record(application, action=EventAction.CREATE, actor=buyer)
    return application


def update_draft(*, application_id: int, buyer, **fields) -> Application:
    """Save what the buyer entered on a draft or a returned application; nothing is checked that would stop it."""
    unknown = set(fields) - DRAFT_FIELDS
    if unknown:
        raise TypeError(f"not draft fields: {sorted(unknown)}")
    with transaction.atomic():
        application = _own(application_id, buyer)
        _require_state(application, State.DRAFT, State.RETURNED)
        for name, value in fields.items():
            if name == "serial_number":
                application.set_serial(value)
            elif name == "account_number":
                application.account_number = value
            else:
                setattr(application, name, value)
        if "product" in fields:
            application.manufacturer_id = application.product.manufacturer_id if application.product else None
        if application.town_id and application.town.district_id != application.district_id:
            application.town = None  # a town of another district (the district changed): asked again
        application.save()
    return application


def _resized(upload) -> ContentFile:
    from PIL import Image, ImageOps

    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((PHOTO_MAX_PIXELS, PHOTO_MAX_PIXELS))
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    upload.seek(0)
    return ContentFile(out.getvalue(), name="resized.jpg")


def _store_document(application: Application, *, user, kind: str, upload) -> Document:
    original_name = (getattr(upload, "name", "") or "")[:200]
    try:
        content_type = check_upload(upload)
    except CatalogueError as error:
        raise ApplicationError(error.message, rule="R29") from error
    document = Document(
        application=application,
        kind=kind,
        content_type=content_type,
        original_name=original_name,
        size=upload.size,
        uploaded_by=user,
    )
    document.original.save(upload.name, upload, save=False)
    if content_type.startswith("image/"):
        document.resized.save("resized.jpg", _resized(upload), save=False)
    document.save()
    return document


def add_document(*, application_id: int, user, kind: str, upload) -> Document:
    """A scan or photo, checked by its content (JPEG, PNG, PDF; at most 10 MB), stored under a name the system
    chooses outside every served root; photos keep their original beside a resized copy."""
    if kind not in DocumentKind.values or kind == DocumentKind.VERIFICATION:
        raise ApplicationError(_("Unknown kind of document."), rule="R29")
    with transaction.atomic():
        application = _own(application_id, user)
        _require_state(application, State.DRAFT, State.RETURNED)
        return _store_document(application, user=user, kind=kind, upload=upload)


def remove_document(*, document_id: int, user) -> None:
    """Take a document off a draft; the file is kept (nothing is deleted), only marked removed."""
    with transaction.atomic():
        document = Document.objects.select_related("application").filter(pk=document_id).first()
        if document is None or document.removed_at is not None:
            raise Http404
        application = _own(document.application_id, user)
        _require_state(application, State.DRAFT, State.RETURNED)
        document.removed_at = timezone.now()
        document.save(update_fields=["removed_at"])


def missing_for_submission(application: Application) -> list[str]:
    """What the buyer still has to enter; empty when the application can be submitted."""
    missing = []
    required = [
        ("ground", _("the ground of application")),
        ("product", _("the machine")),
        ("serial_number", _("the factory serial number")),
        ("production_date", _("the production date")),
        ("purchase_date", _("the purchase date")),
        ("invoice_number", _("the invoice number")),
        ("invoice_price", _("the invoice price")),
        ("payment_method", _("the payment method")),
        ("payee_name", _("the account holder")),
        ("bank_name", _("the bank")),
        ("account_encrypted", _("the card or account number")),
    ]
    for field, label in required:
        value = application.product_id if field == "product" else getattr(application, field)
        if value in (None, ""):
            missing.append(label)
    kinds = set(application.documents.filter(removed_at__isnull=True).values_list("kind", flat=True))
    missing.extend(
        _("a photo or scan of: %(kind)s") % {"kind": DocumentKind(kind).label}
        for kind in REQUIRED_DOCUMENTS
        if kind not in kinds
    )
    if application.outside_base:
        if not application.outside_base_address or application.annual_supply_tonnes is None:
            missing.append(_("the base's address and its declared annual supply to Beijing"))
        if DocumentKind.BASE_PROOF not in kinds:
            missing.append(_("the proof of production at the base outside Beijing"))
    return missing


def tonnes(value: Decimal) -> str:
    """1200.50 → "1200.5", 100.00 → "100": a weight as people write it."""
    return format(value.normalize(), "f")


def minimum_supply(*, on: date) -> Decimal | None:
    """R5: the municipality's minimum annual supply to Beijing from a base outside it, once published (a row)."""
    return rules_in_force(on=on).limit(LimitKind.OUTSIDE_BASE_MIN_SUPPLY)


def _check_submission(application: Application, today: date) -> None:
    missing = missing_for_submission(application)
    if missing:
        raise ApplicationError(
            _("Please complete: %(missing)s.") % {"missing": "、".join(str(m) for m in missing)}, rule="R29"
        )
    if application.outside_base and application.buyer.buyer_kind == BuyerKind.INDIVIDUAL:
        raise ApplicationError(_("Only an organisation may apply for equipment at a base outside Beijing."), rule="R5")
    minimum = minimum_supply(on=today)
    if application.outside_base and minimum is not None and application.annual_supply_tonnes < minimum:
        raise ApplicationError(
            _(
                "A base outside Beijing must supply at least %(minimum)s tonnes of produce to Beijing a year; "
                "%(declared)s tonnes are declared."
            )
            % {"minimum": tonnes(minimum), "declared": tonnes(application.annual_supply_tonnes)},
            rule="R5",
        )
    if application.purchase_date > today:
        raise ApplicationError(_("The purchase date is in the future."), rule="R29")
    decision = may_name_product(product=application.product, on=today)
    if not decision:
        raise ApplicationError(decision.reason, rule="R27" if application.product.closed else "R26")
    qualified = qualification(
        product=application.product, produced_on=application.production_date, bought_on=application.purchase_date
    )
    if not qualified:
        raise ApplicationError(" ".join(str(r) for r in qualified.reasons), rule=qualified.rule)
    taken = (
        Application.objects.filter(manufacturer_id=application.manufacturer_id, serial_key=application.serial_key)
        .exclude(state__in=[State.DRAFT, State.WITHDRAWN, State.REJECTED])
        .exclude(pk=application.pk)
    )
    if taken.exists():
        raise ApplicationError(_("A machine with this factory serial number has already been applied for."), rule="R11")
    hooks.run_checks(application, on=today)  # issue 11: a buyer barred by a decided violation case (R39)


def _raise_warnings(application: Application) -> None:
    if application.payment_method == PaymentMethod.CASH and application.invoice_price > CASH_FLAG_ABOVE:
        Warning.objects.get_or_create(
            application=application,
            code="cash_over_5000",
            cleared_at=None,
            # The English source text is stored, and translated where it is shown.
            defaults={"rule": "R28", "message": gettext_noop("Paid in cash above 5,000 yuan.")},
        )


def submit_application(*, application_id: int, buyer, accept_commitment: bool) -> Application:
    """Sign the commitment letter (R29) and submit. Only a violation may stop a submission (R39): a closed or
    unpublished product (R26, R27), an unqualified one (R10, R12, R13), a serial number already applied for
    (R11). The catalogue, amounts and rules in force today are stored with the application (R41)."""
    if not accept_commitment:
        raise ApplicationError(_("Read the commitment letter and tick the box to sign it."), rule="R29")
    today = _today()
    try:
        with transaction.atomic():
            application = _own(application_id, buyer)
            _require_state(application, State.DRAFT, State.RETURNED)
            _check_submission(application, today)
            with override(language_for(buyer)):
                version, text = commitment_letter()
            snapshot = snapshot_for(grade=application.product.grade, on=today)
            amounts = {fund: yuan(a["amount"]) for fund, a in snapshot["amounts"].items()}
            application.commitment_version, application.commitment_text = version, text
            application.commitment_signed_at = timezone.now()
            application.snapshot = snapshot
            application.central_amount = amounts.get("central", Decimal("0.00"))
            application.municipal_amount = amounts.get("municipal", Decimal("0.00"))
            application.district_amount = amounts.get("district", Decimal("0.00"))
            application.total_amount = sum(amounts.values(), Decimal("0.00"))
            application.year = _payments().subsidy_year_on(today)  # R1, R37: the open subsidy year of submission
            application.snapshot["buyer_cap"] = _payments().check_submission(application, on=today)  # R16, R24
            resubmitting = application.state == State.RETURNED
            before = application.state
            application.resubmit() if resubmitting else application.submit()
            application.save()
            if not application.number:
                application.number = f"{today.year}-{application.district.code}-{application.pk:07d}"
                application.save(update_fields=["number"])
            _raise_warnings(application)
            hooks.run_after_submission(application)  # issue 11: the warning signs of R38 (never a refusal)
            _payments().on_submission(application, actor=buyer)  # R19 alert; R31 pre-registration
            events.record(
                application,
                action=EventAction.RESUBMIT if resubmitting else EventAction.SUBMIT,
                actor=buyer,
                from_state=before,
                data={
                    "commitment_version": version,
                    "total": str(application.total_amount),
                    "grade": snapshot["grade"]["name"],
                    "catalogue_on": snapshot["on"],
                },
            )
            if application.state == State.PREREGISTERED:
                with override(language_for(buyer)):
                    tell_buyer(
                        application,
                        _("Application %(number)s pre-registered") % {"number": application.number},
                        _(
                            "The district's subsidy funds are used up for now. Your application is entered as a "
                            "pre-registration and goes to the district in order of entry when funds arrive. "
                            "%(subsidy)s"
                        )
                        % {"subsidy": _payments().subsidy_text(application)},
                    )
                return application
            deadlines.start(application, Step.ACCEPT, on=today)
            with override(language_for(buyer)):
                tell_buyer(
                    application,
                    _("Application %(number)s submitted") % {"number": application.number},
                    _("The district will accept it or tell you what to amend within 2 working days."),
                )
    except IntegrityError as exc:  # the database's word on R11, for two submissions racing
        raise ApplicationError(
            _("A machine with this factory serial number has already been applied for."), rule="R11"
        ) from exc
    return application


def withdraw_application(*, application_id: int, buyer, reason: str = "") -> Application:
    """R39: the buyer may withdraw any application before payment (not while it is under investigation)."""
    with transaction.atomic():
        application = _own(application_id, buyer)
        _require_state(application, *WITHDRAWABLE)
        before = application.state
        application.withdraw()
        application.save()
        _payments().release(application, actor=buyer, reason="withdrawn")
        events.record(application, action=EventAction.WITHDRAW, actor=buyer, from_state=before, reason=reason)
        deadlines.end_all(application)
    return application


# --- The district office -------------------------------------------------------------------------------------


def accept_application(*, application_id: int, officer, note: str = "") -> Application:
    """R30: accept within 2 working days; the verification method is proposed from the product's flags (R32)
    and the verification and overall clocks start (R33, R35)."""
    today = _today()
    with transaction.atomic():
        application = _officer(application_id, officer)
        _require_state(application, State.SUBMITTED)
        method, why, draw = propose_verification(application=application, on=today, rng=random.SystemRandom())
        application.verification_method = method
        application.accept()
        application.save()
        _payments().reserve(application, actor=officer)
        events.record(
            application,
            action=EventAction.ACCEPT,
            actor=officer,
            from_state=State.SUBMITTED,
            reason=note,
            data={"verification_method": method, "why": why, "draw": draw},
        )
        deadlines.meet(application, Step.ACCEPT)
        deadlines.start(application, Step.VERIFY, on=today)
        deadlines.start(application, Step.OVERALL, on=today)
        with override(language_for(application.buyer)):
            tell_buyer(
                application,
                _("Application %(number)s accepted") % {"number": application.number},
                _("The district will verify your machine next."),
            )
    return application


def return_application(*, application_id: int, officer, reason: str) -> Application:
    """R30: not accepted (e.g. documents incomplete): the reason goes back to the buyer, who amends."""
    reason = _require_reason(reason, "R30")
    with transaction.atomic():
        application = _officer(application_id, officer)
        _require_state(application, State.SUBMITTED)
        application.return_to_buyer(reason=reason)
        application.save()
        events.record(application, action=EventAction.RETURN, actor=officer, from_state=State.SUBMITTED, reason=reason)
        deadlines.meet(application, Step.ACCEPT)
        with override(language_for(application.buyer)):
            tell_buyer(
                application,
                _("Application %(number)s returned: please amend") % {"number": application.number},
                _("What to amend: %(reason)s") % {"reason": reason},
            )
    return application


def schedule_use_check(*, application_id: int, officer, note: str) -> Application:
    """R32: installation or facility equipment is verified on site after installation and a period of use; the
    clocks wait meanwhile."""
    note = _require_reason(note, "R32")
    with transaction.atomic():
        application = _officer(application_id, officer)
        _require_state(application, State.ACCEPTED)
        application.await_use()
        application.save()
        events.record(application, action=EventAction.AWAIT_USE, actor=officer, from_state=State.ACCEPTED, reason=note)
        deadlines.pause_all(application, on=_today())
    return application


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
    findings = _require_reason(findings, "R32")
    if method not in VerificationMethod.values:
        raise ApplicationError(_("Choose how the machine was verified."), rule="R32")
    today = _today()
    if checked_on > today:
        raise ApplicationError(_("The verification date is in the future."), rule="R33")
    with transaction.atomic():
        application = _officer(application_id, officer)
        _require_state(application, State.ACCEPTED, State.AWAITING_USE)
        rule = district_rule_on(application.district, today)
        if passed and rule.required_work and not work_done.strip():
            raise ApplicationError(
                _("The district requires %(work)s before verification: record the work done.")
                % {"work": rule.required_work},
                rule="R32",
            )
        before = application.state
        if before == State.AWAITING_USE:
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
            _store_document(application, user=officer, kind=DocumentKind.VERIFICATION, upload=photo)
        if passed:
            application.pass_verification()
        else:
            application.fail_verification()
        application.save()
        events.record(
            application,
            action=EventAction.VERIFY_PASS if passed else EventAction.VERIFY_FAIL,
            actor=officer,
            from_state=before,
            reason=findings,
            data={"method": method, "checked_on": checked_on.isoformat(), "work_done": work_done.strip()},
        )
        deadlines.meet(application, Step.VERIFY)
        if not passed:
            _payments().release(application, actor=officer, reason="verification failed")
            deadlines.end_all(application)
            with override(language_for(application.buyer)):
                tell_buyer(
                    application,
                    _("Application %(number)s not approved") % {"number": application.number},
                    _("Verification found: %(findings)s") % {"findings": findings},
                )
    return application


def open_notice(*, application_id: int, officer) -> Application:
    """R34: a verified application goes into the district's public notice for 5 working days."""
    with transaction.atomic():
        application = _officer(application_id, officer)
        _require_state(application, State.VERIFIED)
        application.open_notice()
        application.save()
        events.record(application, action=EventAction.OPEN_NOTICE, actor=officer, from_state=State.VERIFIED)
        notice = deadlines.start(application, Step.NOTICE, on=_today())
        with override(language_for(application.buyer)):
            tell_buyer(
                application,
                _("Application %(number)s in public notice") % {"number": application.number},
                _("Your application is published until %(end)s; anyone may object meanwhile.") % {"end": notice.due_on},
            )
    return application


class ObjectionLimitError(ApplicationError):
    """Too many objections from one sender in a day: not about what was written, so shown above the form."""


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
        if sender_key:
            since = timezone.now() - timedelta(hours=24)
            sent = Objection.objects.filter(sender_key=sender_key, received_at__gte=since).count()
            if sent >= settings.OBJECTION_DAILY_LIMIT:
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
        objection = Objection.objects.create(
            application=application, text=text, name=name.strip(), contact=contact.strip(), sender_key=sender_key
        )
        application.investigate()
        application.save()
        events.record(
            application,
            action=EventAction.OBJECTION,
            from_state=State.IN_NOTICE,
            reason=text,
            data={"objection": objection.pk},
        )
        deadlines.pause_all(application, on=_today())
        with override(language_for(application.buyer)):
            tell_buyer(
                application,
                _("Objection to application %(number)s") % {"number": application.number},
                _("Someone objected during the public notice. The district is checking; the notice is paused."),
            )
    return objection


def investigate(*, application_id: int, reason: str, actor=None, data: dict | None = None) -> Application:
    """Put an application under investigation (a warning or sample finding, R19, R38); clocks pause."""
    reason = _require_reason(reason, "R38")
    with transaction.atomic():
        application = locked_application(application_id)
        _require_state(application, *INVESTIGABLE)
        before = application.state
        application.investigate()
        application.save()
        events.record(
            application, action=EventAction.INVESTIGATE, actor=actor, from_state=before, reason=reason, data=data or {}
        )
        deadlines.pause_all(application, on=_today())
    return application


def clear_investigation(*, application_id: int, officer, finding: str) -> Application:
    """Cleared: back to the state it left; a paused notice resumes with the working days it had left (R34)."""
    finding = _require_reason(finding, "R34")
    with transaction.atomic():
        application = _officer(application_id, officer)
        _require_state(application, State.UNDER_INVESTIGATION)
        application.clear_investigation()
        application.save()
        Objection.objects.filter(application=application, status=ObjectionStatus.OPEN).update(
            status=ObjectionStatus.DISMISSED, decided_by=officer, decided_at=timezone.now(), decision=finding
        )
        events.record(
            application, action=EventAction.CLEAR, actor=officer, from_state=State.UNDER_INVESTIGATION, reason=finding
        )
        deadlines.resume_all(application, on=_today())
    return application


def reject_application(*, application_id: int, officer, reason: str) -> Application:
    reason = _require_reason(reason, "R38")
    with transaction.atomic():
        application = _officer(application_id, officer)
        _require_state(application, State.UNDER_INVESTIGATION)
        application.reject()
        application.save()
        _payments().release(application, actor=officer, reason="rejected")
        Objection.objects.filter(application=application, status=ObjectionStatus.OPEN).update(
            status=ObjectionStatus.UPHELD, decided_by=officer, decided_at=timezone.now(), decision=reason
        )
        events.record(
            application, action=EventAction.REJECT, actor=officer, from_state=State.UNDER_INVESTIGATION, reason=reason
        )
        deadlines.end_all(application)
        with override(language_for(application.buyer)):
            tell_buyer(
                application,
                _("Application %(number)s not approved") % {"number": application.number},
                _("Reason: %(reason)s") % {"reason": reason},
            )
    return application


def request_payment(*, application_id: int, officer, note: str = "") -> Application:
    """R35: within 5 working days after the notice, hand the application and its materials to district finance."""
    with transaction.atomic():
        application = _officer(application_id, officer)
        _require_state(application, State.NOTICE_PASSED)
        application.request_payment()
        application.save()
        events.record(
            application,
            action=EventAction.REQUEST_PAYMENT,
            actor=officer,
            from_state=State.NOTICE_PASSED,
            reason=note,
            data={"total": str(application.total_amount)},
        )
        deadlines.meet(application, Step.HAND_OVER, Step.OVERALL)
        deadlines.start(application, Step.PAY, on=_today())  # R36: district finance pays within 15 working days
        with override(language_for(application.buyer)):
            tell_buyer(
                application,
                _("Application %(number)s handed over for payment") % {"number": application.number},
                _("District finance pays it to your account within 15 working days. %(subsidy)s")
                % {"subsidy": _payments().subsidy_text(application)},
            )
    return application


# --- The year's end (R37) ---------------------------------------------------------------------------------------


def carry_into_next_year(application: Application, *, actor=None) -> Application:
    """R37: an application of its year that could not be paid in time goes into the next year, where it is paid
    first. Called by ``payments.services.rollover`` (which moves its money) on a row it has locked; the state, the
    decisions already taken and the amounts of submission (R41) are kept, and the buyer is told."""
    old = application.year
    application.year = old + 1
    application.carried_from = application.carried_from or old
    application.save(update_fields=["year", "carried_from", "updated_at"])
    payments = _payments()
    with override(language_for(application.buyer)):  # the timeline shows the reason to the buyer
        years = {
            "old": old,
            "new": old + 1,
            "total": format_yuan(application.total_amount),
            "split": payments.split_text(payments.amounts_of(application)),
        }
        events.record(
            application,
            action=EventAction.CARRY_OVER,
            actor=actor,
            from_state=application.state,
            reason=_("Could not be paid in %(old)s; carried into %(new)s and paid first.") % years,
            data={"carried_from": old, "to": old + 1},
        )
        if application.state == State.PREREGISTERED:
            body = _("Your pre-registered application could not be paid in %(old)s; it is paid first in %(new)s.")
        else:
            body = _(
                "Your application could not be paid in %(old)s. It keeps every step already done and is paid "
                "first in %(new)s: %(total)s yuan (%(split)s)."
            )
        tell_buyer(
            application,
            _("Application %(number)s carried into %(year)s") % {"number": application.number, "year": old + 1},
            body % years,
        )
    return application
