"""What an application gathers (R29–R45): its chained events, documents, deadlines, verification, objections and
warnings, and the districts' rules for its steps."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import crypto
from catalog.models import private_storage
from core import chain

from .application import NOTICE_WORKING_DAYS, OVERALL_WORKING_DAYS, Application, VerificationMethod


class EventAction(models.TextChoices):
    CREATE = "create", _("Started")
    SUBMIT = "submit", _("Submitted")
    RESUBMIT = "resubmit", _("Amended and resubmitted")
    ACCEPT = "accept", _("Accepted")
    RETURN = "return", _("Returned for amendment")
    AWAIT_USE = "await_use", _("On-site check after installation and use scheduled")
    VERIFY_PASS = "verify_pass", _("Verified")
    VERIFY_FAIL = "verify_fail", _("Failed verification")
    OPEN_NOTICE = "open_notice", _("Public notice opened")
    CLOSE_NOTICE = "close_notice", _("Public notice passed without objection")
    OBJECTION = "objection", _("Objection received")
    INVESTIGATE = "investigate", _("Put under investigation")
    CLEAR = "clear", _("Investigation cleared")
    REJECT = "reject", _("Rejected")
    REQUEST_PAYMENT = "request_payment", _("Handed over to finance for payment")
    WITHDRAW = "withdraw", _("Withdrawn by the buyer")
    OVERDUE = "overdue", _("Deadline passed")
    PREREGISTER = "preregister", _("Pre-registered: the district's funds are exhausted")
    RELEASE = "release", _("Released from pre-registration")
    PAY = "pay", _("Paid")
    PAYMENT_FAILED = "payment_failed", _("Payment failed")
    DEFER = "defer", _("Payment deferred")
    RESUME = "resume", _("Payment resumed")
    CLAW_BACK = "claw_back", _("Clawed back")
    RATIO_CLEARED = "ratio_cleared", _("Ratio alert cleared")
    ACCOUNT_CORRECTED = "account_corrected", _("Account details corrected after a failed payment")
    CARRY_OVER = "carry_over", _("Carried into the next year, to be paid first")
    ANSWER = "answer", _("The buyer answered an objection")
    OUT_OF_BATCH = "out_of_batch", _("Taken out of a payment batch")


class ApplicationEvent(chain.Chained, models.Model):
    """One step in an application's history (R45): who, when, from, to, why, and the data decided on.

    Append-only: a PostgreSQL trigger refuses UPDATE and DELETE, and each row carries the hash of the previous
    row and of its own content, so an altered or removed row is found (``manage.py audit verify``).
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=EventAction.choices)
    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data decided on"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    CHAIN = chain.Link(
        name="application events",
        fields=("application_id", "action", "from_state", "to_state", "actor_id", "reason", "data", "at", "prev_hash"),
        chain_by="application_id",
    )

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.application} {self.action} {self.at:%Y-%m-%d %H:%M}"


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    NAMEPLATE = "nameplate", _("Nameplate")
    MACHINE = "machine", _("Photo of the machine")
    IDENTITY = "identity", _("ID card or business licence")
    BASE_PROOF = "base_proof", _("Proof of production at the base outside Beijing")
    VERIFICATION = "verification", _("Verification photo")
    ANSWER = "answer", _("Document with the buyer's answer to an objection")


def document_path(instance, filename):
    return f"applications/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Document(models.Model):
    """A scan or photo of an application, kept outside every served root and sent only by a view that checks
    access. Photos keep their original beside the resized copy."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    original = models.FileField(storage=private_storage, upload_to=document_path)
    resized = models.FileField(storage=private_storage, upload_to=document_path, blank=True)
    content_type = models.CharField(max_length=40, editable=False)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    answer = models.ForeignKey(
        "applications.ObjectionAnswer",
        verbose_name=_("sent with the answer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="documents",
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "uploaded_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.original_name}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Step(models.TextChoices):
    """The clocks of R30, R33–R36, each in working days."""

    ACCEPT = "accept", _("Accept or return")
    VERIFY = "verify", _("Verify")
    NOTICE = "notice", _("Public notice")
    HAND_OVER = "hand_over", _("Hand over to finance")
    OVERALL = "overall", _("Verification, notice and hand-over")
    PAY = "pay", _("Pay through the treasury")


class Deadline(models.Model):
    """A deadline as a row (DESIGN "Deadlines"): the clock's start, its length, its pauses and its due date,
    computed once on the working-day calendar. The sweep reads only rows that are due."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="deadlines")
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    started_on = models.DateField(_("clock started"))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    pauses = models.JSONField(_("pauses"), default=list, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True, db_index=True)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)
    unconfirmed_years = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "step"], condition=Q(met_at__isnull=True), name="deadline_one_open_per_step"
            )
        ]
        # The sweep's due rows, and the at-risk page read in its order (due date, then application) from the index.
        indexes = [
            models.Index(
                fields=["step", "due_on", "application"], condition=Q(met_at__isnull=True), name="deadline_open_by_due"
            ),
            # The sweep's overdue steps: open, not yet marked, by due day (nothing due reads nothing).
            models.Index(
                fields=["due_on"], condition=Q(met_at__isnull=True, overdue_at__isnull=True), name="deadline_unmarked"
            ),
        ]

    def __str__(self):
        return f"{self.application} {self.step} {self.due_on}"

    @property
    def paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1][1] is None

    @property
    def label(self) -> str:
        """The step and its length, in the current language: "Verify (13 working days)"."""
        return ngettext("%(step)s (%(n)s working day)", "%(step)s (%(n)s working days)", self.working_days) % {
            "step": self.get_step_display(),
            "n": self.working_days,
        }


