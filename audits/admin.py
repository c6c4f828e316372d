from django.contrib import admin
from django.utils import timezone

from core.admin import ReadOnlyAdmin

from .models import BuyerScale, RiskWarning, WarningRule


@admin.register(WarningRule)
class WarningRuleAdmin(admin.ModelAdmin):
    """The thresholds of the six signs (R38), city-wide or per item or district: a row in force is never edited;
    a change is a new row from a later date, so every warning keeps the row it was measured against."""

    list_display = ["sign", "valid_from", "threshold", "period_days", "item", "district", "note"]
    list_filter = ["sign", "district"]
    autocomplete_fields = ["item"]
    list_select_related = ["item", "district"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.valid_from <= timezone.localdate():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(BuyerScale)
class BuyerScaleAdmin(admin.ModelAdmin):
    list_display = ["buyer", "land_mu", "herd_head", "facility_m2", "recorded_at"]
    raw_id_fields = ["buyer"]

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(RiskWarning)
class RiskWarningAdmin(ReadOnlyAdmin):
    list_display = ["application", "sign", "threshold", "figures", "source", "raised_at"]
    list_filter = ["sign", "source"]
