"""Finance's landing page says what needs doing today: requests to pay and those past their 15 working days (R36),
batches waiting for the second officer, per district; each count links to the page that lists them."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from applications import deadlines
from applications.models import Deadline, Step
from payments import services as payments
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def counts(html: str) -> dict[str, tuple[int, str]]:
    found = re.findall(r'<a class="count-tile[^"]*" href="([^"]+)" data-count="(\w+)"><strong>(\d+)</strong>', html)
    return {key: (int(n), href) for href, key, n in found}


def test_finance_counts_what_to_pay_overdue_and_to_approve_R36(cast, fund, haidian, changping, requested, login):
    fund(haidian)
    late, other = requested(serial="SN-1"), requested(serial="SN-2")
    pay = Deadline.objects.get(application=late, step=Step.PAY, met_at__isnull=True)
    pay.started_on = timezone.localdate() - timedelta(days=40)
    deadlines._refresh(pay)
    pay.save()
    deadlines.refresh_next_due(late)

    client = login(cast["finance"])
    tiles = counts(client.get("/finance/").content.decode())
    assert tiles["to_pay"] == (2, "/finance/queue/")
    assert tiles["pay_overdue"][0] == 1 and tiles["to_approve"][0] == 0
    queue = client.get(tiles["to_pay"][1]).content.decode()
    assert late.number in queue and other.number in queue

    batch = payments.build_batch(officer=cast["finance"], application_ids=[late.pk])
    tiles = counts(client.get("/finance/").content.decode())
    assert tiles["to_pay"][0] == 1 and tiles["pay_overdue"][0] == 0 and tiles["to_approve"][0] == 1
    listed = client.get(tiles["to_approve"][1]).content.decode()
    assert tiles["to_approve"][1].endswith("?state=built") and batch.number in listed

    changping_finance = make_user("f9", "district_finance", changping)
    theirs = counts(login(changping_finance).get("/finance/").content.decode())
    assert theirs["to_pay"][0] == theirs["to_approve"][0] == theirs["pay_overdue"][0] == 0


def test_the_batch_list_filters_by_state_and_ignores_an_unknown_one(cast, fund, haidian, requested, login):
    fund(haidian)
    batch = payments.build_batch(officer=cast["finance"], application_ids=[requested().pk])
    client = login(cast["finance"])
    assert batch.number in client.get("/finance/batches/?state=built").content.decode()
    assert batch.number not in client.get("/finance/batches/?state=exported").content.decode()
    assert batch.number in client.get("/finance/batches/?state=nonsense").content.decode()


def test_the_office_does_not_enter_finance(cast, login):
    assert login(cast["officer"]).get("/finance/").status_code == 403
    assert login(cast["buyer"]).get("/finance/").status_code == 403
