"""R30/R36 "the buyer is told": every decision reaches the buyer's inbox, and by e-mail and SMS when they can be
reached; a failing channel never undoes the decision (R45: phone numbers stay encrypted in the SMS outbox)."""

from datetime import timedelta

import pytest
import time_machine
from celery.exceptions import Retry
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications import services, tasks
from notifications.models import Delivery, DeliveryStatus, Notification, SmsMessage
from notifications.sms import BaseSmsBackend, get_backend


class GatewayDown(Exception):
    pass


class FailingSmsBackend(BaseSmsBackend):
    def send(self, *, phone, text):
        raise GatewayDown("SMS gateway timed out")


FAILING_SMS_BACKEND = f"{__name__}.FailingSmsBackend"


def notify_buyer(user, **kwargs):
    return services.notify(
        user=user,
        subject="申请已退回",
        body="请补充发票照片。",
        link="/apply/applications/7/",
        **kwargs,
    )


def test_notify_writes_inbox_message_and_one_pending_delivery_per_channel_R30(buyer):
    notification = notify_buyer(buyer)

    assert Notification.objects.get() == notification
    assert notification.recipient == buyer
    assert (notification.subject, notification.body, notification.link) == (
        "申请已退回",
        "请补充发票照片。",
        "/apply/applications/7/",
    )
    assert notification.read_at is None
    assert sorted(notification.deliveries.values_list("channel", "status", "attempts")) == [
        ("email", "pending", 0),
        ("sms", "pending", 0),
    ]


def test_notify_sends_sms_to_the_outbox_and_email_after_commit_R36(buyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_buyer(buyer)

    sms = SmsMessage.objects.get()
    assert sms.phone == "13900000001"
    assert sms.phone_masked == "139****0001"
    assert "13900000001" not in sms.phone_encrypted
    assert sms.text == "申请已退回\n请补充发票照片。"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zhangsan@example.cn"]
    assert mail.outbox[0].subject == "申请已退回"
    assert mail.outbox[0].body == "请补充发票照片。"
    assert mail.outbox[0].from_email == settings.DEFAULT_FROM_EMAIL
    deliveries = Delivery.objects.all()
    assert {(d.status, d.attempts, d.last_error) for d in deliveries} == {(DeliveryStatus.SENT, 1, "")}
    assert all(d.sent_at for d in deliveries)


def test_an_absolute_link_is_added_to_email_and_sms(buyer, django_capture_on_commit_callbacks):
    link = "https://subsidy.example.cn/accounts/reset/Mg/abc-123/"
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user=buyer, subject="重置密码", body="请打开以下链接设置新密码。", link=link)

    # The outbox (standing in for the gateway) never keeps a live reset link (R45); the e-mail carries it.
    assert (
        SmsMessage.objects.get().text
        == "重置密码\n请打开以下链接设置新密码。\nhttps://subsidy.example.cn/accounts/reset/******/"
    )
    assert mail.outbox[0].body == f"请打开以下链接设置新密码。\n{link}"


def test_only_channels_the_user_can_receive_are_used(cast, django_capture_on_commit_callbacks):
    officer = cast["officer"]  # no e-mail, no mobile
    other_buyer = cast["other_buyer"]  # mobile, no e-mail

    with django_capture_on_commit_callbacks(execute=True):
        notify_buyer(officer)
        notify_buyer(other_buyer)

    assert Notification.objects.filter(recipient=officer).exists()
    assert not Delivery.objects.filter(notification__recipient=officer).exists()
    assert list(Delivery.objects.filter(notification__recipient=other_buyer).values_list("channel", flat=True)) == [
        "sms"
    ]
    assert mail.outbox == []


def test_channels_can_be_limited(buyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify_buyer(buyer, channels=("email",))

    assert list(notification.deliveries.values_list("channel", flat=True)) == ["email"]
    assert not SmsMessage.objects.exists()
    assert len(mail.outbox) == 1


def test_an_unknown_channel_is_refused(buyer):
    with pytest.raises(ValueError, match="wechat"):
        notify_buyer(buyer, channels=("email", "wechat"))

    assert not Notification.objects.exists()


def test_nothing_is_written_or_sent_when_the_callers_transaction_rolls_back_R30(
    buyer, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),  # the caller's decision fails after notifying
    ):
        notify_buyer(buyer)
        raise RuntimeError("the decision failed")

    assert callbacks == []
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert not SmsMessage.objects.exists()
    assert mail.outbox == []