class Verification(models.Model):
    """核验: how the machine was checked, when, by whom, and what was found (R32, R33)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="verifications")
    proposed_method = models.CharField(_("proposed method"), max_length=16, choices=VerificationMethod.choices)
    method = models.CharField(_("method used"), max_length=16, choices=VerificationMethod.choices)
    checked_on = models.DateField(_("checked on"))
    findings = models.TextField(_("findings"))
    passed = models.BooleanField(_("passed"))
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    work_done = models.CharField(_("work area or volume done"), max_length=100, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["recorded_at"]

    def __str__(self):
        return f"{self.application} {self.get_method_display()}"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Being investigated")
    DISMISSED = "dismissed", _("Cleared: no violation found")
    UPHELD = "upheld", _("Upheld: application rejected")


class Objection(models.Model):
    """An objection from anyone during the public notice (R34): it pauses the clock and opens an investigation."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="objections")
    name = models.CharField(_("your name (optional)"), max_length=50, blank=True)
    # A telephone or e-mail: personal data, encrypted like the other personal numbers (accounts.crypto).
    contact_encrypted = models.TextField(_("how to reach you (encrypted)"), blank=True, editable=False)
    text = models.TextField(_("what is wrong"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    # A keyed hash of the sender's network address (never the address): how many a sender objects is limited.
    sender_key = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.TextField(_("finding"), blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["received_at"]
        indexes = [models.Index(fields=["sender_key", "received_at"])]

    def __str__(self):
        return f"{self.application} {self.received_at:%Y-%m-%d}"

    @property
    def contact(self) -> str:
        return crypto.decrypt(self.contact_encrypted)

    @contact.setter
    def contact(self, value: str) -> None:
        value = (value or "").strip()
        self.contact_encrypted = crypto.encrypt(value) if value else ""


class ObjectionAnswer(models.Model):
    """申辩: the buyer's statement in answer to an objection, with documents (``Document.answer``), sent while the
    objection is investigated (R34); the officer reads it beside the objection. Never changed: a second thought is
    a second answer."""

    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(_("your answer"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("answer to an objection")
        verbose_name_plural = _("answers to objections")
        ordering = ["sent_at", "id"]

    def __str__(self):
        return f"{self.objection} {self.sent_at:%Y-%m-%d}"


class Warning(models.Model):
    """A soft sign for officials (R28, R39): never a refusal, shown as a badge until cleared with a reason."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="warnings")
    code = models.CharField(_("code"), max_length=32)
    rule = models.CharField(_("rule"), max_length=8)
    message = models.CharField(_("message"), max_length=300)
    # Issue 11: the figures that raised it, filled into ``message`` where it is shown (``text``).
    data = models.JSONField(_("figures"), default=dict, blank=True)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    clear_reason = models.TextField(_("why cleared"), blank=True)

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "code"], condition=Q(cleared_at__isnull=True), name="warning_once_open"
            )
        ]

    def __str__(self):
        return f"{self.rule} {self.message}"

    @property
    def text(self) -> str:
        """The message in the current language, with its figures (issue 11)."""
        from django.utils.translation import gettext

        text = gettext(self.message)
        if not self.data:
            return text
        try:
            return text % self.data
        except (KeyError, TypeError, ValueError):
            return text


class DistrictRule(models.Model):
    """A district's own settings in force from a date (R32 **config**): the sample ratio for ordinary machines,
    the subsidy above which a machine counts as high-amount, and any work required before verification."""

    district = models.ForeignKey("accounts.District", on_delete=models.PROTECT, related_name="rules")
    valid_from = models.DateField(_("in force from"))
    sample_ratio = models.DecimalField(_("sample ratio"), max_digits=4, decimal_places=3, default="0.100")
    high_amount = models.DecimalField(
        _("high subsidy amount (yuan)"), max_digits=12, decimal_places=2, default="50000.00"
    )
    required_work = models.CharField(
        _("work required before verification"),
        max_length=100,
        blank=True,
        help_text=_("For example 200 mu ploughed, or 100 hours of use. Empty: none."),
    )
    # A1 §4(6): a district may set its own lengths for verification and hand-over, the whole within 23 working days
    # with the public notice's 5 (R34).
    verify_days = models.PositiveSmallIntegerField(_("working days to verify"), default=13)
    hand_over_days = models.PositiveSmallIntegerField(_("working days to hand over to finance"), default=5)
    document = models.CharField(_("published under"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("district rule")
        verbose_name_plural = _("district rules")
        ordering = ["district", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["district", "valid_from"], name="district_rule_once_per_day"),
            models.CheckConstraint(
                condition=Q(sample_ratio__gte=0) & Q(sample_ratio__lte=1), name="district_rule_ratio_range"
            ),
            models.CheckConstraint(
                condition=Q(verify_days__gte=1)
                & Q(hand_over_days__gte=1)
                & Q(verify_days__lte=Value(OVERALL_WORKING_DAYS - NOTICE_WORKING_DAYS) - F("hand_over_days")),
                name="district_rule_within_23_working_days",
                violation_error_message=_(
                    "Verification and hand-over take at least 1 working day each, and together at most 18: with the "
                    "5 of the public notice, 23 in all."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.district} {self.valid_from}"


class ReturnReason(models.Model):
    """退回原因: a reason the district often gives when it returns an application (R30), offered as a tick-box
    beside the free text. Kept by the municipal bureau in the admin; a row without a district is offered to all."""

    district = models.ForeignKey(
        "accounts.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Leave empty to offer it in every district."),
    )
    text = models.CharField(_("reason as the buyer reads it"), max_length=200)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("return reason")
        verbose_name_plural = _("return reasons")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["district", "active"])]

    def __str__(self):
        return self.text
