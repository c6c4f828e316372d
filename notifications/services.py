"""Telling a user: the inbox always, e-mail and SMS when the user has an address (R30, R36: the buyer is told of
every decision).

A message is written by the caller in the recipient's language, then handed to ``notify`` inside the caller's
transaction, so a decision and its inbox message commit together::

    with translation.override(language_for(buyer)):
        subject = gettext("Your application was returned")
        body = gettext("Please correct: %(reason)s") % {"reason": reason}
    notify(user=buyer, subject=subject, body=body, link=reverse("applications:detail", args=[app.pk]))

E-mail and SMS are sent by a task after the commit. A failure there never rolls back the decision: it is recorded on
the ``Delivery`` and retried, by the task with backoff and later by the sweep.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from accounts import crypto

from . import secrets, selectors, sms
from .models import Channel, Delivery, DeliveryStatus, Notification

logger = logging.getLogger(__name__)

# A delivery still pending or failed this long after it was last touched is handed to the queue again.
SWEEP_AFTER = timedelta(minutes=5)
SWEEP_BATCH = 1000


class DeliveryFailed(Exception):
    """An e-mail or SMS could not be sent. The failure is already recorded on the delivery; the task retries."""


def language_for(user) -> str:
    """The language to write ``user``'s messages in: the one they last chose on the site (zh-hans unless English)."""
    chosen = getattr(user, "language", "")
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def notify(
    *, user, subject: str, body: str, link: str = "", channels=(Channel.EMAIL, Channel.SMS), secret: str = ""
) -> Notification:
    """Put a message in ``user``'s inbox and send it by each of ``channels`` the user has an address for.

    ``link`` is a path on this site or an absolute URL; the inbox shows it as a button. E-mail and SMS carry the
    subject and body, and the link only when it is absolute. ``secret`` is a link in the body that lets its holder
    in (a password reset): the inbox keeps it masked and encrypted, and only the e-mail and SMS carry it.
    """
    unknown = set(channels) - set(Channel.values)
    if unknown:
        raise ValueError(f"unknown channels: {sorted(unknown)}")
    reachable = {Channel.EMAIL: bool(user.email), Channel.SMS: bool(user.mobile)}
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=user,
            subject=subject,
            body=secrets.masked(body) if secret else body,
            link=link,
            secret_encrypted=crypto.encrypt(secret) if secret else "",
        )
        for channel in channels:
            if reachable[channel]:
                delivery = Delivery.objects.create(notification=notification, channel=channel)
                _enqueue(delivery.pk)
    return notification


@dataclass(frozen=True)
class Message:
    """One message for ``notify_all``: as ``notify``'s arguments, without a secret."""

    user: object
    subject: str
    body: str
    link: str = ""
    channels: tuple = (Channel.EMAIL, Channel.SMS)


def notify_all(messages: list[Message]) -> list[Notification]:
    """``notify`` for many messages at once (the deadline sweep): one insert for the inbox rows and one for their
    e-mail and SMS deliveries, which are handed to the queue together after the commit."""
    notifications = [Notification(recipient=m.user, subject=m.subject, body=m.body, link=m.link) for m in messages]
    with transaction.atomic():
        Notification.objects.bulk_create(notifications)
        deliveries = [
            Delivery(notification=notification, channel=channel)
            for message, notification in zip(messages, notifications, strict=True)
            for channel in message.channels
            if {Channel.EMAIL: bool(message.user.email), Channel.SMS: bool(message.user.mobile)}[channel]
        ]
        Delivery.objects.bulk_create(deliveries)
        _enqueue_all([delivery.pk for delivery in deliveries])
    return notifications


def send_delivery(*, delivery_id: int) -> Delivery:
    """Send one delivery at most once: lock it, leave it if already sent or out of attempts, send, record.

    Raises ``DeliveryFailed`` after recording a failure that has attempts left, so the task retries it.
    """
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("notification__recipient")
            .get(pk=delivery_id)
        )
        if delivery.status == DeliveryStatus.SENT or delivery.attempts >= Delivery.MAX_ATTEMPTS:
            return delivery
        delivery.attempts += 1
        delivery.updated_at = timezone.now()
        try:
            with transaction.atomic():
                _send(delivery)
        except Exception as exc:
            logger.warning("Delivery %s (%s) failed: %s", delivery.pk, delivery.channel, exc)
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = f"{type(exc).__name__}: {exc}"
        else:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = delivery.updated_at
        delivery.save(update_fields=["attempts", "updated_at", "status", "last_error", "sent_at"])
    if delivery.status == DeliveryStatus.FAILED and delivery.attempts < Delivery.MAX_ATTEMPTS:
        raise DeliveryFailed(delivery.last_error)
    return delivery


def sweep_pending_deliveries() -> int:
    """Hand to the queue again each delivery still pending or failed with attempts left and untouched for
    ``SWEEP_AFTER``: a task lost in a restart, a broker that was down, a failure whose retries ran out.

    Rows are claimed (locked, skipping rows another sweep or a delivery holds) and stamped before they are
    enqueued, so two sweeps at once enqueue each row once. Returns how many were enqueued.
    """
    now = timezone.now()
    with transaction.atomic():
        due = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(
                status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
                attempts__lt=Delivery.MAX_ATTEMPTS,
                updated_at__lt=now - SWEEP_AFTER,
            )
            .order_by("updated_at")
            .values_list("pk", flat=True)
        )
        ids = list(due[:SWEEP_BATCH])
        Delivery.objects.filter(pk__in=ids).update(updated_at=now)
        for pk in ids:
            _enqueue(pk)
    return len(ids)


def mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of ``user``'s own messages read (the first reading counts); another user's is a 404."""
    notification = selectors.notification_for(user=user, pk=notification_id)
    if notification.read_at is None:
        now = timezone.now()
        if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
            notification.read_at = now
    return notification


def mark_all_read(*, user) -> int:
    """Mark every unread message of ``user`` read; returns how many were unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def _enqueue(delivery_id: int) -> None:
    """Start the delivery task once the current transaction commits. ``robust``: a broker that is down must not
    fail the caller's request; the delivery stays pending and the sweep picks it up."""
    from .tasks import deliver

    transaction.on_commit(lambda: deliver.delay(delivery_id), robust=True)


def _enqueue_all(delivery_ids: list[int]) -> None:
    """``_enqueue`` for many deliveries, in one callback after the commit."""
    from .tasks import deliver

    def enqueue():
        for delivery_id in delivery_ids:
            deliver.delay(delivery_id)

    if delivery_ids:
        transaction.on_commit(enqueue, robust=True)


def _send(delivery: Delivery) -> None:
    notification = delivery.notification
    recipient = notification.recipient
    text = notification.body
    if notification.secret_encrypted:  # the link that lets its holder in, only in the message that carries it
        secret = crypto.decrypt(notification.secret_encrypted)
        text = text.replace(secrets.masked(secret), secret)
    if notification.link.startswith(("https://", "http://")):
        text = f"{text}\n{notification.link}"
    if delivery.channel == Channel.EMAIL:
        send_mail(notification.subject, text, None, [recipient.email])
    else:
        sms.get_backend().send(phone=recipient.mobile, text=f"{notification.subject}\n{text}")
