"""The municipal agriculture bureau chooses the year's pilot kinds and their targets here (R20), binds monitoring
terminals to machines and sets the districts' extents; work records and their events are read-only records."""

from django import forms
from django.contrib import admin

from accounts.models import Role
from core.admin import ReadOnlyAdmin

from .errors import UsageError
from .models import DistrictArea, PilotKind, QualityMeasure, RecordEvent, SaleOn, Terminal, WorkRecord


def _bureau(request) -> bool:
    return request.user.is_superuser or request.user.role == Role.CITY_AGRICULTURE


class BureauAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return _bureau(request)

    def has_view_permission(self, request, obj=None):
        return _bureau(request)

    def has_add_permission(self, request):
        return _bureau(request)

    def has_change_permission(self, request, obj=None):
        return _bureau(request)

    def has_delete_permission(self, request, obj=None):
        return False


class PilotKindForm(forms.ModelForm):
    class Meta:
        model = PilotKind
        fields = [
            "year",
            "item",
            "volume_target",
            "volume_unit",
            "rate",
            "fund_source",
            "evidence",
            "max_per_hour",
            "max_hours",
            "document",
            "published",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("year"):
            try:
                PilotKind(pk=self.instance.pk, year=cleaned["year"]).check_limit()
            except UsageError as refusal:
                raise forms.ValidationError(str(refusal.message)) from refusal
        return cleaned


class MeasureInline(admin.TabularInline):
    model = QualityMeasure
    extra = 1


@admin.register(PilotKind)
class PilotKindAdmin(BureauAdmin):
    form = PilotKindForm
    list_display = ["year", "item", "volume_target", "volume_unit", "rate", "fund_source", "published"]
    list_filter = ["year", "published"]
    autocomplete_fields = ["item"]
    inlines = [MeasureInline]


@admin.register(Terminal)
class TerminalAdmin(BureauAdmin):
    list_display = ["terminal_id", "platform", "machine", "bound_on", "unbound_on"]
    raw_id_fields = ["machine"]
    search_fields = ["terminal_id", "machine__number"]


@admin.register(DistrictArea)
class DistrictAreaAdmin(BureauAdmin):
    list_display = ["district", "south", "north", "west", "east"]


@admin.register(SaleOn)
class SaleOnAdmin(BureauAdmin):
    list_display = ["machine", "sold_on"]
    raw_id_fields = ["machine"]


@admin.register(WorkRecord)
class WorkRecordAdmin(ReadOnlyAdmin):
    list_display = ["machine", "source", "started_at", "volume", "status"]
    list_filter = ["source", "status"]

    def has_module_permission(self, request):
        return _bureau(request)

    def has_view_permission(self, request, obj=None):
        return _bureau(request)


@admin.register(RecordEvent)
class RecordEventAdmin(ReadOnlyAdmin):
    list_display = ["record", "action", "actor", "at"]

    def has_module_permission(self, request):
        return _bureau(request)

    def has_view_permission(self, request, obj=None):
        return _bureau(request)
