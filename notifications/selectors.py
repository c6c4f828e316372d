"""Reading the inbox. Every query starts from the user, so one user never sees another's messages."""

from django.shortcuts import get_object_or_404

from .models import Notification


def inbox(*, user):
    """The user's messages, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_for(*, user, pk: int) -> Notification:
    """One of the user's own messages; any other id is a 404."""
    return get_object_or_404(inbox(user=user), pk=pk)


def unread_count(*, user) -> int:
    """For the page frame's inbox badge: one query."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
