"""应用补贴 (R20): the pilot kinds of a year with their targets (config the municipal bureau edits), the monitoring
terminals bound to subsidised machines, the machines' work records from three ways in (one table), and the trail of
every officer's decision on a flagged record.

The incentive claim itself is an ``applications.Application`` of kind ``incentive`` (``incentive_for`` names the
purchase it rewards), so it goes through the same review, notice, hand-over, batches and ledger as the purchase.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import FundSource, private_storage
from core import chain

from .errors import UsageError

#: R20: the most machine kinds chosen for the application subsidy in one year.
MAX_PILOT_KINDS = 5
DEFAULT_RATE = Decimal("0.20")


class VolumeUnit(models.TextChoices):
    MU = "mu", _("mu")
    HOUR = "hour", _("hours")
    TONNE = "tonne", _("tonnes")
    HEAD = "head", _("head")


class Comparison(models.TextChoices):
    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")


class PilotKind(models.Model):
    """应用补贴试点机具: a catalogue item chosen for the application subsidy in a year (at most five a year), with its
    work-volume target, the incentive rate, the fund source that pays it and how much work is plausible."""

    year = models.PositiveSmallIntegerField(_("work year"))
    item = models.ForeignKey("catalog.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    volume_target = models.DecimalField(
        _("work volume target"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    volume_unit = models.CharField(_("unit of work"), max_length=8, choices=VolumeUnit.choices, default=VolumeUnit.MU)
    rate = models.DecimalField(
        _("incentive rate"),
        max_digits=4,
        decimal_places=3,
        default=DEFAULT_RATE,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
        help_text=_("A share of the purchase subsidy actually paid: 0.200 is 20%."),
    )
    fund_source = models.CharField(
        _("paid from"),
        max_length=16,
        choices=FundSource.choices,
        blank=True,
        help_text=_("Empty: each fund source pays its share of what it paid for the purchase."),
    )
    evidence = models.TextField(_("evidence needed"), blank=True)
    max_per_hour = models.DecimalField(
        _("most work an hour (unit of work)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("A record doing more an hour is flagged as implausible."),
    )
    max_hours = models.DecimalField(
        _("longest record (hours)"), max_digits=5, decimal_places=1, default=Decimal("16.0")
    )
    document = models.CharField(_("published under (document number)"), max_length=100, blank=True)
    published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("pilot kind of the application subsidy")
        verbose_name_plural = _("pilot kinds of the application subsidy")
        ordering = ["-year", "item__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["year", "item"], name="pilot_kind_once_a_year"),
            models.CheckConstraint(condition=Q(rate__gt=0, rate__lte=1), name="pilot_kind_rate_share"),
        ]

    def __str__(self):
        return f"{self.year} {self.item}"

    def save(self, *args, **kwargs):
        """The limit is checked under a lock of the year, so two bureau officers adding at once cannot pass it."""
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [2020, self.year])
            self.check_limit()
            super().save(*args, **kwargs)

    def check_limit(self) -> None:
        """R20: at most five kinds a year; a sixth is refused with the reason."""
        others = PilotKind.objects.filter(year=self.year).exclude(pk=self.pk)
        if others.count() >= MAX_PILOT_KINDS:
            raise UsageError(
                _("At most %(n)s machine kinds a year are chosen for the application subsidy; %(year)s has them.")
                % {"n": MAX_PILOT_KINDS, "year": self.year},
                rule="R20",
            )


class QualityMeasure(models.Model):
    """A work-quality target of a pilot kind: the named measure, compared with a threshold, over at least a share of
    the work (e.g. subsoiling depth at least 25 cm over at least 90% of the area)."""

    pilot = models.ForeignKey(PilotKind, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(_("measure"), max_length=60)
    unit = models.CharField(_("unit"), max_length=20)
    comparison = models.CharField(
        _("comparison"), max_length=10, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    threshold = models.DecimalField(_("threshold"), max_digits=10, decimal_places=2)
    share = models.DecimalField(
        _("share of the work"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.900"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    evidence = models.CharField(_("evidence needed"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("work-quality target")
        verbose_name_plural = _("work-quality targets")
        ordering = ["pilot", "id"]
        constraints = [models.UniqueConstraint(fields=["pilot", "name"], name="quality_measure_once")]

    def __str__(self):
        return self.name

    @property
    def share_percent(self) -> str:
        """0.900 → "90": the share as people write it."""
        return format((self.share * 100).normalize(), "f")


class DistrictArea(models.Model):
    """**config**: a district's extent as a box of latitude and longitude, to flag a record outside the
    application's district (a box, not the boundary: a record near the edge may pass; the office sees the place)."""

    district = models.OneToOneField("accounts.District", on_delete=models.PROTECT, related_name="+")
    south = models.DecimalField(_("southern latitude"), max_digits=8, decimal_places=5)
    north = models.DecimalField(_("northern latitude"), max_digits=8, decimal_places=5)
    west = models.DecimalField(_("western longitude"), max_digits=8, decimal_places=5)
    east = models.DecimalField(_("eastern longitude"), max_digits=8, decimal_places=5)

    class Meta:
        verbose_name = _("district's extent")
        verbose_name_plural = _("districts' extents")

    def __str__(self):
        return str(self.district)

    def holds(self, lat, lon) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


