"""The municipal bureau's admin for the catalogue. Changes go through the services, so the rules are checked and
every change is recorded as an event; rows in force are shown read-only (R7)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin

from . import services
from .errors import CatalogueError
from .events import record_event
from .models import (
    Amount,
    CatalogueEvent,
    CatalogueLimit,
    Category,
    Certificate,
    Closure,
    CreditRecord,
    Dealer,
    Filing,
    Grade,
    GradeParameter,
    InnovationListing,
    Item,
    Manufacturer,
    MarketPrice,
    PriceAssessment,
    Product,
    RatioCeiling,
    SearchSynonym,
    Subcategory,
)


class RecordedAdmin(admin.ModelAdmin):
    """Every save from the admin is a catalogue event: who, when and which fields (R45)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_event(
            subject=obj,
            action=f"{obj._meta.model_name}_{'changed' if change else 'created'}",
            actor=request.user,
            data={"fields": form.changed_data},
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "members" in form.changed_data:
            record_event(
                subject=form.instance,
                action="members_changed",
                actor=request.user,
                data={"members": sorted(form.instance.members.values_list("username", flat=True))},
            )


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "scope", "valid_from", "valid_to"]
    list_filter = ["scope"]
    search_fields = ["code", "name"]


@admin.register(Subcategory)
class SubcategoryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "category", "valid_from", "valid_to"]
    list_filter = ["category__scope"]
    search_fields = ["code", "name"]


class FlagReasonForm(forms.ModelForm):
    """Flags and periods change with a reason; a period already begun is closed from today on, never before (R7)."""

    change_reason = forms.CharField(label=_("Reason for the change"), max_length=300)

    def clean(self):
        data = super().clean()
        if "is_key" in self.changed_data and data.get("is_key"):
            instance = self.instance if self.instance.pk else None
            on = data.get("valid_from") or getattr(self.instance, "valid_from", None) or timezone.localdate()
            try:
                if self._meta.model is Item:
                    services.check_key_limits(on=max(on, timezone.localdate()), items_delta=1, exclude_item=instance)
                else:
                    services.check_key_limits(on=max(on, timezone.localdate()), grades_delta=1, exclude_grade=instance)
            except CatalogueError as exc:
                self.add_error("is_key", str(exc))
        return data

    def clean_valid_to(self):
        valid_to = self.cleaned_data.get("valid_to")
        if "valid_to" in self.changed_data and valid_to is not None and valid_to < timezone.localdate():
            raise ValidationError(_("An entry is retired from today or later; the past is never changed (R7)."))
        return valid_to


