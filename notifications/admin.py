from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin

from .models import Delivery, Notification, SmsMessage
from .secrets import masked


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["subject", "recipient", "created_at", "read_at"]
    list_select_related = ["recipient"]
    list_filter = [("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["subject", "recipient__username"]
    date_hierarchy = "created_at"


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["notification", "recipient", "channel", "status", "attempts", "sent_at", "last_error"]
    list_select_related = ["notification__recipient"]
    list_filter = ["channel", "status"]

    @admin.display(description=_("recipient"))
    def recipient(self, obj):
        return obj.notification.recipient


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    """The SMS outbox: that a message was sent and its text, any password-reset link masked (also in rows written
    before the outbox masked them); the number masked except to a superuser opening one message."""

    list_display = ["created_at", "masked_phone", "masked_text"]
    search_fields = ["text"]
    date_hierarchy = "created_at"

    def get_fields(self, request, obj=None):
        phone = "full_phone" if request.user.is_superuser else "masked_phone"
        return [phone, "masked_text", "created_at"]

    @admin.display(description=_("text"))
    def masked_text(self, obj):
        return masked(obj.text)

    @admin.display(description=_("phone number"))
    def masked_phone(self, obj):
        return obj.phone_masked

    @admin.display(description=_("phone number"))
    def full_phone(self, obj):
        return obj.phone
