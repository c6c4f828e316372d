"""Year end (R37): ``rollover YEAR`` carries every application of the year entered but not paid into the next year,
keeping its state and steps, with its money: the reservation is released in the old year and taken again in the new
one, and the whole unspent balance goes over as a carry-over pair (used first, R23). Carried applications are paid
first: ahead of the new year's pre-registrations (priority items included) and of its payment requests. An
application already with the treasury stays in the old year and is paid from it. ``--dry-run`` writes nothing and
says the same; a second run does nothing."""

from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from applications import services
from applications.models import ApplicationEvent, EventAction
from applications.workflow import State
from notifications.models import Notification
from payments import ledger
from payments import services as payments
from payments.models import EntryKind, LedgerEntry, Priority, Rollover
from tests.payments.conftest import close_notice_today, make_product, return_file

pytestmark = pytest.mark.django_db
OLD, NEW = 2026, 2027
IN_DECEMBER = "2026-12-21 10:00 +0800"  # a Monday
IN_JANUARY = "2027-01-04 10:00 +0800"  # the first working Monday of the new year
# The test product: central 15,300 and municipal 3,000 yuan.


def _fresh(app):
    app.refresh_from_db()
    return app


def _pay(cast, batch, app, voucher):
    payments.import_return(
        batch_id=batch.pk,
        officer=cast["finance"],
        data=return_file(batch, [(app, "成功", voucher, None, "")]),
        file_name=f"{voucher}.csv",
    )


@pytest.fixture
def year_end(cast, haidian, fund, submitted, requested, approved):
    """海淀区 in late 2026: one application of each kind the year can end with."""
    with time_machine.travel(IN_DECEMBER, tick=True):
        fund(haidian, central="80000", municipal="50000", district_funds="0")
        apps = {"submitted": submitted(serial="Y-1")}
        apps["accepted"] = submitted(serial="Y-2")
        services.accept_application(application_id=apps["accepted"].pk, officer=cast["officer"])
        apps["requested"] = requested(serial="Y-3")
        apps["in_flight"] = requested(serial="Y-4")
        apps["batch"] = approved(apps["in_flight"])
        apps["paid"] = requested(serial="Y-5")
        _pay(cast, approved(apps["paid"]), apps["paid"], "GK2026-9001")
        apps["preregistered"] = submitted(serial="Y-6")  # 3,500 central left: not covered
    return {name: item if name == "batch" else _fresh(item) for name, item in apps.items()}


