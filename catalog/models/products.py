"""Manufacturers, dealers and their credit (R43); products, certificates, filings and closures (R10–R13, R26,
R27)."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .catalogue import Grade, Item

# --- Manufacturers, dealers, credit (R43) --------------------------------------------------------------


class Manufacturer(models.Model):
    """农机生产企业: a manufacturer; its users file its products (R26)."""

    name = models.CharField(_("name"), max_length=150)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("users"), related_name="manufacturers", blank=True
    )
    commitment_signed_on = models.DateField(_("commitment signed on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("manufacturer")
        verbose_name_plural = _("manufacturers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Dealer(models.Model):
    """农机经销企业: a dealer that sells subsidised machines; its users record its sales (catalog.sale)."""

    name = models.CharField(_("name"), max_length=150)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("users"), related_name="dealers", blank=True
    )
    commitment_signed_on = models.DateField(_("commitment signed on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("dealer")
        verbose_name_plural = _("dealers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CreditKind(models.TextChoices):
    FALSE_FILING_OUT_OF_SCOPE = "false_out_of_scope", _("False filing: product out of scope")
    FALSE_FILING_LOWER_GRADE = "false_lower_grade", _("False filing: lower grade filed as higher")
    VIOLATION = "violation", _("Violation")


class CreditRecord(models.Model):
    """信用记录: a mark on a manufacturer's or dealer's credit (R26, R43). Append-only."""

    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.PROTECT, null=True, blank=True, related_name="credit_records"
    )
    dealer = models.ForeignKey(Dealer, on_delete=models.PROTECT, null=True, blank=True, related_name="credit_records")
    kind = models.CharField(_("kind"), max_length=24, choices=CreditKind.choices)
    repeated = models.BooleanField(_("repeated (heavier handling)"), default=False)
    reason = models.TextField(_("reason"))
    filing = models.ForeignKey("Filing", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_records")
    # Issue 11 (R27, R43): a decided violation case may suspend the party's filings until a date.
    suspended_until = models.DateField(_("filings suspended until (inclusive)"), null=True, blank=True)
    decision = models.CharField(_("decision number"), max_length=40, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        verbose_name = _("credit record")
        verbose_name_plural = _("credit records")
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                name="credit_record_one_party",
                condition=(Q(manufacturer__isnull=False) & Q(dealer__isnull=True))
                | (Q(manufacturer__isnull=True) & Q(dealer__isnull=False)),
            )
        ]

    def __str__(self):
        return f"{self.manufacturer or self.dealer}: {self.get_kind_display()}"


# --- Products, certificates, filings, closures (R10–R13, R26, R27) -------------------------------------


class Product(models.Model):
    """A product (机型): a model of a manufacturer, in one item and grade. Named in applications only once its
    filing is published, and never while closed."""

    manufacturer = models.ForeignKey(
        Manufacturer, verbose_name=_("manufacturer"), on_delete=models.PROTECT, related_name="products"
    )
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="products")
    grade = models.ForeignKey(Grade, verbose_name=_("grade"), on_delete=models.PROTECT, related_name="products")
    name = models.CharField(_("product name"), max_length=150)
    model = models.CharField(_("model"), max_length=100)
    executive_standard = models.CharField(_("executive standard"), max_length=150, blank=True)
    mandatory_standard = models.BooleanField(_("a compulsory or national standard exists for it"), default=False)
    declared = models.JSONField(_("declared key parameters"), default=dict, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    closed = models.BooleanField(_("closed"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["manufacturer__name", "model"]
        constraints = [models.UniqueConstraint(fields=["manufacturer", "model"], name="product_model_unique")]

    def __str__(self):
        return f"{self.manufacturer} {self.name} {self.model}"


class CertificateKind(models.TextChoices):
    """R10: 农业机械试验鉴定证书, 推广鉴定证书, 强制性产品认证, 自愿性认证.
    R12: drones under 农办机〔2017〕10号. R13: 出厂合格证, 铭牌, 执行标准, 检验检测报告."""

    TEST_APPRAISAL = "test_appraisal", _("Test appraisal certificate")
    PROMOTION_APPRAISAL = "promotion_appraisal", _("Promotion appraisal certificate")
    COMPULSORY = "compulsory", _("Compulsory product certification")
    VOLUNTARY = "voluntary", _("Voluntary product certification")
    DRONE = "drone", _("Drone qualification (Nong Ban Ji [2017] No. 10)")
    CONFORMITY = "conformity", _("Factory certificate of conformity")
    NAMEPLATE = "nameplate", _("Nameplate")
    STANDARD = "standard", _("Executive standard")
    TEST_REPORT = "test_report", _("Test report")


#: R10: any one of these qualifies a conventional machine of the central catalogue.
CONVENTIONAL_CERTIFICATES = {
    CertificateKind.TEST_APPRAISAL,
    CertificateKind.PROMOTION_APPRAISAL,
    CertificateKind.COMPULSORY,
    CertificateKind.VOLUNTARY,
}


class PrivateStorage(FileSystemStorage):
    """Files under ``settings.PRIVATE_MEDIA_ROOT`` (read on each use), outside every served root: no URL."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return str(Path(settings.PRIVATE_MEDIA_ROOT).resolve())

    def url(self, name):
        raise ValueError("private files are served only by views that check access")


