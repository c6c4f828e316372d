import pytest

from notifications.models import Notification


@pytest.fixture(autouse=True)
def _mail_and_sms_to_outboxes(settings):
    """E-mail to Django's in-memory outbox (``mail.outbox``), SMS to the outbox table (the default backend)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "notifications.sms.OutboxBackend"


@pytest.fixture
def buyer(cast):
    """The buyer of the cast, reachable by e-mail as well as by SMS."""
    user = cast["buyer"]
    user.email = "zhangsan@example.cn"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def make_messages():
    """Put ``count`` messages straight into a user's inbox (no deliveries): data for the inbox pages."""

    def _make(user, count, subject="Message"):
        return Notification.objects.bulk_create(
            Notification(recipient=user, subject=f"{subject} {i}", body=f"Body {i}") for i in range(count)
        )

    return _make