def test_unpaid_applications_go_into_the_next_year_with_their_money_and_their_steps_R37(
    cast, haidian, year_end, capsys
):
    assert _fresh(year_end["preregistered"]).state == State.PREREGISTERED
    carried = ["submitted", "accepted", "requested", "preregistered"]
    states = {name: year_end[name].state for name in carried}
    with time_machine.travel(IN_JANUARY, tick=True):
        entries = LedgerEntry.objects.count()
        dry = payments.rollover(year=OLD, dry_run=True)
        assert LedgerEntry.objects.count() == entries and not Rollover.objects.exists()
        assert _fresh(year_end["accepted"]).year == OLD
        call_command("rollover", str(OLD), "--dry-run")
        assert "would carry application" in capsys.readouterr().out

        done = payments.rollover(year=OLD, actor=cast["city_finance"])
    assert {k: done[k] for k in ("carry_over", "applications", "in_flight")} == {
        k: dry[k] for k in ("carry_over", "applications", "in_flight")
    }
    assert done["in_flight"] == [year_end["in_flight"].number]
    assert [row["number"] for row in done["applications"]] == [year_end[name].number for name in carried]

    for name in carried:  # the same state and steps, now in the new year, marked as carried
        app = _fresh(year_end[name])
        assert (app.year, app.carried_from, app.state) == (NEW, OLD, states[name])
        event = ApplicationEvent.objects.get(application=app, action=EventAction.CARRY_OVER)
        assert event.data == {"carried_from": OLD, "to": NEW}
        told = Notification.objects.filter(recipient=cast["buyer"], subject__contains=app.number).latest("id")
        assert str(NEW) in told.subject
        if app.state != State.PREREGISTERED:  # what the buyer gets, split by fund source, with two decimals
            assert "18,300.00" in told.body and "15,300.00" in told.body and "3,000.00" in told.body
    for name in ("in_flight", "paid"):
        assert _fresh(year_end[name]).year == OLD

    # The money follows: the old year keeps only what the batch with the treasury holds; the rest went over.
    old, new = ledger.balance_of(haidian, OLD, "central"), ledger.balance_of(haidian, NEW, "central")
    assert (old.reserved, old.paid, old.available) == (Decimal("15300.00"), Decimal("15300.00"), 0)
    assert new.carried == Decimal("80000.00") - 2 * Decimal("15300.00")
    assert new.reserved == 2 * Decimal("15300.00")  # accepted and requested hold their amounts again
    released = LedgerEntry.objects.filter(
        application=year_end["requested"], kind=EntryKind.RELEASE, fund__year=OLD, fund__source="central"
    )
    assert released.get().amount == Decimal("15300.00")
    # 3,500 yuan of central money is free; the carried submitted application takes 15,300: the pre-registration waits.
    assert _fresh(year_end["preregistered"]).state == State.PREREGISTERED
    assert ledger.check()

    count = LedgerEntry.objects.count()
    with time_machine.travel(IN_JANUARY, tick=True):
        assert payments.rollover(year=OLD)["done_before"]
        call_command("rollover", str(OLD))
    assert "already rolled over" in capsys.readouterr().out
    assert LedgerEntry.objects.count() == count

    # The batch with the treasury comes back paid in January: paid from the old year, which held its money.
    with time_machine.travel(IN_JANUARY, tick=True):
        _pay(cast, year_end["batch"], year_end["in_flight"], "GK2026-9002")
    assert _fresh(year_end["in_flight"]).state == State.PAID
    old = ledger.balance_of(haidian, OLD, "central")
    assert (old.reserved, old.paid, old.available) == (0, Decimal("30600.00"), 0)
    assert ledger.check()


def test_carried_requests_are_paid_first_and_the_pages_say_so_R37(login, cast, haidian, fund, year_end, requested):
    with time_machine.travel(IN_JANUARY, tick=True):
        fund(haidian, year=NEW)
        fresh = requested(serial="N-1")  # a request of the new year, made before the rollover ran
        payments.rollover(year=OLD, actor=cast["city_finance"])
        carried = year_end["accepted"]  # carried as accepted; its request comes after the fresh one
        services.record_verification(
            application_id=carried.pk,
            officer=cast["officer"],
            method="documents",
            checked_on=carried.submitted_at.date(),
            findings="铭牌与发票一致",
            passed=True,
        )
        services.open_notice(application_id=carried.pk, officer=cast["officer"])
        close_notice_today(carried)
        services.request_payment(application_id=carried.pk, officer=cast["officer"])
        client = login(cast["finance"])
        page = client.get(reverse("payments:queue"))
    order = [row.pk for row in page.context["rows"]]
    # Carried requests first (in their own order of request), though the fresh one was requested earlier.
    assert order.index(year_end["requested"].pk) < order.index(carried.pk) < order.index(fresh.pk)
    assert page.content.decode().count('data-rule="R37"') == 2
    detail = client.get(reverse("payments:application", args=[carried.pk])).content.decode()
    assert 'id="subsidy-year"' in detail and str(OLD) in detail

    office = login(cast["officer"]).get(reverse("office:queue"), {"state": "submitted"}).content.decode()
    row = office[office.index(year_end["submitted"].number) :]
    assert 'data-rule="R37"' in row[: row.index("</tr>")]  # the office's queue says which were carried

    buyer_page = login(cast["buyer"]).get(reverse("apply:application", args=[carried.pk])).content.decode()
    assert 'data-action="carry_over"' in buyer_page


