"""The municipal agriculture bureau issues machine clients and their tokens here; tokens, their uses and the
idempotent answers are read-only records."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from core.admin import ReadOnlyAdmin

from . import tokens
from .models import ApiClient, ApiToken, ApiTokenUse


def _bureau(request) -> bool:
    return request.user.is_superuser or request.user.role == Role.CITY_AGRICULTURE


@admin.action(description=gettext_lazy("Issue a new token (shown once)"))
def issue_token(modeladmin, request, queryset):
    for client in queryset:
        try:
            token, secret = tokens.issue_client_token(client=client, by=request.user)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return
        messages.warning(
            request,
            _("Token for %(client)s, shown only this once: %(secret)s (expires %(expires)s)")
            % {"client": client.name, "secret": secret, "expires": f"{token.expires_at:%Y-%m-%d}"},
        )


@admin.action(description=gettext_lazy("Revoke all tokens of these clients"))
def revoke_tokens(modeladmin, request, queryset):
    ApiToken.objects.filter(client__in=queryset, revoked_at__isnull=True).update(revoked_at=timezone.now())


class TokenInline(admin.TabularInline):
    model = ApiToken
    fields = ["name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "active", "created_at"]
    list_filter = ["kind", "active"]
    fields = ["name", "kind", "manufacturer", "dealer", "district", "active", "account", "issued_by", "created_at"]
    readonly_fields = ["account", "issued_by", "created_at"]
    actions = [issue_token, revoke_tokens]
    inlines = [TokenInline]

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


@admin.register(ApiTokenUse)
class ApiTokenUseAdmin(ReadOnlyAdmin):
    list_display = ["at", "token", "method", "path", "address"]
    list_select_related = ["token"]
    date_hierarchy = "at"

    def has_module_permission(self, request):
        return _bureau(request)

    def has_view_permission(self, request, obj=None):
        return _bureau(request)