def test_failing_sms_keeps_the_decision_and_records_the_error_R36_R45(
    buyer, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = FAILING_SMS_BACKEND

    # The caller's decision and its message, in one transaction; the commit runs the delivery tasks.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        buyer.display_name = "张三（已受理）"
        buyer.save(update_fields=["display_name"])
        notification = notify_buyer(buyer)

    assert User.objects.get(pk=buyer.pk).display_name == "张三（已受理）"
    assert Notification.objects.get() == notification
    sms = Delivery.objects.get(channel="sms")
    assert sms.status == DeliveryStatus.FAILED
    assert sms.attempts == 1
    assert sms.last_error == "GatewayDown: SMS gateway timed out"
    assert sms.sent_at is None
    assert not SmsMessage.objects.exists()
    assert Delivery.objects.get(channel="email").status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_a_failed_delivery_asks_the_task_to_retry(buyer, settings):
    settings.SMS_BACKEND = FAILING_SMS_BACKEND
    delivery = notify_buyer(buyer, channels=("sms",)).deliveries.get()

    with pytest.raises(Retry):  # eager tasks raise the retry; a worker schedules it with backoff
        tasks.deliver.delay(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)


def test_the_sweep_retries_a_failed_delivery_later_R36(buyer, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = FAILING_SMS_BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        notify_buyer(buyer, channels=("sms",))
    failed_attempts = Delivery.objects.get().attempts

    settings.SMS_BACKEND = "notifications.sms.OutboxBackend"  # the gateway is back
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_pending_deliveries.delay().get() == 0  # too early: the failure is fresh
    later = timezone.now() + services.SWEEP_AFTER + timedelta(seconds=1)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_pending_deliveries.delay().get() == 1

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == failed_attempts + 1
    assert delivery.last_error == "GatewayDown: SMS gateway timed out"
    assert SmsMessage.objects.get().text == "申请已退回\n请补充发票照片。"


def test_the_sweep_sends_a_delivery_whose_task_was_lost_and_acts_once(buyer, django_capture_on_commit_callbacks):
    notify_buyer(buyer, channels=("sms",))  # no commit callbacks run: as if the broker had been down

    later = timezone.now() + services.SWEEP_AFTER + timedelta(seconds=1)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert services.sweep_pending_deliveries() == 1
        assert services.sweep_pending_deliveries() == 0

    assert Delivery.objects.get().status == DeliveryStatus.SENT
    assert SmsMessage.objects.count() == 1


def test_a_delivery_out_of_attempts_is_left_failed(buyer, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = FAILING_SMS_BACKEND
    notification = notify_buyer(buyer, channels=("sms",))
    delivery = notification.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(attempts=Delivery.MAX_ATTEMPTS - 1)

    delivery = services.send_delivery(delivery_id=delivery.pk)  # the last attempt fails without asking for a retry
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, Delivery.MAX_ATTEMPTS)

    later = timezone.now() + services.SWEEP_AFTER + timedelta(seconds=1)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert services.sweep_pending_deliveries() == 0
    assert services.send_delivery(delivery_id=delivery.pk).attempts == Delivery.MAX_ATTEMPTS


def test_delivering_the_same_delivery_twice_sends_once(buyer):
    notification = notify_buyer(buyer)

    for delivery in notification.deliveries.all():
        tasks.deliver.delay(delivery.pk)
        tasks.deliver.delay(delivery.pk)

    assert SmsMessage.objects.count() == 1
    assert len(mail.outbox) == 1
    assert set(notification.deliveries.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}


def test_the_sms_backend_comes_from_settings(settings):
    settings.SMS_BACKEND = FAILING_SMS_BACKEND

    assert isinstance(get_backend(), FailingSmsBackend)


def test_the_beat_schedule_names_the_sweep_task():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert tasks.sweep_pending_deliveries.name in scheduled


def test_messages_are_written_in_the_site_language_until_users_choose_one(buyer):
    assert services.language_for(buyer) == "zh-hans"
