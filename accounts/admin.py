from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin

from .models import District, PersonalDataAccess, Town, User


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
    list_display = ["username", "display_name", "role", "district", "buyer_kind", "masked_mobile", "is_active"]
    list_filter = ["role", "district", "buyer_kind", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "credit_code", "organisation"]
    list_select_related = ["district"]
    readonly_fields = ["masked_mobile", "masked_id_number", "last_login", "date_joined"]
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