def _in_force(obj) -> bool:
    return obj is not None and obj.pk is not None and obj.valid_from <= timezone.localdate()


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    """Items: new items from a date, retired from a date, flags through the service (limits, events)."""

    form = FlagReasonForm
    list_display = [
        "code",
        "name",
        "scope",
        "kind",
        "is_key",
        "is_high_risk",
        "is_complete_set",
        "plate_licence",
        "valid_to",
    ]
    list_filter = ["scope", "is_key", "is_high_risk", "is_installation", "is_complete_set", "plate_licence", "kind"]
    search_fields = ["code", "name"]
    fields = [
        "subcategory",
        "code",
        "name",
        "note",
        "valid_from",
        "valid_to",
        "kind",
        "qualification",
        *services.ITEM_FLAGS,
        "change_reason",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["subcategory", "code", "name", "note", "valid_from", "kind", "qualification"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data["change_reason"]
        if not change:
            if obj.is_key:
                try:
                    services.check_key_limits(on=obj.valid_from, items_delta=1)
                except CatalogueError as exc:
                    messages.error(request, str(exc))
                    obj.is_key = False
            super().save_model(request, obj, form, change)
            record_event(subject=obj, action="item_created", actor=request.user, reason=reason)
            return
        flags = {f: form.cleaned_data[f] for f in services.ITEM_FLAGS if f in form.changed_data}
        stored = Item.objects.get(pk=obj.pk)
        for name in flags:
            setattr(obj, name, getattr(stored, name))
        if flags:
            try:
                services.set_item_flags(item=obj, by=request.user, reason=reason, **flags)
                for name, value in flags.items():
                    setattr(obj, name, value)
            except CatalogueError as exc:
                messages.error(request, str(exc))
        if "valid_to" in form.changed_data:
            obj.save(update_fields=["valid_to"])
            record_event(
                subject=obj, action="item_retired", actor=request.user, reason=reason, data={"valid_to": obj.valid_to}
            )


class GradeParameterInline(admin.TabularInline):
    model = GradeParameter
    extra = 0
    fields = ["name", "kind", "unit", "lower", "lower_inclusive", "upper", "upper_inclusive", "choices", "sort_order"]

    def has_change_permission(self, request, obj=None):
        return not _in_force(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not _in_force(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _in_force(obj) and super().has_delete_permission(request, obj)


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    """Grades: a grade in force keeps its name and parameters; it is retired and replaced by a new grade."""

    form = FlagReasonForm
    list_display = ["name", "item", "valid_from", "valid_to", "is_key", "oversupplied", "is_demo"]
    list_filter = ["item__scope", "is_key", "is_demo"]
    search_fields = ["name", "item__code", "item__name"]
    autocomplete_fields = ["item"]
    inlines = [GradeParameterInline]

    def get_readonly_fields(self, request, obj=None):
        if _in_force(obj):
            return ["item", "name", "valid_from", "sort_order", "source", "is_demo"]
        return []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data["change_reason"]
        flags = {f: form.cleaned_data[f] for f in services.GRADE_FLAGS if f in form.changed_data}
        if change and flags:
            stored = Grade.objects.get(pk=obj.pk)
            for name in flags:
                setattr(obj, name, getattr(stored, name))
            try:
                services.set_grade_flags(grade=obj, by=request.user, reason=reason, **flags)
                for name, value in flags.items():
                    setattr(obj, name, value)
            except CatalogueError as exc:
                messages.error(request, str(exc))
        elif not change and obj.is_key:
            try:
                services.check_key_limits(on=obj.valid_from, grades_delta=1)
            except CatalogueError as exc:
                messages.error(request, str(exc))
                obj.is_key = False
        super().save_model(request, obj, form, change)
        record_event(
            subject=obj,
            action="grade_changed" if change else "grade_created",
            actor=request.user,
            reason=reason,
            data={"fields": form.changed_data},
        )


class PriceAssessmentInline(admin.TabularInline):
    model = PriceAssessment
    extra = 2


@admin.register(MarketPrice)
class MarketPriceAdmin(RecordedAdmin):
    list_display = ["grade", "year", "average_price", "source", "is_demo"]
    list_filter = ["source", "year"]
    search_fields = ["grade__name", "grade__item__code"]
    autocomplete_fields = ["grade"]
    inlines = [PriceAssessmentInline]
    exclude = ["created_by"]

    def has_change_permission(self, request, obj=None):
        """A price that an amount was set on is kept as it was (R14)."""
        if obj is not None and obj.amounts.exists():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class AmountForm(forms.ModelForm):
    class Meta:
        model = Amount
        fields = ["grade", "fund_source", "amount", "ratio", "market_price", "valid_from", "reason"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            services.check_amount(
                grade=data["grade"],
                fund_source=data["fund_source"],
                amount=data["amount"],
                ratio=data["ratio"],
                market_price=data["market_price"],
                on=data["valid_from"],
            )
            services.check_amount_period(
                grade=data["grade"], fund_source=data["fund_source"], valid_from=data["valid_from"]
            )
        except CatalogueError as exc:
            raise ValidationError(str(exc)) from exc
        return data


@admin.register(Amount)
class AmountAdmin(admin.ModelAdmin):
    """New amounts only: a row in force is never edited; a new row from a later date replaces it (R7)."""

    form = AmountForm
    list_display = ["grade", "fund_source", "amount", "ratio", "valid_from", "valid_to", "is_demo"]
    list_filter = ["fund_source", "is_demo", "grade__item__scope"]
    search_fields = ["grade__name", "grade__item__code", "grade__item__name"]
    autocomplete_fields = ["grade", "market_price"]
    date_hierarchy = "valid_from"

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            saved = services.set_amount(
                grade=data["grade"],
                fund_source=data["fund_source"],
                amount=data["amount"],
                ratio=data["ratio"],
                market_price=data["market_price"],
                valid_from=data["valid_from"],
                reason=data.get("reason", ""),
                by=request.user,
            )
            obj.pk = saved.pk
        except CatalogueError as exc:
            messages.error(request, str(exc))


class PeriodRowForm(forms.ModelForm):
    """Checks a new ceiling or limit the way the service will, so a refusal shows on the form (R7, R41)."""

    series = ()  # the fields that name the series

    def clean(self):
        data = super().clean()
        if self.errors or self.instance.pk:
            return data
        rows = self._meta.model.objects.filter(**{f: data[f] for f in self.series})
        try:
            services.check_new_period(rows=rows, valid_from=data["valid_from"], rule=data.get("rule") or "R15")
        except CatalogueError as exc:
            raise ValidationError(str(exc)) from exc
        return data


class RatioCeilingForm(PeriodRowForm):
    series = ("fund_source", "ratio_class")

    class Meta:
        model = RatioCeiling
        fields = ["fund_source", "ratio_class", "ceiling", "rule", "valid_from", "note"]


class CatalogueLimitForm(PeriodRowForm):
    series = ("kind",)

    class Meta:
        model = CatalogueLimit
        fields = ["kind", "value", "rule", "valid_from"]


class InnovationListingForm(forms.ModelForm):
    class Meta:
        model = InnovationListing
        fields = ["year", "item", "kind", "strategic", "note"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                services.check_innovation_room(year=data["year"], strategic=data.get("strategic", False))
            except CatalogueError as exc:
                raise ValidationError(str(exc)) from exc
        return data


class PeriodRowAdmin(admin.ModelAdmin):
    """Ceilings and limits: add a row from a date; the one in force closes then (R15)."""

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RatioCeiling)
class RatioCeilingAdmin(PeriodRowAdmin):
    form = RatioCeilingForm
    list_display = ["fund_source", "ratio_class", "ceiling", "rule", "valid_from", "valid_to"]
    list_filter = ["fund_source", "ratio_class"]
    fields = ["fund_source", "ratio_class", "ceiling", "rule", "valid_from", "note"]

    def save_model(self, request, obj, form, change):
        try:
            saved = services.set_ratio_ceiling(
                fund_source=obj.fund_source,
                ratio_class=obj.ratio_class,
                ceiling=obj.ceiling,
                valid_from=obj.valid_from,
                rule=obj.rule,
                note=obj.note,
                by=request.user,
            )
            obj.pk = saved.pk
        except CatalogueError as exc:
            messages.error(request, str(exc))


@admin.register(CatalogueLimit)
class CatalogueLimitAdmin(PeriodRowAdmin):
    form = CatalogueLimitForm
    list_display = ["kind", "value", "rule", "valid_from", "valid_to"]
    fields = ["kind", "value", "rule", "valid_from"]

    def save_model(self, request, obj, form, change):
        try:
            saved = services.set_limit(
                kind=obj.kind, value=obj.value, valid_from=obj.valid_from, rule=obj.rule, by=request.user
            )
            obj.pk = saved.pk
        except CatalogueError as exc:
            messages.error(request, str(exc))


@admin.register(InnovationListing)
class InnovationListingAdmin(admin.ModelAdmin):
    form = InnovationListingForm
    list_display = ["year", "item", "kind", "strategic"]
    list_filter = ["year", "strategic"]
    autocomplete_fields = ["item"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            saved = services.list_innovation_product(
                item=obj.item, year=obj.year, kind=obj.kind, strategic=obj.strategic, reason=obj.note, by=request.user
            )
            obj.pk = saved.pk
        except CatalogueError as exc:
            messages.error(request, str(exc))


@admin.register(Manufacturer)
class ManufacturerAdmin(RecordedAdmin):
    list_display = ["name", "credit_code", "commitment_signed_on", "is_demo"]
    search_fields = ["name", "credit_code"]
    filter_horizontal = ["members"]


@admin.register(Dealer)
class DealerAdmin(RecordedAdmin):
    list_display = ["name", "credit_code", "commitment_signed_on", "is_demo"]
    search_fields = ["name", "credit_code"]


@admin.register(CreditRecord)
class CreditRecordAdmin(admin.ModelAdmin):
    list_display = ["recorded_at", "manufacturer", "dealer", "kind", "repeated"]
    list_filter = ["kind", "repeated"]
    exclude = ["recorded_by", "filing"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
        record_event(subject=obj, action="credit_recorded", actor=request.user, reason=obj.reason)


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ["model", "name", "manufacturer", "item", "grade", "published_on", "closed", "is_demo"]
    list_filter = ["closed", "is_demo", "item__scope"]
    search_fields = ["model", "name", "manufacturer__name"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["product", "kind", "number", "valid_from", "valid_until"]
    list_filter = ["kind"]


@admin.register(Filing)
class FilingAdmin(ReadOnlyAdmin):
    list_display = ["pk", "product", "manufacturer", "state", "submitted_at", "published_at"]
    list_filter = ["state"]


@admin.register(Closure)
class ClosureAdmin(ReadOnlyAdmin):
    list_display = ["product", "closed_at", "reopened_at"]


@admin.register(CatalogueEvent)
class CatalogueEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "subject_type", "subject_id", "reason"]
    list_filter = ["action", "subject_type"]
    search_fields = ["reason"]


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["word", "means"]
    search_fields = ["word", "means"]
