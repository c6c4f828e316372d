from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record (an event, a message sent, a view of personal data): administrators read it, nobody adds,
    edits or deletes it here (R45)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