def test_a_carried_pre_registration_is_released_before_the_new_years_priority_entries_R37(
    cast, haidian, fund, submitted
):
    with time_machine.travel(IN_DECEMBER, tick=True):
        fund(haidian, central="16000", municipal="10000", district_funds="0")
        submitted(serial="P-1")
        waiting = submitted(serial="P-2")
        assert waiting.state == State.PREREGISTERED
    with time_machine.travel(IN_JANUARY, tick=True):
        payments.rollover(year=OLD)
        priority_product = make_product(
            grade_name="60—70马力两轮驱动拖拉机", params="60马力≤功率<70马力;驱动方式:两轮驱动", model="TX-654"
        )
        Priority.objects.create(year=NEW, grade=priority_product.grade, document="京农发〔2027〕3号")
        priority = submitted(serial="P-3", product=priority_product)
        assert priority.state == State.PREREGISTERED  # an earlier entry waits: nothing passes it
        payments.allocate(
            district=haidian, year=NEW, source="central", amount="15300", actor=cast["city_finance"], reason="下达"
        )
    assert (_fresh(waiting).state, _fresh(priority).state) == (State.SUBMITTED, State.PREREGISTERED)
    assert ledger.check()


def test_a_payment_deferred_for_the_years_end_is_back_in_the_queue_but_not_one_under_investigation_R36_R37(
    cast, haidian, fund, requested
):
    with time_machine.travel(IN_DECEMBER, tick=True):
        fund(haidian)
        year_end, investigated = requested(serial="D-1"), requested(serial="D-2")
        payments.defer_payment(application_id=year_end.pk, officer=cast["finance"], reason="year_end")
        payments.defer_payment(application_id=investigated.pk, officer=cast["finance"], reason="investigation")
    with time_machine.travel(IN_JANUARY, tick=True):
        payments.rollover(year=OLD)
    assert (_fresh(year_end).state, _fresh(investigated).state) == (State.PAYMENT_REQUESTED, State.PAYMENT_DEFERRED)
    assert _fresh(investigated).year == NEW
    assert ApplicationEvent.objects.filter(application=year_end, action=EventAction.RESUME).exists()
    assert ledger.balance_of(haidian, NEW, "central").reserved == 2 * Decimal("15300.00")
    assert ledger.check()


def test_a_year_closed_early_takes_new_entries_into_the_next_and_a_future_year_cannot_be_closed_R37(
    cast, haidian, fund, submitted, capsys
):
    with time_machine.travel(IN_DECEMBER, tick=True):
        fund(haidian)
        with pytest.raises(payments.PaymentError) as refused:
            payments.rollover(year=NEW)
        assert refused.value.rule == "R37" and not Rollover.objects.exists()
        with pytest.raises(CommandError):
            call_command("rollover", str(NEW))
        before = submitted(serial="E-1")
        payments.rollover(year=OLD)
        after = submitted(serial="E-2")
    assert (_fresh(before).year, _fresh(before).carried_from) == (NEW, OLD)
    assert (after.year, after.carried_from) == (NEW, None)  # entered after the close: the next year's own


def test_the_year_end_page_previews_in_grouped_reads_what_the_dry_run_plans_R37(cast, haidian, year_end):
    """The page's summary (counts and amounts by grouped queries) says what ``rollover --dry-run``'s plan says."""
    from collections import Counter

    from payments import selectors

    with time_machine.travel(IN_DECEMBER, tick=True):
        plan = selectors.year_end_preview(year=OLD)
        summary = selectors.year_end_summary(year=OLD)
    assert summary["carry_over"] == plan["carry_over"] and summary["in_flight"] == plan["in_flight"]
    assert summary["counted"] == Counter((row["district"], row["state"]) for row in plan["applications"])
    assert sum(summary["counted"].values()) == 4