class Terminal(models.Model):
    """作业监测终端: a monitoring terminal of a platform bound to a subsidised machine (its purchase application)."""

    platform = models.ForeignKey(
        "api.ApiClient",
        verbose_name=_("monitoring platform"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "monitoring"},
        related_name="+",
    )
    terminal_id = models.CharField(_("terminal number"), max_length=64)
    machine = models.ForeignKey(
        "applications.Application", verbose_name=_("machine"), on_delete=models.PROTECT, related_name="+"
    )
    bound_on = models.DateField(_("bound on"), default=timezone.localdate)
    unbound_on = models.DateField(_("unbound on"), null=True, blank=True)

    class Meta:
        verbose_name = _("monitoring terminal")
        verbose_name_plural = _("monitoring terminals")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "terminal_id"], condition=Q(unbound_on__isnull=True), name="terminal_bound_once"
            )
        ]

    def __str__(self):
        return self.terminal_id


class SaleOn(models.Model):
    """A subsidised machine sold on to someone else (recorded by the district): no work of it counts after that."""

    machine = models.OneToOneField(
        "applications.Application", verbose_name=_("machine"), on_delete=models.PROTECT, related_name="+"
    )
    sold_on = models.DateField(_("sold on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("machine sold on")
        verbose_name_plural = _("machines sold on")

    def __str__(self):
        return f"{self.machine} {self.sold_on}"


class Source(models.TextChoices):
    PLATFORM = "platform", _("Monitoring platform")
    IMPORT = "import", _("District import")
    BUYER = "buyer", _("Entered by the buyer")


class RecordStatus(models.TextChoices):
    COUNTED = "counted", _("Counted")
    FLAGGED = "flagged", _("Flagged: to check")
    ACCEPTED = "accepted", _("Accepted after checking")
    REJECTED = "rejected", _("Rejected after checking")


#: The statuses whose work counts toward the targets.
COUNTS = [RecordStatus.COUNTED, RecordStatus.ACCEPTED]


class Flag(models.TextChoices):
    """Plausibility checks kept with a record (R20). A flagged record is left out of the totals until checked."""

    ENDS_BEFORE_START = "ends_before_start", _("Ends before it starts")
    TOO_LONG = "too_long", _("Longer than a machine works in one go")
    TOO_FAST = "too_fast", _("More work an hour than the machine can do")
    OUTSIDE_BEIJING = "outside_beijing", _("Outside Beijing")
    OUTSIDE_DISTRICT = "outside_district", _("Outside the application's district")
    OVERLAP = "overlap", _("Overlaps another record of the same machine")
    SAME_PLACE = "same_place", _("Another machine worked the same place at the same time")
    BY_HAND = "by_hand", _("Entered by hand: check the evidence")


class ImportFile(models.Model):
    """A district's spreadsheet of work records, imported all-or-nothing."""

    district = models.ForeignKey("accounts.District", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("imported work records")
        verbose_name_plural = _("imported work records")
        ordering = ["-at"]

    def __str__(self):
        return self.file_name


class WorkRecord(models.Model):
    """作业记录: a stretch of work of a subsidised machine (its purchase application), from a monitoring platform, a
    district's import or the buyer's own entry, with its measured quality and the plausibility flags found."""

    machine = models.ForeignKey(
        "applications.Application", verbose_name=_("machine"), on_delete=models.PROTECT, related_name="work_records"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    platform = models.ForeignKey("api.ApiClient", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    external_id = models.CharField(_("platform's record number"), max_length=100, blank=True)
    terminal = models.ForeignKey(Terminal, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    import_file = models.ForeignKey(ImportFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    volume = models.DecimalField(_("work done"), max_digits=12, decimal_places=2)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    quality = models.JSONField(_("measured quality"), default=dict, blank=True)
    flags = models.JSONField(_("plausibility flags"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RecordStatus.choices, db_index=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("work record")
        verbose_name_plural = _("work records")
        ordering = ["started_at", "id"]
        constraints = [
            # A platform's record is taken once: a repeated post changes nothing.
            models.UniqueConstraint(
                fields=["platform", "external_id"], condition=Q(source="platform"), name="work_record_once"
            ),
            models.CheckConstraint(condition=Q(volume__gte=0), name="work_record_volume_not_negative"),
        ]
        indexes = [
            models.Index(fields=["machine", "started_at"]),
            models.Index(fields=["started_at", "latitude", "longitude"]),
        ]

    def __str__(self):
        return f"{self.machine} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def counts(self) -> bool:
        return self.status in COUNTS

    @property
    def flag_labels(self) -> list[str]:
        return [str(Flag(f).label) for f in self.flags if f in Flag.values]


def evidence_path(instance, filename):
    from applications.models import document_path

    return "usage/" + document_path(instance, filename)


class Evidence(models.Model):
    """A photo or work contract the buyer gives with a record entered by hand, checked by its content."""

    record = models.ForeignKey(WorkRecord, on_delete=models.PROTECT, related_name="evidence")
    original = models.FileField(storage=private_storage, upload_to=evidence_path)
    content_type = models.CharField(max_length=40, editable=False)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence of work")
        verbose_name_plural = _("evidence of work")

    def __str__(self):
        return self.original_name


class RecordEvent(chain.Chained, models.Model):
    """An officer's decision on a flagged record (accept or reject, with the reason): append-only and chained per
    record (R45)."""

    class Action(models.TextChoices):
        ACCEPT = "accept", _("Accepted")
        REJECT = "reject", _("Rejected")

    record = models.ForeignKey(WorkRecord, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    CHAIN = chain.Link(
        name="work record events",
        fields=("record_id", "action", "actor_id", "reason", "data", "at", "prev_hash"),
        chain_by="record_id",
    )

    class Meta:
        verbose_name = _("work record event")
        verbose_name_plural = _("work record events")
        ordering = ["record", "id"]

    def __str__(self):
        return f"{self.record_id} {self.action}"


class TargetsMet(models.Model):
    """The day a machine's year of work met its targets, so the buyer is told once."""

    machine = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("work year"))
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["machine", "year"], name="targets_met_once")]

    def __str__(self):
        return f"{self.machine_id} {self.year}"
