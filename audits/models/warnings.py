"""预警 (R38): the six signs, their thresholds as dated rows, and each warning with what raised it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Sign(models.TextChoices):
    """The six signs of A1 §4(8); the fourth is counted per buyer and per district (no dealer is recorded on an
    application, so not per dealer)."""

    UNIT_SUBSIDY = "unit_subsidy", _("High subsidy per unit")
    PRODUCT_VOLUME = "product_volume", _("Many purchases of one product in the district")
    MULTI_UNIT = "multi_unit", _("One buyer with several units of an item")
    BURST_BUYER = "burst_buyer", _("Many units in a short time by one buyer")
    BURST_DISTRICT = "burst_district", _("Many units in a short time in the district")
    REPEAT_YEARS = "repeat_years", _("The same buyer buying again in consecutive years")
    SCALE = "scale", _("Out of proportion to the buyer's scale of production")


#: Signs that count within a period of days (the rule row's ``period_days``).
WINDOW_SIGNS = {Sign.PRODUCT_VOLUME, Sign.BURST_BUYER, Sign.BURST_DISTRICT}


class WarningRule(models.Model):
    """预警规则: the threshold of one sign from a date, city-wide or for one item or one district (the item's row
    wins over the district's, which wins over the city's). A sign is raised when its figure is *above* the
    threshold. Edited by the municipal bureau in the admin; rows are never changed once in force, a new row with a
    later date replaces them, so every warning can name the row it was measured against."""

    sign = models.CharField(_("sign"), max_length=20, choices=Sign.choices)
    valid_from = models.DateField(_("in force from"))
    item = models.ForeignKey(
        "catalog.Item", verbose_name=_("only for item"), on_delete=models.PROTECT, null=True, blank=True
    )
    district = models.ForeignKey(
        "accounts.District", verbose_name=_("only for district"), on_delete=models.PROTECT, null=True, blank=True
    )
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=2)
    period_days = models.PositiveSmallIntegerField(
        _("period (days)"), null=True, blank=True, help_text=_("For the signs counted within a period.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("warning rule")
        verbose_name_plural = _("warning rules")
        ordering = ["sign", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["sign", "item", "district", "valid_from"], nulls_distinct=False, name="warning_rule_once"
            ),
            models.CheckConstraint(condition=Q(threshold__gte=0), name="warning_rule_threshold_positive"),
            models.CheckConstraint(
                condition=Q(item__isnull=True) | Q(district__isnull=True), name="warning_rule_item_or_district"
            ),
        ]

    def __str__(self):
        where = self.item or self.district or _("city-wide")
        return f"{self.get_sign_display()} > {self.threshold} ({where}, {self.valid_from})"


class BuyerScale(models.Model):
    """The buyer's declared scale of production (sign 6), optional: land in mu, herd in head, facility area in m².
    One standard unit of scale is 100 mu, 100 head or 1,000 m²."""

    buyer = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scale")
    land_mu = models.DecimalField(_("land (mu)"), max_digits=10, decimal_places=2, null=True, blank=True)
    herd_head = models.PositiveIntegerField(_("herd (head)"), null=True, blank=True)
    facility_m2 = models.DecimalField(_("facility area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("buyer's scale of production")
        verbose_name_plural = _("buyers' scale of production")

    def __str__(self):
        return str(self.buyer)


class RiskWarning(models.Model):
    """预警: one sign raised on one application, with the figures, the threshold and the rule row in force, so it
    can be explained years later. The badge officials see is the application's ``Warning`` it points to."""

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="+")
    warning = models.ForeignKey("applications.Warning", on_delete=models.PROTECT, related_name="+")
    sign = models.CharField(_("sign"), max_length=20, choices=Sign.choices)
    rule = models.ForeignKey(WarningRule, verbose_name=_("rule row"), on_delete=models.PROTECT, related_name="+")
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=2)
    figures = models.JSONField(_("figures"))
    figures_key = models.CharField(max_length=64, editable=False)
    source = models.CharField(_("raised by"), max_length=12)  # "submission" or "scan"
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)

    class Meta:
        verbose_name = _("warning sign")
        verbose_name_plural = _("warning signs")
        ordering = ["-raised_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["application", "sign", "figures_key"], name="risk_warning_once")]
        indexes = [models.Index(fields=["sign", "raised_at"])]

    def __str__(self):
        return f"{self.application_id} {self.sign} {self.figures}"
