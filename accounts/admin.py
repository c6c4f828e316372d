from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin

from . import roles
from .models import District, PersonalDataAccess, RoleChange, Town, User
from .scope import may_administer_users


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "active", "sort_order", "consultation_phone", "complaint_phone"]
    list_editable = ["active", "sort_order", "consultation_phone", "complaint_phone"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Town)
class TownAdmin(admin.ModelAdmin):
    """The towns of each district, which buyers choose from and the office filters by."""

    list_display = ["name", "district", "active", "sort_order"]
    list_editable = ["active", "sort_order"]
    list_filter = ["district", "active"]
    search_fields = ["name"]
    list_select_related = ["district"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Only the user administrator (a role that acts on no application and no money) sees, creates and changes
    accounts, roles and districts; every change is in the trail of role changes (R36, R45). Superuser rights are
    never given here, and no one changes their own role."""

    list_display = ["username", "display_name", "role", "district", "buyer_kind", "masked_mobile", "is_active"]
    list_filter = ["role", "district", "buyer_kind", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "credit_code", "organisation"]
    list_select_related = ["district"]
    readonly_fields = ["masked_mobile", "masked_id_number", "last_login", "date_joined", "is_superuser"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Who"), {"fields": ["display_name", "email", "masked_mobile", "masked_id_number", "organisation"]}),
        (_("Role"), {"fields": ["role", "district", "buyer_kind", "credit_code"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["username", "display_name", "role", "district", "password1", "password2"]},
        ),
    ]

    def has_view_permission(self, request, obj=None):
        return may_administer_users(request.user)

    def has_add_permission(self, request):
        return may_administer_users(request.user)

    def has_change_permission(self, request, obj=None):
        return may_administer_users(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # an account is deactivated, never deleted: its decisions and events name it

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            fields += ["role", "district", "is_staff", "is_active", "groups", "user_permissions"]
        return fields

    def save_model(self, request, obj, form, change):
        obj.changed_by = request.user  # the author of the role change (accounts/roles.py)
        obj._rights_before = roles.rights_of(obj) if change else ("", "")
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """Groups and permissions are saved after the user: a change of them is in the trail too (R45)."""
        super().save_related(request, form, formsets, change)
        roles.record_rights(form.instance, before=form.instance._rights_before, by=request.user)

    @admin.display(description=_("mobile number"))
    def masked_mobile(self, obj):
        return obj.mobile_masked

    @admin.display(description=_("resident ID number"))
    def masked_id_number(self, obj):
        return obj.id_number_masked


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    """The record of who saw full personal numbers is never edited (R45)."""

    list_display = ["at", "viewer", "subject", "field", "purpose"]
    list_filter = ["field"]
    list_select_related = ["viewer", "subject"]


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyAdmin):
    """The trail of role changes: who gave whom which role or district, and when (R45). Never edited."""

    list_display = ["at", "user", "role_before", "role", "district_before", "district", "rights", "by"]
    list_filter = ["role"]
    list_select_related = ["user", "by"]
    search_fields = ["user__username", "by__username"]
