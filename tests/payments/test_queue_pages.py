"""The finance queue (R36) at scale: 100 requested payments a page by keyset, in the queue's order (those that
waited first), no row skipped or shown twice across pages when they share a sort key, and the same number of queries
at any size; another district's requests are on no page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Deadline, Step
from applications.workflow import State
from tests.kept import store_next_due

pytestmark = pytest.mark.django_db
QUEUE = reverse("payments:queue")


def requested(n, *, buyer, district, start=0):
    """``n`` requested payments made straight in the database, their 15-working-day clocks started the same day."""
    apps = Application.objects.bulk_create(
        Application(
            buyer=buyer,
            district=district,
            state=State.PAYMENT_REQUESTED,
            number=f"Q{district.code}-{start + i:05d}",
            serial_key=f"Q{district.code}{start + i}",
            central_amount=Decimal("100.00"),
            municipal_amount=Decimal("0.00"),
            district_amount=Decimal("0.00"),
            total_amount=Decimal("100.00"),
            submitted_at=timezone.now(),
        )
        for i in range(n)
    )
    today = timezone.localdate()
    Deadline.objects.bulk_create(
        Deadline(application=a, step=Step.PAY, started_on=today, working_days=15, due_on=today) for a in apps
    )
    store_next_due()
    return apps


def test_the_finance_queue_pages_by_100_without_skipping_or_repeating_a_row_R36(login, cast, haidian, changping):
    mine = requested(130, buyer=cast["buyer"], district=haidian)
    requested(3, buyer=cast["other_buyer"], district=changping)
    client = login(cast["finance"])
    first = client.get(QUEUE)
    assert len(first.context["rows"]) == 100 and first.context["listing"].next_url
    second = client.get(QUEUE + first.context["listing"].next_url)
    seen = [r.number for r in first.context["rows"]] + [r.number for r in second.context["rows"]]
    assert sorted(seen) == sorted(a.number for a in mine) and len(set(seen)) == 130
    assert not second.context["listing"].next_url


def test_the_finance_queue_takes_the_same_queries_at_5_and_250_requests_R36(login, cast, haidian):
    client = login(cast["finance"])
    requested(5, buyer=cast["buyer"], district=haidian)
    with CaptureQueriesContext(connection) as small:
        assert client.get(QUEUE).status_code == 200
    requested(245, buyer=cast["buyer"], district=haidian, start=5)
    with CaptureQueriesContext(connection) as large:
        assert client.get(QUEUE).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
