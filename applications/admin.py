from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Application, ApplicationEvent, Deadline, DistrictRule, Objection, ReturnReason, Warning


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["number", "district", "buyer", "state", "total_amount", "submitted_at"]
    list_filter = ["state", "district", "year"]
    search_fields = ["number", "serial_key"]
    list_select_related = ["district", "buyer"]
    exclude = ["account_encrypted", "account_index"]


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "application", "action", "from_state", "to_state", "actor"]
    list_filter = ["action"]
    list_select_related = ["application", "actor"]
    search_fields = ["application__number"]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["application", "step", "started_on", "due_on", "met_at", "overdue_at"]
    list_filter = ["step"]
    list_select_related = ["application"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["application", "received_at", "status"]
    list_filter = ["status"]


@admin.register(Warning)
class WarningAdmin(ReadOnlyAdmin):
    list_display = ["application", "rule", "message", "raised_at", "cleared_at"]
    list_filter = ["rule"]


@admin.register(DistrictRule)
class DistrictRuleAdmin(admin.ModelAdmin):
    """A district's rules in force from a date (R32; A1 §4(6) step lengths): a change is a new row, never an edit."""

    list_display = [
        "district",
        "valid_from",
        "sample_ratio",
        "high_amount",
        "required_work",
        "verify_days",
        "hand_over_days",
        "document",
    ]
    list_filter = ["district"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReturnReason)
class ReturnReasonAdmin(admin.ModelAdmin):
    """The reasons a district offers when returning an application (R30); retired by unticking, never deleted."""

    list_display = ["text", "district", "position", "active"]
    list_filter = ["district", "active"]
    list_editable = ["position", "active"]

    def has_delete_permission(self, request, obj=None):
        return False
