from django.contrib import admin

from .models import Checkpoint


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record (an event, a message sent, a view of personal data): administrators read it, nobody adds,
    edits or deletes it here (R45)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    """The trails' checkpoints: time, file, digest and signature, for an outside auditor to compare with the
    files under CHECKPOINT_DIR (R45)."""

    list_display = ["at", "file", "digest", "signature"]
    readonly_fields = ["at", "file", "digest", "signature", "tables"]
