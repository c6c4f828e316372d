"""The office's landing page says what needs doing today (UI.md "The office"): each count is the number of rows of
the filtered queue it links to, per district (R30 to accept, R34 notices, R35 the 23 working days)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from applications import deadlines
from applications.models import Deadline, Step
from applications.sweep import sweep

pytestmark = pytest.mark.django_db


def counts(html: str) -> dict[str, tuple[int, str]]:
    """{key: (count, link)} of the landing page's tiles."""
    found = re.findall(r'<a class="count-tile[^"]*" href="([^"]+)" data-count="(\w+)"><strong>(\d+)</strong>', html)
    return {key: (int(n), href.replace("&amp;", "&")) for href, key, n in found}


def backdate_acceptance(app, days=7):
    accept = Deadline.objects.get(application=app, step=Step.ACCEPT, met_at__isnull=True)
    accept.started_on = timezone.localdate() - timedelta(days=days)
    deadlines._refresh(accept)
    accept.save()
    deadlines.refresh_next_due(app)
    sweep(today=timezone.localdate())


def test_the_counts_are_the_district_s_and_link_to_the_filtered_queue_R30(cast, submitted, verified, login):
    late = submitted(serial="SN-1")
    submitted(serial="SN-2")
    verified(serial="SN-3")
    submitted(cast["other_buyer"], serial="SN-9")  # 昌平区: not Haidian's work
    backdate_acceptance(late)

    client = login(cast["officer"])
    tiles = counts(client.get("/office/").content.decode())
    assert tiles["to_accept"] == (2, "/office/applications/?state=submitted")
    assert tiles["to_publish"] == (1, "/office/applications/?state=verified")
    assert tiles["overdue"] == (1, "/office/applications/?due=overdue")
    assert tiles["to_verify"][0] == tiles["to_hand_over"][0] == tiles["investigating"][0] == 0
    # the filtered queue lists exactly those rows
    overdue_page = client.get(tiles["overdue"][1]).content.decode()
    assert late.number in overdue_page and "SN-2" not in overdue_page
    assert overdue_page.count(f"/office/applications/{late.pk}/") >= 1

    other = counts(login(cast["other_officer"]).get("/office/").content.decode())
    assert other["to_accept"][0] == 1 and other["overdue"][0] == 0 and other["to_publish"][0] == 0
    city = counts(login(cast["city"]).get("/office/").content.decode())
    assert city["to_accept"][0] == 3  # the municipal bureau oversees every district


def test_the_landing_page_keeps_its_queries_with_more_work(cast, submitted, login, django_assert_max_num_queries):
    client = login(cast["officer"])
    submitted(serial="SN-1")
    with django_assert_max_num_queries(20) as few:
        client.get("/office/")
    for n in range(2, 6):
        submitted(serial=f"SN-{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert counts(client.get("/office/").content.decode())["to_accept"][0] == 5


def test_buyers_and_finance_do_not_enter_the_office(cast, login):
    assert login(cast["buyer"]).get("/office/").status_code == 403
    assert login(cast["finance"]).get("/office/").status_code == 403
