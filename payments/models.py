"""Funds and payments (R9, R16, R19, R21–R24, R31, R36, R37, R45).

The fund ledger (资金台账) is append-only: one ``LedgerEntry`` per movement of money of a district, a subsidy year
and a fund source (a ``Fund``). Balances are sums of entries, computed by SQL aggregation and never stored. A
payment (兑付) is unique per application and per treasury voucher by database constraint; a payment batch (支付批次)
is approved by a second finance officer, which a check constraint enforces too.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import FundSource
from core import chain

MONEY = {"max_digits": 14, "decimal_places": 2}


class Fund(models.Model):
    """A district's money of one fund source for one subsidy year. Holds no balance: it is the lock that orders the
    ledger entries of the fund, and what they point to."""

    district = models.ForeignKey("accounts.District", on_delete=models.PROTECT, related_name="funds")
    year = models.PositiveSmallIntegerField(_("subsidy year"))
    source = models.CharField(_("fund source"), max_length=16, choices=FundSource.choices)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["district__sort_order", "-year", "source"]
        constraints = [models.UniqueConstraint(fields=["district", "year", "source"], name="fund_unique")]

    def __str__(self):
        return f"{self.district} {self.year} {self.get_source_display()}"


class EntryKind(models.TextChoices):
    ALLOCATION = "allocation", _("Allocation")
    CUT = "cut", _("Cut")
    REALLOCATION = "reallocation", _("Reallocation between districts")
    CARRY_OVER = "carry_over", _("Carry-over")
    RESERVATION = "reservation", _("Reservation")
    RELEASE = "release", _("Release of a reservation")
    PAYMENT = "payment", _("Payment")
    ADVANCE = "advance", _("District advance")
    SETTLEMENT = "settlement", _("Settlement of an advance")
    RECOVERY = "recovery", _("Recovery of a claw-back")
    INCENTIVE = "incentive", _("Payment of an application subsidy (incentive)")


#: Entries that pay a buyer from a fund: the purchase subsidy's and the application subsidy's own kind (R20).
PAID_KINDS = [EntryKind.PAYMENT, EntryKind.INCENTIVE]


#: The sign each kind's amount must have (its effect on the available balance); None: either sign.
ENTRY_SIGN = {
    EntryKind.ALLOCATION: 1,
    EntryKind.CUT: -1,
    EntryKind.REALLOCATION: None,
    EntryKind.CARRY_OVER: None,
    EntryKind.RESERVATION: -1,
    EntryKind.RELEASE: 1,
    EntryKind.PAYMENT: -1,
    EntryKind.ADVANCE: -1,
    EntryKind.SETTLEMENT: 1,
    EntryKind.RECOVERY: 1,
    EntryKind.INCENTIVE: -1,
}


def _sign_constraint() -> Q:
    condition = Q()
    for kind, sign in ENTRY_SIGN.items():
        if sign == 1:
            condition |= Q(kind=kind, amount__gt=0)
        elif sign == -1:
            condition |= Q(kind=kind, amount__lt=0)
        else:
            condition |= Q(kind=kind) & ~Q(amount=0)
    return condition


class LedgerEntry(chain.Chained, models.Model):
    """One movement of money (R21–R23, R45): what, how much (signed: its effect on the available balance), who,
    when, why, and the application, batch or reallocation it belongs to.

    Append-only: a PostgreSQL trigger refuses UPDATE and DELETE; a correction is a new entry. Each fund's entries
    form a chain (the previous entry's hash and this one's), so an altered or removed row is found."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries"
    )
    batch = models.ForeignKey(
        "payments.PaymentBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries"
    )
    pair = models.UUIDField(_("reallocation or carry-over pair"), null=True, blank=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    document = models.CharField(_("document number"), max_length=100, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    CHAIN = chain.Link(
        name="ledger entries",
        fields=(
            "fund_id",
            "kind",
            "amount",
            "application_id",
            "batch_id",
            "pair",
            "actor_id",
            "reason",
            "document",
            "at",
            "prev_hash",
        ),
        chain_by="fund_id",
    )

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=_sign_constraint(), name="ledger_entry_sign_by_kind"),
            # One set of payment entries per application: paying twice is impossible by constraint.
            models.UniqueConstraint(
                fields=["application", "fund"], condition=Q(kind="payment"), name="ledger_one_payment_per_fund"
            ),
            models.UniqueConstraint(
                fields=["application", "fund"], condition=Q(kind="incentive"), name="ledger_one_incentive_per_fund"
            ),
        ]
        indexes = [models.Index(fields=["fund", "kind"]), models.Index(fields=["application", "kind"])]

    def __str__(self):
        return f"{self.fund} {self.kind} {self.amount}"


