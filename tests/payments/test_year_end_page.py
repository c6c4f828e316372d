"""The year-end page (R37) at /finance/year-end/: the municipal finance bureau sees what closing a year would carry
(nothing written), closes it in a second step, and reads the years closed; nobody else may."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationEvent, EventAction
from payments import ledger
from payments.models import LedgerEntry, Rollover, YearEndRequest
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
URL = reverse("payments:year_end")


def this_year() -> int:
    return timezone.localdate().year


def test_the_municipal_bureau_previews_then_closes_a_year_R37(login, cast, haidian, fund, requested):
    fund(haidian, central="100000", municipal="100000", district_funds="0")
    app = requested()
    client = login(cast["city_finance"])
    entries = LedgerEntry.objects.count()

    preview = client.get(URL, {"year": this_year()})
    assert preview.status_code == 200
    plan = preview.context["preview"]
    assert plan["carried"] == 1 and preview.context["record"] is None
    central = next(r for r in plan["carry_over"] if r["source"] == "central")
    assert (central["district"], central["amount"]) == ("海淀区", Decimal("100000.00"))
    assert 'id="close-year"' in preview.content.decode()
    assert LedgerEntry.objects.count() == entries and not Rollover.objects.exists()  # a preview writes nothing

    asked = client.post(URL, {"year": this_year(), "action": "request"})
    assert asked.status_code == 302 and not Rollover.objects.exists()  # one official asks; nothing closed yet
    request = YearEndRequest.objects.get(year=this_year())
    assert (request.requested_by, request.approved_by) == (cast["city_finance"], None)
    assert 'id="waiting-second"' in client.get(URL, {"year": this_year()}).content.decode()
    # the one who asked cannot approve (four-eyes, R45)
    own = client.post(URL, {"year": this_year(), "action": "approve"})
    assert own.status_code == 400 and own.context["form"].errors["year"] and not Rollover.objects.exists()

    second = login(make_user("c3", "city_finance"))
    assert 'id="asked-by"' in second.get(URL, {"year": this_year()}).content.decode()
    closed = second.post(URL, {"year": this_year(), "action": "approve"})
    assert closed.status_code == 302 and closed["Location"] == f"{URL}?year={this_year()}"
    record = Rollover.objects.get(year=this_year())
    approver = record.by
    assert approver.username == "c3"
    request.refresh_from_db()
    assert request.approved_by == approver and request.approved_at is not None
    app.refresh_from_db()
    assert (app.year, app.carried_from) == (this_year() + 1, this_year())
    event = ApplicationEvent.objects.get(application=app, action=EventAction.CARRY_OVER)
    assert event.actor == approver
    assert ledger.check()

    after = client.get(f"{URL}?year={this_year()}")
    content = after.content.decode()
    assert after.context["record"] == record and 'id="close-year"' not in content
    assert 'id="closed-by"' in content and str(approver) in content
    again = second.post(URL, {"year": this_year(), "action": "approve"})  # closing twice does nothing twice
    assert again.status_code == 302 and Rollover.objects.count() == 1


def test_the_year_offered_first_is_the_oldest_not_closed_R37(login, cast, haidian, fund):
    fund(haidian, year=this_year() - 1)
    fund(haidian)
    client = login(cast["city_finance"])
    assert client.get(URL).context["form"].initial["year"] == this_year() - 1
    Rollover.objects.create(year=this_year() - 1, summary={})
    assert client.get(URL).context["form"].initial["year"] == this_year()


def test_a_year_not_begun_is_refused_on_the_page_and_nothing_written_R37(login, cast):
    client = login(cast["city_finance"])
    for response in (client.get(URL, {"year": this_year() + 1}), client.post(URL, {"year": this_year() + 1})):
        assert response.context["form"].errors["year"]
        assert response.context["preview"] is None
    assert not Rollover.objects.exists()


def test_only_the_municipal_finance_bureau_may_close_a_year_R37(client, login, cast, haidian):
    for user in (cast["finance"], cast["officer"], cast["buyer"], make_user("f2", "district_finance", haidian)):
        c = login(user)
        assert c.get(URL, {"year": this_year()}).status_code == 403
        assert c.post(URL, {"year": this_year()}).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302
    assert not Rollover.objects.exists()


def test_the_preview_takes_the_same_queries_however_many_applications(login, cast, haidian, fund, submitted):
    fund(haidian)
    submitted(serial="Q-0")
    client = login(cast["city_finance"])
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"year": this_year()})
    for n in range(1, 6):
        submitted(serial=f"Q-{n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL, {"year": this_year()}).context["preview"]["carried"] == 6
    assert len(many.captured_queries) == len(few.captured_queries)