def private_storage():
    return PrivateStorage()


def certificate_path(instance, filename):
    suffix = Path(filename).suffix.lower()
    return f"catalog/certificates/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Certificate(models.Model):
    """A certificate or document of a product, with its validity (inclusive of ``valid_until``)."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="certificates"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=CertificateKind.choices)
    number = models.CharField(_("number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=150, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until (inclusive)"), null=True, blank=True)
    file = models.FileField(_("file"), storage=private_storage, upload_to=certificate_path, blank=True)
    content_type = models.CharField(max_length=40, blank=True, editable=False)
    original_name = models.CharField(max_length=200, blank=True, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                name="certificate_validity_ordered",
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}".strip()

    def covers(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class FilingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted, not yet published")
    REJECTED = "rejected", _("Rejected")
    PUBLISHED = "published", _("Published")


class Filing(ConcurrentTransitionMixin, models.Model):
    """投档: a manufacturer files a product; the municipal bureau reviews it and publishes the result (R26)."""

    manufacturer = models.ForeignKey(
        Manufacturer, verbose_name=_("manufacturer"), on_delete=models.PROTECT, related_name="filings"
    )
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="filings")
    state = FSMField(_("state"), default=FilingState.DRAFT, choices=FilingState.choices, protected=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "submitted_at"])]

    def __str__(self):
        return f"#{self.pk} {self.product}"

    @transition(field=state, source=FilingState.DRAFT, target=FilingState.SUBMITTED)
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(field=state, source=FilingState.SUBMITTED, target=FilingState.ACCEPTED)
    def accept(self, *, by):
        self.decided_at, self.decided_by = timezone.now(), by

    @transition(field=state, source=FilingState.SUBMITTED, target=FilingState.REJECTED)
    def reject(self, *, by, reason):
        self.decided_at, self.decided_by, self.reason = timezone.now(), by, reason

    @transition(field=state, source=FilingState.ACCEPTED, target=FilingState.PUBLISHED)
    def publish(self):
        self.published_at = timezone.now()

    @cached_property
    def is_editable(self) -> bool:
        return self.state == FilingState.DRAFT


class Closure(models.Model):
    """封闭: a product closed by the municipal bureau pending investigation (R27); reopened later."""

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="closures")
    reason = models.TextField(_("reason"))
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["-closed_at"]
        constraints = [
            models.UniqueConstraint(fields=["product"], condition=Q(reopened_at__isnull=True), name="one_open_closure")
        ]

    def __str__(self):
        return f"{self.product}: {self.reason[:40]}"
