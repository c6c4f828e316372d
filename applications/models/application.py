"""补贴申请: a buyer's application for one machine, its fields and its state changes (R29–R41)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from accounts import crypto
from catalog.models import FundSource

from ..workflow import INVESTIGABLE, NOT_LIVE, WITHDRAWABLE, State

# Fixed lengths in working days (A1 §4(6)): the public notice (R34), and verification, notice and hand-over in all.
NOTICE_WORKING_DAYS = 5
OVERALL_WORKING_DAYS = 23


class Ground(models.TextChoices):
    """R4: the ground on which the buyer applies to this district."""

    HOUSEHOLD = "household", _("Household registration (户籍所在地)")
    REGISTRATION = "registration", _("Place of registration (登记注册地)")
    PRODUCTION = "production", _("Actual place of production (实际生产经营地)")


class PaymentMethod(models.TextChoices):
    """R28: how the buyer paid; cash above 5,000 yuan is flagged, never refused."""

    TRANSFER = "transfer", _("Bank transfer")
    CARD = "card", _("Bank card")
    MOBILE = "mobile", _("Mobile payment")
    CASH = "cash", _("Cash")
    OTHER = "other", _("Other")


class VerificationMethod(models.TextChoices):
    """R32: how a machine is verified."""

    EVERY_UNIT = "every_unit", _("On site, every unit (high-risk machine)")
    AFTER_USE = "after_use", _("On site after installation and a period of use")
    EXPERT = "expert", _("By experts or a qualified third party, with district finance (complete set)")
    LICENCE = "licence", _("Licence check instead of a site visit (plate-and-licence machine)")
    SAMPLE = "sample", _("Sample at the district's ratio")
    DOCUMENTS = "documents", _("Documents only (not drawn in the sample)")


class Kind(models.TextChoices):
    """What an application asks for: the purchase subsidy, or the application (use) subsidy's incentive for a machine
    already paid (R20), which goes through the same review, notice, batches and ledger."""

    PURCHASE = "purchase", _("Purchase subsidy")
    INCENTIVE = "incentive", _("Application subsidy (incentive)")


def serial_key(serial: str) -> str:
    """A factory serial number as compared for R11: no spaces, upper case."""
    return "".join((serial or "").split()).upper()


class Application(ConcurrentTransitionMixin, models.Model):
    """补贴申请: one machine, one application. The state changes only through the transitions below."""

    number = models.CharField(_("application number"), max_length=32, unique=True, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PURCHASE, editable=False)
    # R20: the purchase application whose machine earned this incentive (usage.services make these rows).
    incentive_for = models.ForeignKey(
        "self",
        verbose_name=_("incentive for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="incentives",
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="applications"
    )
    district = models.ForeignKey(
        "accounts.District", verbose_name=_("district"), on_delete=models.PROTECT, related_name="applications"
    )
    ground = models.CharField(_("ground of application"), max_length=20, choices=Ground.choices, blank=True)
    town = models.ForeignKey(
        "accounts.Town", verbose_name=_("town"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("subsidy year"), null=True, blank=True)
    # R37: the year this application was entered in, when it could not be paid then and was carried into ``year``.
    carried_from = models.PositiveSmallIntegerField(_("carried over from"), null=True, blank=True, editable=False)
    # R5: an organisation's fixed equipment at its own base outside Beijing.
    outside_base = models.BooleanField(
        _("fixed equipment at the organisation's own base outside Beijing"), default=False
    )
    outside_base_address = models.CharField(_("address of the base"), max_length=200, blank=True)
    annual_supply_tonnes = models.DecimalField(
        _("declared annual supply to Beijing (tonnes)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # The machine and its purchase.
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    manufacturer = models.ForeignKey(
        "catalog.Manufacturer", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    sale = models.ForeignKey(
        "catalog.Sale",
        verbose_name=_("started from the sale"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="applications",
    )
    serial_number = models.CharField(_("factory serial number"), max_length=64, blank=True)
    serial_key = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    invoice_price = models.DecimalField(
        _("invoice price (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    payment_method = models.CharField(_("payment method"), max_length=16, choices=PaymentMethod.choices, blank=True)
    # Where the subsidy is paid (R36): the account number is personal data, encrypted.
    payee_name = models.CharField(_("account holder"), max_length=100, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    account_encrypted = models.TextField(blank=True, editable=False)
    account_index = models.CharField(max_length=64, blank=True, editable=False)
    # R29: the commitment letter, exactly as shown, who signed and when.
    commitment_version = models.CharField(max_length=20, blank=True, editable=False)
    commitment_text = models.TextField(_("commitment letter as signed"), blank=True, editable=False)
    commitment_signed_at = models.DateTimeField(_("commitment signed at"), null=True, blank=True, editable=False)
    # R39, R41: what applied at submission.
    snapshot = models.JSONField(_("catalogue and rules at submission"), default=dict, blank=True, editable=False)
    central_amount = models.DecimalField(_("central funds"), max_digits=12, decimal_places=2, null=True, blank=True)
    municipal_amount = models.DecimalField(_("municipal funds"), max_digits=12, decimal_places=2, null=True, blank=True)
    district_amount = models.DecimalField(_("district funds"), max_digits=12, decimal_places=2, null=True, blank=True)
    total_amount = models.DecimalField(_("subsidy"), max_digits=12, decimal_places=2, null=True, blank=True)
    verification_method = models.CharField(
        _("proposed verification"), max_length=16, choices=VerificationMethod.choices, blank=True
    )

    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True)
    state_before_investigation = models.CharField(max_length=32, blank=True, editable=False)
    return_reason = models.TextField(_("what to amend"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The earliest due date of its open deadlines: the queue's sort key, kept by ``deadlines`` in the same
    # transaction as each clock's write (a per-row subquery cost seconds at 100,000 applications).
    next_due = models.DateField(_("next due"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            # R11: a factory serial number is subsidised once only, whatever the code in front of the database does.
            models.UniqueConstraint(
                fields=["manufacturer", "serial_key"],
                condition=~Q(state__in=NOT_LIVE),
                name="application_serial_once",
            ),
            # R20: an incentive names the purchase it rewards, and a machine earns at most one (its year after
            # payment is the only year that counts).
            models.CheckConstraint(
                condition=Q(kind="purchase", incentive_for__isnull=True)
                | Q(kind="incentive", incentive_for__isnull=False),
                name="application_incentive_names_purchase",
            ),
            models.UniqueConstraint(
                fields=["incentive_for"],
                condition=Q(kind="incentive") & ~Q(state__in=NOT_LIVE),
                name="application_incentive_once",
            ),
        ]
        indexes = [
            models.Index(fields=["district", "state"]),
            models.Index(fields=["buyer", "state"]),
            models.Index(fields=["kind", "state"]),
            # The office queue's order (next due first), read page by page from an index, never sorted whole.
            # Not partial (state in the open states): SQLite uses no partial index for a query with bound parameters.
            models.Index(fields=["next_due", "submitted_at", "id"], name="queue_open"),
            models.Index(fields=["district", "next_due", "submitted_at", "id"], name="queue_open_district"),
            models.Index(fields=["state", "next_due", "submitted_at", "id"], name="queue_state"),
            # The year-end preview's one grouped read (payments.selectors.year_end_summary), from the index alone.
            models.Index(
                fields=["year", "state"],
                include=["district", "central_amount", "municipal_amount", "district_amount"],
                name="year_end_carried",
            ),
            # A part of the number in the queue's search: the trigram index application_number_trgm, made on
            # PostgreSQL only by migration 0013 (core.postgres.trigram_index), outside the model's state.
        ]

    def __str__(self):
        return self.number or _("Draft %(id)s") % {"id": self.pk}

    @property
    def is_incentive(self) -> bool:
        return self.kind == Kind.INCENTIVE

    # --- personal data ---------------------------------------------------------------------------------------
    @property
    def account_number(self) -> str:
        return crypto.decrypt(self.account_encrypted)

    @account_number.setter
    def account_number(self, value: str) -> None:
        value = "".join((value or "").split())
        self.account_encrypted = crypto.encrypt(value)
        self.account_index = crypto.blind_index(value)

    @property
    def account_masked(self) -> str:
        return crypto.mask_account(self.account_number)

    @property
    def amounts_by_source(self) -> dict[str, Decimal]:
        """The subsidy split by fund source (R21), zero where there is none yet."""
        zero = Decimal("0.00")
        return {
            FundSource.CENTRAL: self.central_amount or zero,
            FundSource.MUNICIPAL: self.municipal_amount or zero,
            FundSource.DISTRICT: self.district_amount or zero,
        }

    @property
    def serial_masked(self) -> str:
        """As the public notice shows it (R34)."""
        return crypto.mask_serial(self.serial_number)

    def set_serial(self, serial: str) -> None:
        self.serial_number = (serial or "").strip()
        self.serial_key = serial_key(serial)

    # --- transitions: state changes only; services lock, check, record and notify ---------------------------
    @transition(field=state, source=State.DRAFT, target=State.SUBMITTED)
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(field=state, source=State.SUBMITTED, target=State.PREREGISTERED)
    def preregister(self):
        """R31: entered while the district's funds do not cover it; released in order of entry (R37)."""

    @transition(field=state, source=State.PREREGISTERED, target=State.SUBMITTED)
    def release_preregistration(self):
        pass

    @transition(field=state, source=State.RETURNED, target=State.SUBMITTED)
    def resubmit(self):
        self.return_reason = ""
        self.submitted_at = timezone.now()

    @transition(field=state, source=State.SUBMITTED, target=State.ACCEPTED)
    def accept(self):
        pass

    @transition(field=state, source=State.SUBMITTED, target=State.RETURNED)
    def return_to_buyer(self, *, reason: str):
        self.return_reason = reason

    @transition(field=state, source=State.ACCEPTED, target=State.AWAITING_USE)
    def await_use(self):
        pass

    @transition(field=state, source=[State.ACCEPTED, State.AWAITING_USE], target=State.VERIFIED)
    def pass_verification(self):
        pass

    @transition(field=state, source=[State.ACCEPTED, State.AWAITING_USE], target=State.REJECTED)
    def fail_verification(self):
        pass

    @transition(field=state, source=State.VERIFIED, target=State.IN_NOTICE)
    def open_notice(self):
        pass

    @transition(field=state, source=State.IN_NOTICE, target=State.NOTICE_PASSED)
    def close_notice(self):
        pass

    @transition(field=state, source=INVESTIGABLE, target=State.UNDER_INVESTIGATION)
    def investigate(self):
        self.state_before_investigation = self.state

    @transition(field=state, source=State.UNDER_INVESTIGATION, target=RETURN_VALUE(*INVESTIGABLE))
    def clear_investigation(self):
        previous, self.state_before_investigation = self.state_before_investigation, ""
        return previous

    @transition(field=state, source=State.UNDER_INVESTIGATION, target=State.REJECTED)
    def reject(self):
        self.state_before_investigation = ""

    @transition(field=state, source=State.NOTICE_PASSED, target=State.PAYMENT_REQUESTED)
    def request_payment(self):
        pass

    @transition(field=state, source=[State.PAYMENT_REQUESTED, State.PAYMENT_DEFERRED], target=State.PAID)
    def pay(self):
        pass

    @transition(field=state, source=State.PAYMENT_REQUESTED, target=State.PAYMENT_DEFERRED)
    def defer_payment(self):
        pass

    @transition(field=state, source=State.PAYMENT_DEFERRED, target=State.PAYMENT_REQUESTED)
    def resume_payment(self):
        pass

    @transition(field=state, source=State.PAID, target=State.CLAWED_BACK)
    def claw_back(self):
        pass

    @transition(field=state, source=WITHDRAWABLE, target=State.WITHDRAWN)
    def withdraw(self):
        pass
