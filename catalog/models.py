"""The subsidy catalogue (机具种类范围, R6–R18), products and their filing (投档, R26) and closure (封闭, R27).

Everything that changes over time carries an effective period ``[valid_from, valid_to)``: ``valid_to`` is the
first day it no longer applies (empty: still open). "What applied on day D" is ``in_force(D)``, and rows that
were in force are never edited afterwards: a change is a new row (R7, R41).
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core import chain

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
        from .grading import describe

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


# --- The trail (R45) -----------------------------------------------------------------------------------


ACTION_LABELS = {
    "grade_created": _("Grade created"),
    "grade_changed": _("Grade changed"),
    "grade_flags_changed": _("Grade marks changed"),
    "item_flags_changed": _("Item marks changed"),
    "item_created": _("Item added"),
    "item_retired": _("Item retired"),
    "market_price_recorded": _("Average market price recorded"),
    "amount_set": _("Amount set"),
    "ratio_ceiling_set": _("Ratio ceiling set"),
    "limit_set": _("Limit set"),
    "innovation_listed": _("Listed as innovation product"),
    "product_closed": _("Product closed"),
    "product_reopened": _("Product reopened"),
    "filing_created": _("Filing created"),
    "certificate_added": _("Certificate attached"),
    "filing_submitted": _("Filing submitted"),
    "filing_accepted": _("Filing accepted"),
    "filing_rejected": _("Filing rejected"),
    "filing_published": _("Filing published"),
    "false_filing_recorded": _("False filing recorded on the credit record"),
    "credit_recorded": _("Credit record added"),
    "manufacturer_created": _("Manufacturer added"),
    "manufacturer_changed": _("Manufacturer changed"),
    "dealer_created": _("Dealer added"),
    "dealer_changed": _("Dealer changed"),
    "marketprice_created": _("Average market price recorded"),
    "marketprice_changed": _("Average market price changed"),
    "members_changed": _("Users of the manufacturer changed"),
}


class CatalogueEvent(models.Model):
    """An immutable record of a change to the catalogue: who, when, what and why (R45).

    Rows are chained (each stores the previous row's hash) and, on PostgreSQL, a trigger refuses UPDATE and
    DELETE.
    """

    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True
    )
    action = models.CharField(_("action"), max_length=40)
    subject_type = models.CharField(_("subject"), max_length=40)
    subject_id = models.BigIntegerField(_("subject id"))
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("catalogue event")
        verbose_name_plural = _("catalogue events")
        ordering = ["-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject_type}#{self.subject_id}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError(_("Catalogue events are never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Catalogue events are never deleted."))

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    def content_hash(self) -> str:
        return chain.content_hash(
            [
                self.prev_hash,
                self.at.isoformat(),
                self.actor_id,
                self.action,
                self.subject_type,
                self.subject_id,
                self.reason,
                self.data,
            ]
        )


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
    """农机经销企业: a dealer that sells subsidised machines."""

    name = models.CharField(_("name"), max_length=150)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
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


class SearchSynonym(models.Model):
    """The everyday name a farmer types for a machine (无人机, 打药机, 收割机) and the catalogue's words it stands
    for (无人驾驶航空器, 喷雾机, 收获机), kept by the municipal bureau in the admin: searching the word finds them."""

    word = models.CharField(_("everyday word"), max_length=30, unique=True)
    means = models.CharField(
        _("catalogue words"), max_length=200, help_text=_("One or more words of the catalogue, separated by commas.")
    )

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["word"]

    def __str__(self):
        return f"{self.word} → {self.means}"

    def terms(self) -> list[str]:
        return [t.strip() for t in self.means.replace("，", ",").replace("、", ",").split(",") if t.strip()]


# Sales reported by manufacturers and dealers (their own module: this one is long enough).
from .sale import Sale  # noqa: E402, F401
