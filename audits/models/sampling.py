"""抽查 (R32, R38): sampling runs drawn reproducibly, their parameters and weights as dated rows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SamplingParameter(models.Model):
    """The share of the ordinary applications a run checks, and the part of it drawn at random (the rest by risk
    score), from a date, city-wide or for one district."""

    valid_from = models.DateField(_("in force from"))
    district = models.ForeignKey(
        "accounts.District", verbose_name=_("only for district"), on_delete=models.PROTECT, null=True, blank=True
    )
    share = models.DecimalField(_("share checked"), max_digits=4, decimal_places=3, default="0.100")
    random_part = models.DecimalField(_("part drawn at random"), max_digits=4, decimal_places=3, default="0.250")
    due_working_days = models.PositiveSmallIntegerField(_("working days to do a task"), default=20)

    class Meta:
        verbose_name = _("sampling parameter")
        verbose_name_plural = _("sampling parameters")
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["district", "valid_from"], nulls_distinct=False, name="sampling_once"),
            models.CheckConstraint(
                condition=Q(share__gte=0, share__lte=1, random_part__gte=0, random_part__lte=1),
                name="sampling_shares_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.district or _('city-wide')} {self.valid_from}: {self.share} / {self.random_part}"


class RiskFactor(models.TextChoices):
    WARNINGS = "warnings", _("Each open warning")
    AMOUNT = "amount", _("Each 10,000 yuan of subsidy")
    NEW_PRODUCT = "new_product", _("A product new to the district")
    CREDIT = "credit", _("Each entry on the manufacturer's credit record")


class RiskWeight(models.Model):
    """The weight of one risk factor in the risk score, from a date (the municipality tunes it from a run's
    effectiveness figures)."""

    factor = models.CharField(_("factor"), max_length=16, choices=RiskFactor.choices)
    valid_from = models.DateField(_("in force from"))
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("risk weight")
        verbose_name_plural = _("risk weights")
        ordering = ["factor", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["factor", "valid_from"], name="risk_weight_once")]

    def __str__(self):
        return f"{self.get_factor_display()} × {self.weight} ({self.valid_from})"


class SamplingRun(models.Model):
    """抽查批次: one draw for a district and period. Immutable once drawn (a PostgreSQL trigger refuses changes):
    the population (ids with their 100% flag and risk score, and its hash), the method and version, the parameters
    and the seed entered before the draw. A redraw is a new run that names the one it replaces; both stay."""

    number = models.CharField(_("run number"), max_length=32, unique=True)
    district = models.ForeignKey("accounts.District", verbose_name=_("district"), on_delete=models.PROTECT)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to (inclusive)"))
    seed = models.CharField(_("random seed"), max_length=100)
    seed_source = models.CharField(_("where the seed comes from"), max_length=200, blank=True)
    method = models.CharField(_("method"), max_length=40)
    version = models.CharField(_("method version"), max_length=10)
    parameters = models.JSONField(_("parameters"))
    population = models.JSONField(_("population"))
    population_hash = models.CharField(_("population hash"), max_length=64)
    fingerprint = models.CharField(max_length=64)
    redraw_of = models.ForeignKey(
        "self", verbose_name=_("redraw of"), on_delete=models.PROTECT, null=True, blank=True, related_name="redraws"
    )
    redraw_reason = models.TextField(_("why drawn again"), blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(_("drawn at"), default=timezone.now)

    class Meta:
        verbose_name = _("sampling run")
        verbose_name_plural = _("sampling runs")
        ordering = ["-drawn_at", "-id"]

    def __str__(self):
        return self.number


class Part(models.TextChoices):
    FULL = "full", _("Every unit (high-risk machine or complete set)")
    RANDOM = "random", _("Drawn at random")
    RISK = "risk", _("Taken by risk score")


class Selection(models.Model):
    """One application selected by a run, with the part that selected it and why."""

    run = models.ForeignKey(SamplingRun, on_delete=models.PROTECT, related_name="selections")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="+")
    part = models.CharField(_("part"), max_length=8, choices=Part.choices)
    ticket = models.CharField(_("ticket"), max_length=64)
    score = models.DecimalField(_("risk score"), max_digits=10, decimal_places=2)
    factors = models.JSONField(_("risk factors"), default=dict)

    class Meta:
        verbose_name = _("selection")
        verbose_name_plural = _("selections")
        ordering = ["run", "part", "ticket"]
        constraints = [models.UniqueConstraint(fields=["run", "application"], name="selection_once_per_run")]

    def __str__(self):
        return f"{self.run} {self.application_id} {self.part}"
