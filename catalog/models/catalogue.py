"""The subsidy catalogue (机具种类范围, R6–R18), products and their filing (投档, R26) and closure (封闭, R27).

Everything that changes over time carries an effective period ``[valid_from, valid_to)``: ``valid_to`` is the
first day it no longer applies (empty: still open). "What applied on day D" is ``in_force(D)``, and rows that
were in force are never edited afterwards: a change is a new row (R7, R41).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MONEY = {"max_digits": 12, "decimal_places": 2}
RATIO = {"max_digits": 5, "decimal_places": 4}


def code_sort_key(code: str) -> str:
    """``1.1.10`` sorts after ``1.1.9``: each part zero-padded."""
    return ".".join(part.zfill(4) for part in str(code).split("."))


class Scope(models.TextChoices):
    CENTRAL = "central", _("Central funds catalogue")
    MUNICIPAL = "municipal", _("Municipal-only catalogue")


#: The catalogue in one word, said before an item code wherever a buyer or the public reads one: a code such as
#: 2.2.3 stands in both catalogues for two different items.
SCOPE_SHORT = {
    Scope.CENTRAL: pgettext_lazy("catalogue", "Central"),
    Scope.MUNICIPAL: pgettext_lazy("catalogue", "Municipal"),
}


class FundSource(models.TextChoices):
    CENTRAL = "central", _("Central funds")
    MUNICIPAL = "municipal", _("Municipal funds")
    DISTRICT = "district", _("District funds")


class PeriodQuerySet(models.QuerySet):
    def in_force(self, on):
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on)


class Period(models.Model):
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until (first day no longer in force)"), null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                name="%(class)s_period_ordered",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
            )
        ]

    def in_force_on(self, on) -> bool:
        return self.valid_from <= on and (self.valid_to is None or self.valid_to > on)


# --- The tree (R6) ---------------------------------------------------------------------------------------


class Category(Period):
    """大类: a category of one of the two catalogues."""

    scope = models.CharField(_("catalogue"), max_length=16, choices=Scope.choices)
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=100)
    sort_key = models.CharField(max_length=40, editable=False)

    class Meta(Period.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["scope", "sort_key"]
        constraints = [
            *Period.Meta.constraints,
            models.UniqueConstraint(fields=["scope", "code", "valid_from"], name="category_code_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.sort_key = code_sort_key(self.code)
        super().save(*args, **kwargs)


class Subcategory(Period):
    """小类: a subcategory."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="subcategories"
    )
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=100)
    sort_key = models.CharField(max_length=40, editable=False)

    class Meta(Period.Meta):
        verbose_name = _("subcategory")
        verbose_name_plural = _("subcategories")
        ordering = ["sort_key"]
        constraints = [
            *Period.Meta.constraints,
            models.UniqueConstraint(fields=["category", "code", "valid_from"], name="subcategory_code_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.sort_key = code_sort_key(self.code)
        super().save(*args, **kwargs)


class RatioClass(models.TextChoices):
    """Which ratio ceiling applies (R15, R17, R18)."""

    GENERAL = "general", _("General")
    KEY = "key", _("Key machinery (raised, R17)")
    RAISED = "raised", _("Mobile dryers, crawler tractors and harvesters, signal terminals (raised, R17)")
    OVERSUPPLIED = "oversupplied", _("Over-supplied or outdated (lowered, R18)")
    WHEELED_TRACTOR = "wheeled_tractor", _("Wheeled tractor (lowered, R18)")
    WHEELED_TRACTOR_OVERSUPPLIED = "wheeled_tractor_oversupplied", _("Over-supplied wheeled-tractor grade (R18)")


class ItemKind(models.TextChoices):
    """How an item's ratio ceiling is chosen (R17, R18)."""

    ORDINARY = "ordinary", _("Ordinary")
    RAISED = "raised", _("Raised ratio kind (R17: mobile dryer, crawler tractor or harvester, signal terminal)")
    WHEELED_TRACTOR = "wheeled_tractor", _("Wheeled tractor (R18)")


class QualificationKind(models.TextChoices):
    """Which certificates a product of the item needs (R10, R12, R13)."""

    CONVENTIONAL = "conventional", _("Conventional machine (appraisal or certification, R10)")
    DRONE = "drone", _("Agricultural drone (own rule set, R12)")
    MUNICIPAL = "municipal", _("Municipal catalogue (conformity, nameplate, standard, test report, R13)")


class Item(Period):
    """品目: an item of the catalogue, the level at which grades and amounts are set."""

    subcategory = models.ForeignKey(
        Subcategory, verbose_name=_("subcategory"), on_delete=models.PROTECT, related_name="items"
    )
    scope = models.CharField(_("catalogue"), max_length=16, choices=Scope.choices, editable=False)
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=100)
    note = models.CharField(_("note as printed"), max_length=100, blank=True)
    sort_key = models.CharField(max_length=40, editable=False)
    kind = models.CharField(_("ratio kind"), max_length=20, choices=ItemKind.choices, default=ItemKind.ORDINARY)
    qualification = models.CharField(
        _("qualification rule"),
        max_length=16,
        choices=QualificationKind.choices,
        default=QualificationKind.CONVENTIONAL,
    )
    # Flags (R8, R16, R18, R32). Changing them is recorded as a catalogue event.
    is_key = models.BooleanField(_("key machinery"), default=False)
    oversupplied = models.BooleanField(_("over-supplied or outdated"), default=False)
    is_high_risk = models.BooleanField(_("high-risk machine"), default=False)
    is_installation = models.BooleanField(_("installation or facility machine"), default=False)
    is_complete_set = models.BooleanField(_("complete set of facility equipment"), default=False)
    plate_licence = models.BooleanField(_("plate-and-licence managed"), default=False)
    general_purpose = models.BooleanField(_("general-purpose item (national maximum amounts apply)"), default=False)

    class Meta(Period.Meta):
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["scope", "sort_key"]
        constraints = [
            *Period.Meta.constraints,
            models.UniqueConstraint(fields=["scope", "code", "valid_from"], name="item_code_unique"),
        ]
        indexes = [models.Index(fields=["scope", "sort_key"]), models.Index(fields=["name"])]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.sort_key = code_sort_key(self.code)
        self.scope = self.subcategory.category.scope
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """The item as a buyer reads it, its catalogue first: 中央 2.2.3 单粒(精密)播种机."""
        return f"{SCOPE_SHORT.get(self.scope, '')} {self.code} {self.name}"


# --- Grades and their parameters (R6, R14) -------------------------------------------------------------


class Grade(Period):
    """档次: a grade of an item, defined by its key parameters; amounts are set per grade, never per product."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="grades")
    name = models.CharField(_("name"), max_length=200)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_key = models.BooleanField(_("key machinery grade"), default=False)
    oversupplied = models.BooleanField(_("over-supplied or outdated grade"), default=False)
    power_shift_or_cvt = models.BooleanField(_("power-shift or continuously-variable transmission"), default=False)
    raised = models.BooleanField(
        _("raised ratio kind (R17: mobile dryer, crawler harvester, signal terminal)"), default=False
    )
    national_max_amount = models.DecimalField(_("national maximum central amount"), **MONEY, null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta(Period.Meta):
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["item__sort_key", "sort_order", "id"]

    def __str__(self):
        return f"{self.item.code} {self.name}"

    @property
    def ratio_class(self) -> str:
        """The ceiling class of this grade (R15, R17, R18); lowered classes win over raised ones."""
        item = self.item
        if item.kind == ItemKind.WHEELED_TRACTOR and not self.power_shift_or_cvt:
            if self.oversupplied or item.oversupplied:
                return RatioClass.WHEELED_TRACTOR_OVERSUPPLIED
            return RatioClass.WHEELED_TRACTOR
        if self.oversupplied or item.oversupplied:
            return RatioClass.OVERSUPPLIED
        if item.kind == ItemKind.RAISED or self.raised:
            return RatioClass.RAISED
        if self.is_key or item.is_key:
            return RatioClass.KEY
        return RatioClass.GENERAL

    def parameters_text(self) -> str:
        return "；".join(p.text for p in self.parameters.all())


class ParameterKind(models.TextChoices):
    RANGE = "range", _("Range")
    CHOICE = "choice", _("One of listed values")


class GradeParameter(models.Model):
    """A key parameter of a grade: a numeric range with its unit and bounds, or an enumeration."""

    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="parameters")
    name = models.CharField(_("parameter"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=ParameterKind.choices, default=ParameterKind.RANGE)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    lower = models.DecimalField(_("lower bound"), max_digits=14, decimal_places=4, null=True, blank=True)
    lower_inclusive = models.BooleanField(_("lower bound included"), default=True)
    upper = models.DecimalField(_("upper bound"), max_digits=14, decimal_places=4, null=True, blank=True)
    upper_inclusive = models.BooleanField(_("upper bound included"), default=False)
    choices = models.JSONField(_("values"), default=list, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("grade parameter")
        verbose_name_plural = _("grade parameters")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        from ..grading import describe

        return describe(self)


# --- Prices, amounts, and the rules they obey (R14–R18) --------------------------------------------------


class PriceSource(models.TextChoices):
    SUBSIDY_DATA = "subsidy_data", _("Previous year's subsidy data")
    MARKET_SURVEY = "market_survey", _("Market survey")
    THIRD_PARTY = "third_party", _("At least two third-party price assessments")


class MarketPrice(models.Model):
    """同档产品上年市场销售均价: the grade's average market price of the previous year, with where it came from."""

    grade = models.ForeignKey(Grade, verbose_name=_("grade"), on_delete=models.PROTECT, related_name="prices")
    year = models.PositiveSmallIntegerField(_("year of the prices"))
    average_price = models.DecimalField(_("average market price (yuan)"), **MONEY)
    source = models.CharField(_("source"), max_length=20, choices=PriceSource.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        verbose_name = _("average market price")
        verbose_name_plural = _("average market prices")
        ordering = ["-year", "-id"]
        constraints = [models.CheckConstraint(name="market_price_positive", condition=Q(average_price__gt=0))]

    def __str__(self):
        return f"{self.grade} {self.year}: ¥{self.average_price}"


class PriceAssessment(models.Model):
    """A third-party price assessment (第三方价格评估) behind a market price."""

    market_price = models.ForeignKey(MarketPrice, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.CharField(_("assessing body"), max_length=100)
    value = models.DecimalField(_("assessed price (yuan)"), **MONEY)
    reference = models.CharField(_("report reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("price assessment")
        verbose_name_plural = _("price assessments")

    def __str__(self):
        return f"{self.assessor}: ¥{self.value}"


class AmountInForce(Exception):
    pass


class Amount(Period):
    """补贴额: the fixed amount of one fund source for one grade over a period (定额补贴, R14).

    A row that has come into force is never edited: ``catalog.services.set_amount`` closes it and opens a new
    one. ``save()`` refuses any other change, and on PostgreSQL a trigger refuses it too.
    """

    grade = models.ForeignKey(Grade, verbose_name=_("grade"), on_delete=models.PROTECT, related_name="amounts")
    fund_source = models.CharField(_("fund source"), max_length=16, choices=FundSource.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    ratio = models.DecimalField(_("calculation ratio"), **RATIO)
    market_price = models.ForeignKey(
        MarketPrice, verbose_name=_("average market price"), on_delete=models.PROTECT, related_name="amounts"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)

    class Meta(Period.Meta):
        verbose_name = _("subsidy amount")
        verbose_name_plural = _("subsidy amounts")
        ordering = ["grade_id", "fund_source", "valid_from"]
        constraints = [
            *Period.Meta.constraints,
            models.CheckConstraint(name="amount_not_negative", condition=Q(amount__gte=0)),
            models.CheckConstraint(name="amount_ratio_range", condition=Q(ratio__gt=0, ratio__lte=1)),
            models.UniqueConstraint(fields=["grade", "fund_source", "valid_from"], name="amount_one_start_per_day"),
            models.UniqueConstraint(
                fields=["grade", "fund_source"], condition=Q(valid_to__isnull=True), name="amount_one_open_row"
            ),
        ]
        indexes = [models.Index(fields=["grade", "fund_source", "valid_from"])]

    def __str__(self):
        return f"{self.grade} {self.get_fund_source_display()}: ¥{self.amount}"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = Amount.objects.filter(pk=self.pk).first()
            if stored and stored.valid_from <= timezone.localdate():
                changed = [
                    f
                    for f in ("grade_id", "fund_source", "amount", "ratio", "market_price_id", "valid_from")
                    if getattr(stored, f) != getattr(self, f)
                ]
                if changed:
                    raise AmountInForce(_("An amount in force is never edited; set a new amount from a later date."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AmountInForce(_("Amounts are never deleted."))


class RatioCeiling(Period):
    """测算比例上限: the ceiling of the calculation ratio for a fund source and ceiling class (R15, R17, R18)."""

    fund_source = models.CharField(_("fund source"), max_length=16, choices=FundSource.choices)
    ratio_class = models.CharField(_("ceiling class"), max_length=32, choices=RatioClass.choices)
    ceiling = models.DecimalField(_("ratio ceiling"), **RATIO)
    rule = models.CharField(_("rule"), max_length=10)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta(Period.Meta):
        verbose_name = _("ratio ceiling")
        verbose_name_plural = _("ratio ceilings")
        ordering = ["fund_source", "ratio_class", "valid_from"]
        constraints = [
            *Period.Meta.constraints,
            models.CheckConstraint(name="ratio_ceiling_range", condition=Q(ceiling__gt=0, ceiling__lte=1)),
            models.UniqueConstraint(fields=["fund_source", "ratio_class", "valid_from"], name="ratio_ceiling_unique"),
            models.UniqueConstraint(
                fields=["fund_source", "ratio_class"], condition=Q(valid_to__isnull=True), name="ratio_ceiling_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.get_fund_source_display()} / {self.get_ratio_class_display()}: {self.ceiling:.0%}"


class LimitKind(models.TextChoices):
    KEY_ITEMS = "key_items", _("Key machinery: items (R8)")
    KEY_GRADES = "key_grades", _("Key machinery: grades (R8)")
    INNOVATION_ITEMS = "innovation_items", _("Innovation products: items a year (R9)")
    COMPLETE_SET_CENTRAL = "complete_set_central", _("Complete set: central funds a set, yuan (R16)")
    RAISE_MARGIN = "raise_margin", _("Raised grades: share above the national maximum or last year's amount (R17)")
    INNOVATION_CENTRAL_SHARE = (
        "innovation_central_share",
        _("Innovation products: share of the year's central funds (R9)"),
    )
    INNOVATION_SMALL_BUDGET = (
        "innovation_small_budget",
        _("Innovation products: central funds of a year below which the fixed ceiling applies, yuan (R9)"),
    )
    INNOVATION_SMALL_BUDGET_CAP = (
        "innovation_small_budget_cap",
        _("Innovation products: fixed ceiling for a small central budget, yuan (R9)"),
    )
    OUTSIDE_BASE_MIN_SUPPLY = (
        "outside_base_min_supply",
        _("Base outside Beijing: minimum annual supply of produce to Beijing, tonnes (R5)"),
    )


class CatalogueLimit(Period):
    """A limit the catalogue obeys (R8, R9, R16), a row the municipal bureau edits."""

    kind = models.CharField(_("limit"), max_length=32, choices=LimitKind.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    rule = models.CharField(_("rule"), max_length=10)

    class Meta(Period.Meta):
        verbose_name = _("catalogue limit")
        verbose_name_plural = _("catalogue limits")
        ordering = ["kind", "valid_from"]
        constraints = [
            *Period.Meta.constraints,
            models.UniqueConstraint(fields=["kind", "valid_from"], name="catalogue_limit_unique"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(valid_to__isnull=True), name="catalogue_limit_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"


class InnovationKind(models.TextChoices):
    """专项鉴定产品 and 农机新产品 (R9)."""

    SPECIAL_APPRAISAL = "special_appraisal", _("Special appraisal product")
    NEW_PRODUCT = "new_product", _("New agricultural machinery product")


class InnovationListing(models.Model):
    """农机创新产品: an item listed as an innovation product for a year (R9)."""

    year = models.PositiveSmallIntegerField(_("year"))
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="innovation_listings")
    kind = models.CharField(_("kind"), max_length=20, choices=InnovationKind.choices)
    strategic = models.BooleanField(_("confirmed strategic by the two ministries (not counted)"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("innovation product listing")
        verbose_name_plural = _("innovation product listings")
        constraints = [models.UniqueConstraint(fields=["year", "item"], name="innovation_listing_unique")]

    def __str__(self):
        return f"{self.year} {self.item}"
