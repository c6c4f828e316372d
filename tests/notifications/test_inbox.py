"""The inbox every user has: where the buyer is told of each decision (R30, R36), and nobody else's messages."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.selectors import unread_count

INBOX = reverse("notifications:inbox")


def test_inbox_lists_only_the_users_own_messages_newest_first_R30(cast, login, make_messages):
    make_messages(cast["buyer"], 2)
    make_messages(cast["other_buyer"], 1, subject="Not yours")
    newest = Notification.objects.create(recipient=cast["buyer"], subject="申请已受理", body="…")

    response = login(cast["buyer"]).get(INBOX)

    assert response.status_code == 200
    assert [n.subject for n in response.context["page"]] == ["申请已受理", "Message 1", "Message 0"]
    assert b"Not yours" not in response.content
    assert reverse("notifications:detail", args=[newest.pk]).encode() in response.content


def test_unread_messages_are_marked_in_the_list(cast, login, make_messages):
    read, unread = make_messages(cast["buyer"], 2)
    Notification.objects.filter(pk=read.pk).update(read_at="2026-01-01T00:00Z")

    content = login(cast["buyer"]).get(INBOX).content.decode()

    assert content.count('<li class="unread">') == 1
    assert content.index('<li class="unread">') < content.index(f'href="/inbox/{unread.pk}/"')


def test_empty_inbox_says_what_will_appear(cast, login):
    content = login(cast["officer"]).get(INBOX).content.decode()

    assert "还没有消息" in content
    assert "您申请的每一项办理结果都会显示在这里。" in content
    assert reverse("notifications:mark_all_read") not in content


def test_inbox_is_paginated_by_25(cast, login, make_messages):
    make_messages(cast["buyer"], 30)
    client = login(cast["buyer"])

    first = client.get(INBOX)
    second = client.get(INBOX, {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert "第 2 页，共 2 页，30 条消息" in second.content.decode()


@pytest.mark.parametrize("count", [3, 60])
def test_inbox_query_count_does_not_grow_with_messages(cast, login, make_messages, count, django_assert_num_queries):
    make_messages(cast["buyer"], count)
    client = login(cast["buyer"])

    # session, user, unread badge, page count, page rows
    with django_assert_num_queries(5):
        client.get(INBOX)


def test_detail_shows_the_message_with_its_link_and_marks_it_read_R36(cast, login):
    notification = Notification.objects.create(
        recipient=cast["buyer"],
        subject="补贴已支付",
        body="金额 ¥12,000.00 已转入您的账户。",
        link="/apply/applications/7/",
    )

    response = login(cast["buyer"]).get(reverse("notifications:detail", args=[notification.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "补贴已支付" in content
    assert "金额 ¥12,000.00 已转入您的账户。" in content
    assert 'class="button" href="/apply/applications/7/"' in content
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert unread_count(user=cast["buyer"]) == 0


def test_reading_again_keeps_the_first_reading_time(cast, login):
    notification = Notification.objects.create(recipient=cast["buyer"], subject="s", body="b")
    client = login(cast["buyer"])
    url = reverse("notifications:detail", args=[notification.pk])

    client.get(url)
    notification.refresh_from_db()
    first_read = notification.read_at
    client.get(url)

    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_detail_without_link_has_no_link_button(cast, login):
    notification = Notification.objects.create(recipient=cast["buyer"], subject="s", body="b")

    content = login(cast["buyer"]).get(reverse("notifications:detail", args=[notification.pk])).content.decode()

    assert 'class="button" href' not in content


def test_another_users_message_is_404_and_stays_unread_R45(cast, login):
    notification = Notification.objects.create(recipient=cast["buyer"], subject="s", body="b")

    response = login(cast["other_buyer"]).get(reverse("notifications:detail", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize(
    "url", [INBOX, reverse("notifications:detail", args=[1]), reverse("notifications:mark_all_read")]
)
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"


def test_mark_all_read_marks_only_the_users_own_messages(cast, login, make_messages):
    make_messages(cast["buyer"], 3)
    make_messages(cast["other_buyer"], 2)

    response = login(cast["buyer"]).post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    assert response.url == INBOX
    assert unread_count(user=cast["buyer"]) == 0
    assert unread_count(user=cast["other_buyer"]) == 2


def test_mark_all_read_needs_post(cast, login, make_messages):
    make_messages(cast["buyer"], 1)

    response = login(cast["buyer"]).get(reverse("notifications:mark_all_read"))

    assert response.status_code == 405
    assert unread_count(user=cast["buyer"]) == 1


def test_the_page_frame_shows_the_unread_count(cast, login, make_messages, django_assert_num_queries):
    make_messages(cast["buyer"], 4)

    with django_assert_num_queries(1):
        assert unread_count(user=cast["buyer"]) == 4
    assert login(cast["buyer"]).get(INBOX).context["inbox_unread"] == 4