class FundTotal(models.Model):
    """A fund's running total of one kind of entry, added to in the transaction (and under the fund's lock) that
    appends each entry (``payments.totals``): the balances read a handful of these, never millions of entries."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="totals")
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    total = models.DecimalField(_("total (yuan)"), **MONEY)

    class Meta:
        verbose_name = _("fund total")
        verbose_name_plural = _("fund totals")
        constraints = [models.UniqueConstraint(fields=["fund", "kind"], name="fund_total_once")]

    def __str__(self):
        return f"{self.fund} {self.kind} {self.total}"


class BuyerCap(models.Model):
    """R24 **config**: the most subsidy one buyer may receive in a year, by kind of buyer, in force from a date."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        ORGANISATION = "organisation", _("Organisation")

    buyer_kind = models.CharField(_("buyer"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("cap a year (yuan)"), **MONEY)
    valid_from = models.DateField(_("in force from"))

    class Meta:
        verbose_name = _("annual cap per buyer")
        verbose_name_plural = _("annual caps per buyer")
        ordering = ["buyer_kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["buyer_kind", "valid_from"], name="buyer_cap_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="buyer_cap_positive"),
        ]

    def __str__(self):
        return f"{self.get_buyer_kind_display()}: {self.amount}"


class CapLifting(models.Model):
    """R24: a district lifts the annual cap only under a rule it has formally published (its document number)."""

    district = models.ForeignKey("accounts.District", on_delete=models.PROTECT, related_name="cap_liftings")
    buyer_kind = models.CharField(_("buyer"), max_length=16, choices=BuyerCap.Kind.choices)
    amount = models.DecimalField(_("lifted cap a year (yuan)"), **MONEY)
    document = models.CharField(_("published under (document number)"), max_length=100)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until (first day no longer)"), null=True, blank=True)

    class Meta:
        verbose_name = _("district's cap lifting rule")
        verbose_name_plural = _("districts' cap lifting rules")
        ordering = ["district", "-valid_from"]
        constraints = [models.CheckConstraint(condition=~Q(document=""), name="cap_lifting_has_document")]

    def __str__(self):
        return f"{self.district} {self.document}: {self.amount}"


class BatchState(models.TextChoices):
    BUILT = "built", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    EXPORTED = "exported", _("Sent to the treasury")
    CLOSED = "closed", _("Returned by the treasury")


class PaymentBatch(models.Model):
    """支付批次: payment requests a finance officer gathers; a second officer of the district approves (four-eyes)."""

    number = models.CharField(_("batch number"), max_length=32, unique=True)
    district = models.ForeignKey("accounts.District", on_delete=models.PROTECT, related_name="payment_batches")
    state = models.CharField(_("state"), max_length=16, choices=BatchState.choices, default=BatchState.BUILT)
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    built_at = models.DateTimeField(_("built at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-built_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("built_by")), name="batch_four_eyes"
            ),
        ]

    def __str__(self):
        return self.number


class ItemOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting for the treasury")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    REMOVED = "removed", _("Taken out of the batch")


