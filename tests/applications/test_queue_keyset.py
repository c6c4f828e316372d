"""The office queue at scale: pages by keyset (no row skipped or shown twice when rows share a sort key, back and
forth), the stored next due date it sorts on, counts that are exact up to 1,000 and an estimate past it (said so on
the page), the search by a whole application number, and the API's queue in the same order (R40)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from applications import deadlines
from applications.models import Application, Deadline, Step
from core import counts
from tests.applications.test_office_pages import bulk_applications
from tests.kept import store_next_due

pytestmark = pytest.mark.django_db

QUEUE = reverse("office:queue")


def walk(client, params=None):
    """Every page of the queue, following its "next" links: the numbers in the order shown."""
    response = client.get(QUEUE, params or {})
    seen = [r.number for r in response.context["rows"]]
    pages = [response]
    while response.context["listing"].next_url:
        response = client.get(QUEUE + response.context["listing"].next_url)
        seen += [r.number for r in response.context["rows"]]
        pages.append(response)
    return seen, pages


def test_keyset_pages_skip_and_repeat_no_row_when_rows_share_the_sort_key_R40(login, cast, product, haidian):
    today = timezone.localdate()
    same = bulk_applications(75, buyer=cast["buyer"], district=haidian, product=product, due=today)
    Application.objects.filter(pk__in=[a.pk for a in same]).update(submitted_at=timezone.now())  # one sort key
    later = bulk_applications(40, buyer=cast["buyer"], district=haidian, product=product, due=today + timedelta(3))
    paused = later[-5:]  # a paused clock has no due date: last, and still paged through (nulls in the keys)
    Deadline.objects.filter(application__in=paused).update(due_on=None)
    store_next_due()
    seen, pages = walk(login(cast["officer"]))
    assert len(pages) == 3
    assert len(seen) == len(set(seen)) == 115
    assert seen[75:] == sorted(a.number for a in later) and set(seen[:75]) == {a.number for a in same}
    assert seen[-5:] == [a.number for a in paused]
    # Back from the last page: the same rows in the same order, and the first page has no "previous".
    client = login(cast["officer"])
    back = client.get(QUEUE + pages[2].context["listing"].previous_url)
    assert [r.number for r in back.context["rows"]] == [r.number for r in pages[1].context["rows"]]
    first = client.get(QUEUE + back.context["listing"].previous_url)
    assert [r.number for r in first.context["rows"]] == seen[:50]
    assert not first.context["listing"].previous_url and first.context["listing"].next_url


def test_a_cursor_not_made_here_starts_from_the_first_page(login, cast, product, haidian):
    bulk_applications(3, buyer=cast["buyer"], district=haidian, product=product)
    response = login(cast["officer"]).get(QUEUE, {"cursor": "forged"})
    assert response.status_code == 200 and len(response.context["rows"]) == 3


def test_another_districts_applications_are_on_no_page_of_the_queue(login, cast, product, haidian, changping):
    bulk_applications(55, buyer=cast["buyer"], district=haidian, product=product)
    theirs = bulk_applications(5, buyer=cast["other_buyer"], district=changping, product=product)
    seen, _ = walk(login(cast["officer"]))
    assert len(seen) == 55 and not {a.number for a in theirs} & set(seen)


def test_past_1000_the_count_is_an_estimate_and_the_page_says_so(login, cast, product, haidian):
    bulk_applications(1002, buyer=cast["buyer"], district=haidian, product=product)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE applications_application")
    response = login(cast["officer"]).get(QUEUE)
    count = response.context["listing"].count
    assert count.estimated and count.n > 1000
    assert "估计" in response.content.decode()
    assert counts.count(Application.objects.filter(district=haidian), exact_up_to=2000) == counts.RowCount(1002)


def test_a_whole_application_number_is_found_by_its_unique_index(login, cast, product, haidian):
    apps = bulk_applications(2, buyer=cast["buyer"], district=haidian, product=product)
    number = f"{timezone.localdate().year}-{haidian.code}-{apps[0].pk:07d}"
    Application.objects.filter(pk=apps[0].pk).update(number=number)
    client = login(cast["officer"])
    assert [r.number for r in client.get(QUEUE, {"q": number}).context["rows"]] == [number]
    assert [r.number for r in client.get(QUEUE, {"q": apps[1].number[-5:]}).context["rows"]] == [apps[1].number]
    assert [r.number for r in client.get(QUEUE, {"q": cast["buyer"].display_name}).context["rows"]]


def test_next_due_follows_the_clocks_start_meet_pause_resume_R40(cast, submitted):
    """The stored sort key is the earliest open due date after each kind of clock write (the autouse check in
    tests/kept.py proves it after every test of applications and payments as well)."""
    app = Application.objects.get(pk=submitted().pk)
    accept = deadlines.due_of(app, Step.ACCEPT)
    assert app.next_due == accept.due_on
    deadlines.pause_all(app, on=timezone.localdate())
    assert Application.objects.get(pk=app.pk).next_due is None  # a paused clock has no due date
    deadlines.resume_all(app, on=timezone.localdate())
    assert Application.objects.get(pk=app.pk).next_due == deadlines.due_of(app, Step.ACCEPT).due_on
    deadlines.end_all(app)
    assert Application.objects.get(pk=app.pk).next_due is None and app.next_due is None


def test_the_api_queue_pages_in_the_order_of_the_page(cast, product, haidian, client):
    from api.tokens import create_personal_token

    bulk_applications(60, buyer=cast["buyer"], district=haidian, product=product, due=timezone.localdate())
    secret = create_personal_token(user=cast["officer"], name="t")[1]
    headers = {"Authorization": f"Bearer {secret}"}
    first = client.get("/api/v1/office/applications", {"limit": 40}, headers=headers).json()
    second = client.get(
        "/api/v1/office/applications", {"limit": 40, "cursor": first["next_cursor"]}, headers=headers
    ).json()
    numbers = [r["number"] for r in first["items"] + second["items"]]
    assert len(numbers) == len(set(numbers)) == 60 and second["next_cursor"] is None
