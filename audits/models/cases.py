"""调查与处理 (R38, R39, R42, R43): investigations, violation cases with their procedure and consequences, bars on
buyers, complaints from the public."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import crypto


class CaseRule(models.Model):
    """The procedure's numbers from a date: the party's answer period, the bar on a buyer, a suspension."""

    valid_from = models.DateField(_("in force from"), unique=True)
    answer_working_days = models.PositiveSmallIntegerField(_("working days for the party to answer"), default=5)
    bar_years = models.PositiveSmallIntegerField(_("years a buyer in violation is barred"), default=3)
    suspension_years = models.PositiveSmallIntegerField(_("years filings are suspended"), default=1)

    class Meta:
        verbose_name = _("case rule")
        verbose_name_plural = _("case rules")
        ordering = ["-valid_from"]

    def __str__(self):
        return str(self.valid_from)


class Source(models.TextChoices):
    TASK = "task", _("Sampling check")
    WARNING = "warning", _("Warning sign")
    OBJECTION = "objection", _("Objection to a public notice")
    COMPLAINT = "complaint", _("Complaint")


class Investigation(models.Model):
    """调查: opened on a suspected violation. An unpaid application is put under investigation (its clocks pause);
    a paid one keeps its state."""

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("accounts.District", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    task = models.ForeignKey("audits.AuditTask", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    warning = models.ForeignKey("audits.RiskWarning", on_delete=models.PROTECT, null=True, blank=True)
    objection = models.ForeignKey("applications.Objection", on_delete=models.PROTECT, null=True, blank=True)
    complaint = models.ForeignKey("audits.Complaint", on_delete=models.PROTECT, null=True, blank=True)
    reason = models.TextField(_("what is suspected"))
    paused = models.BooleanField(_("application put under investigation"), default=False)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    referred_on = models.DateField(_("referred to the judiciary on"), null=True, blank=True)
    referred_to = models.CharField(_("referred to"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(closed_at__isnull=True), name="investigation_one_open"
            )
        ]

    def __str__(self):
        return f"{self.application} {self.get_source_display()}"


class Party(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    MANUFACTURER = "manufacturer", _("Manufacturer")
    DEALER = "dealer", _("Dealer")


class Decision(models.TextChoices):
    CLEARED = "cleared", _("Cleared: no violation")
    VIOLATION = "violation", _("Violation")


class ViolationKind(models.TextChoices):
    FALSE_PURCHASE = "false_purchase", _("False purchase")
    REUSED_NAMEPLATE = "reused_nameplate", _("Reused nameplate")
    LOWER_GRADE = "lower_grade", _("Lower grade filed as higher")
    RESALE = "resale", _("Resale within the lock-in period")
    BORROWED_IDENTITY = "borrowed_identity", _("Borrowed identity")
    INFLATED_PRICE = "inflated_price", _("Inflated price")
    OTHER = "other", _("Other")


class Case(models.Model):
    """案件: the proposed decision sent to the party, the party's answer within its working days, the decision."""

    investigation = models.OneToOneField(Investigation, on_delete=models.PROTECT, related_name="case")
    number = models.CharField(_("decision number"), max_length=40, unique=True)
    party = models.CharField(_("party"), max_length=12, choices=Party.choices)
    proposed = models.TextField(_("proposed decision"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_on = models.DateField(_("proposed on"))
    answer_due_on = models.DateField(_("answer due by"))
    answer = models.TextField(_("the party's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    kind = models.CharField(_("kind of violation"), max_length=20, choices=ViolationKind.choices, blank=True)
    decision_text = models.TextField(_("decision and reasons"), blank=True)
    claw_back_amount = models.DecimalField(
        _("amount to claw back"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    consequences = models.JSONField(_("consequences"), default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta:
        verbose_name = _("violation case")
        verbose_name_plural = _("violation cases")
        ordering = ["-proposed_on", "-id"]

    def __str__(self):
        return self.number


class BuyerBar(models.Model):
    """A buyer barred from applying until a date by a decided violation case (R39 allows this refusal)."""

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="bars")
    until = models.DateField(_("barred until (inclusive)"))

    class Meta:
        verbose_name = _("bar on a buyer")
        verbose_name_plural = _("bars on buyers")
        indexes = [models.Index(fields=["buyer", "until"])]

    def __str__(self):
        return f"{self.buyer} {self.until}"


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("complaint status", "Received")
    INVESTIGATING = "investigating", pgettext_lazy("complaint status", "Being investigated")
    CLOSED = "closed", pgettext_lazy("complaint status", "Answered")


class Complaint(models.Model):
    """投诉举报 from the public (R25): followed by its reference."""

    reference = models.CharField(_("reference"), max_length=12, unique=True)
    district = models.ForeignKey("accounts.District", verbose_name=_("district"), on_delete=models.PROTECT)
    application_number = models.CharField(_("application number (if known)"), max_length=32, blank=True)
    text = models.TextField(_("what is wrong"))
    name = models.CharField(_("your name (optional)"), max_length=50, blank=True)
    # A telephone or e-mail: personal data, encrypted like the objection's (accounts.crypto).
    contact_encrypted = models.TextField(_("how to reach you (encrypted)"), blank=True, editable=False)
    # A keyed hash of the sender's network address (never the address): how many a sender files a day is limited.
    sender_key = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    outcome = models.TextField(_("answer"), blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["sender_key", "received_at"])]

    def __str__(self):
        return self.reference

    @property
    def contact(self) -> str:
        return crypto.decrypt(self.contact_encrypted)

    @contact.setter
    def contact(self, value: str) -> None:
        value = (value or "").strip()
        self.contact_encrypted = crypto.encrypt(value) if value else ""