class BatchItem(models.Model):
    """One application in a batch, with the amounts to pay per fund source as they stood when the batch was built."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="items")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="batch_items")
    central = models.DecimalField(_("central funds"), **MONEY)
    municipal = models.DecimalField(_("municipal funds"), **MONEY)
    district_amount = models.DecimalField(_("district funds"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ItemOutcome.choices, default=ItemOutcome.PENDING)
    failure_reason = models.CharField(_("why it failed"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("batch item")
        verbose_name_plural = _("batch items")
        ordering = ["batch", "id"]
        constraints = [
            # An application waits in at most one batch at a time.
            models.UniqueConstraint(
                fields=["application"], condition=Q(outcome="pending"), name="batch_item_one_pending"
            ),
        ]

    def __str__(self):
        return f"{self.batch} {self.application}"


class Payment(models.Model):
    """兑付: the treasury paid an application (R36). Unique per application and per voucher, by constraint."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="payment", verbose_name=_("application")
    )
    voucher = models.CharField(_("treasury voucher number"), max_length=64, unique=True)
    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="payments")
    central = models.DecimalField(_("central funds"), **MONEY)
    municipal = models.DecimalField(_("municipal funds"), **MONEY)
    district_amount = models.DecimalField(_("district funds"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-recorded_at"]

    def __str__(self):
        return f"{self.application} {self.voucher}"


class Export(models.Model):
    """A batch file handed to the treasury: it carries full account numbers, so each one is recorded (R45)."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="exports")
    layout = models.CharField(_("layout"), max_length=32)
    file_format = models.CharField(_("format"), max_length=8)
    rows = models.PositiveIntegerField(_("rows"))
    sha256 = models.CharField(max_length=64)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("export to the treasury")
        verbose_name_plural = _("exports to the treasury")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.batch} {self.file_format} {self.at:%Y-%m-%d %H:%M}"


class ReturnImport(models.Model):
    """A treasury return file as imported: what it said and what came of each row."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="imports")
    file_name = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(max_length=64)
    paid = models.PositiveIntegerField(_("paid"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    exceptions = models.PositiveIntegerField(_("exceptions"), default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("treasury return file")
        verbose_name_plural = _("treasury return files")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.batch} {self.file_name}"


class ExceptionKind(models.TextChoices):
    UNMATCHED = "unmatched", _("Matches no payment request of the batch")
    AMOUNT_DIFFERS = "amount_differs", _("Amount differs from the request")
    VOUCHER_SEEN = "voucher_seen", _("Voucher number seen before")
    ALREADY_PAID = "already_paid", _("Application already paid")
    UNREADABLE = "unreadable", _("Row cannot be read")


class ReconciliationException(models.Model):
    """A return-file row that was not applied: shown to finance, never applied silently."""

    return_import = models.ForeignKey(ReturnImport, on_delete=models.PROTECT, related_name="exception_rows")
    row = models.PositiveIntegerField(_("row"))
    kind = models.CharField(_("kind"), max_length=16, choices=ExceptionKind.choices)
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    voucher = models.CharField(_("voucher"), max_length=64, blank=True)
    data = models.JSONField(_("row as read"), default=dict)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("reconciliation exception")
        verbose_name_plural = _("reconciliation exceptions")
        ordering = ["return_import", "row"]

    def __str__(self):
        return f"{self.return_import} #{self.row} {self.kind}"


class DeferralReason(models.TextChoices):
    FUNDS_SHORT = "funds_short", _("Funds are short")
    INVESTIGATION = "investigation", _("A suspected violation is being investigated")
    YEAR_END = "year_end", _("The subsidy year has ended")
    INNOVATION_CEILING = "innovation_ceiling", _("The year's ceiling for innovation products is reached (R9)")
    RATIO_ALERT = "ratio_alert", _("The ratio alert is not cleared (R19)")


class Deferral(models.Model):
    """R36: a payment that must wait, and why; the buyer is told. Ended when the reason clears."""

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="deferrals")
    reason = models.CharField(_("reason"), max_length=24, choices=DeferralReason.choices)
    note = models.TextField(_("note"), blank=True)
    expected = models.CharField(_("when it may be paid"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deferral")
        verbose_name_plural = _("deferrals")
        ordering = ["at"]

    def __str__(self):
        return f"{self.application} {self.reason}"


class ClawBack(models.Model):
    """R38, R45: a paid application found in violation; the money to recover, the decision and who decided."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="claw_back_record"
    )
    amount = models.DecimalField(_("amount to recover"), **MONEY)
    decision_document = models.CharField(_("decision document"), max_length=100)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("claw-back")
        verbose_name_plural = _("claw-backs")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="claw_back_positive")]

    def __str__(self):
        return f"{self.application} {self.amount}"


class GradeReview(models.Model):
    """R19: a grade flagged for re-evaluation of its amount, because an application's ratio alert fired."""

    grade = models.ForeignKey("catalog.Grade", on_delete=models.PROTECT, related_name="reviews")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)

    class Meta:
        verbose_name = _("grade flagged for re-evaluation")
        verbose_name_plural = _("grades flagged for re-evaluation")
        constraints = [models.UniqueConstraint(fields=["grade", "application"], name="grade_review_once")]

    def __str__(self):
        return f"{self.grade} ({self.application})"


class Priority(models.Model):
    """R37: items or grades the municipality gives priority of entry and payment in a year."""

    year = models.PositiveSmallIntegerField(_("subsidy year"))
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    grade = models.ForeignKey("catalog.Grade", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    document = models.CharField(_("published under"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("priority item or grade")
        verbose_name_plural = _("priority items and grades")
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False, grade__isnull=True) | Q(item__isnull=True, grade__isnull=False),
                name="priority_item_or_grade",
            )
        ]

    def __str__(self):
        return f"{self.year} {self.item or self.grade}"


class Rollover(models.Model):
    """R37: a subsidy year carried into the next, once (the command is idempotent through this row)."""

    year = models.PositiveSmallIntegerField(_("year closed"), unique=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    summary = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("year-end rollover")
        verbose_name_plural = _("year-end rollovers")

    def __str__(self):
        return str(self.year)


class YearEndRequest(models.Model):
    """R37, R45: closing a subsidy year asked by one official of the municipal finance bureau and carried out only
    when a second one approves (four-eyes, like a payment batch); the approval runs ``rollover``."""

    year = models.PositiveSmallIntegerField(_("year to close"), unique=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("year-end request")
        verbose_name_plural = _("year-end requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("requested_by")), name="year_end_four_eyes"
            ),
        ]

    def __str__(self):
        return str(self.year)
