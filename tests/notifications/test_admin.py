"""The SMS outbox an administrator reads (no SMS provider is wired); phone numbers masked in the list (R45)."""

from django.urls import reverse

from notifications.models import Delivery, Notification, SmsMessage
from notifications.sms import OutboxBackend

RESET_TEXT = "重置密码：https://subsidy.example.cn/accounts/reset/Mg/abc-123/"


def test_outbox_list_shows_the_text_with_the_reset_link_masked_and_the_phone_masked_R45(admin_client, db):
    OutboxBackend().send(phone="13900000001", text=RESET_TEXT)

    content = admin_client.get(reverse("admin:notifications_smsmessage_changelist")).content.decode()

    assert "重置密码：https://subsidy.example.cn/accounts/reset/******/" in content
    assert "abc-123" not in content and "abc-123" not in SmsMessage.objects.get().text
    assert "139****0001" in content
    assert "13900000001" not in content


def test_superuser_sees_the_full_phone_in_the_detail(admin_client, db):
    OutboxBackend().send(phone="13900000001", text=RESET_TEXT)
    sms = SmsMessage.objects.get()

    response = admin_client.get(reverse("admin:notifications_smsmessage_change", args=[sms.pk]))

    assert response.status_code == 200
    assert "13900000001" in response.content.decode()
    assert "abc-123" not in response.content.decode()


def test_staff_without_superuser_sees_the_masked_phone_in_the_detail(client, cast):
    from django.contrib.auth.models import Permission

    staff = cast["city"]
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    staff.user_permissions.add(Permission.objects.get(codename="view_smsmessage"))
    OutboxBackend().send(phone="13900000001", text=RESET_TEXT)
    client.force_login(staff)

    content = client.get(reverse("admin:notifications_smsmessage_change", args=[SmsMessage.objects.get().pk])).content

    assert "139****0001" in content.decode()
    assert "13900000001" not in content.decode()


def test_sent_records_are_read_only(admin_client, cast):
    notification = Notification.objects.create(recipient=cast["buyer"], subject="s", body="b")
    delivery = Delivery.objects.create(notification=notification, channel="sms")

    for name, pk in [("notification", notification.pk), ("delivery", delivery.pk)]:
        assert admin_client.get(reverse(f"admin:notifications_{name}_changelist")).status_code == 200
        assert admin_client.get(reverse(f"admin:notifications_{name}_change", args=[pk])).status_code == 200
        assert admin_client.get(reverse(f"admin:notifications_{name}_add")).status_code == 403
        assert admin_client.post(reverse(f"admin:notifications_{name}_delete", args=[pk])).status_code == 403
    assert admin_client.get(reverse("admin:notifications_smsmessage_add")).status_code == 403
