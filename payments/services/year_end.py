"""The year end (R23, R37): which subsidy year an entry belongs to, and closing a year once (``rollover``), which
carries every application entered but not paid into the next year with its money. ``manage.py rollover YEAR`` and
the municipal finance bureau's year-end page call it; the page's preview is ``payments.selectors.year_end_preview``."""

import uuid
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import District
from applications import events
from applications.messages import in_buyer_language, split_text, tell_buyer
from applications.models import Application, EventAction
from applications.workflow import CARRIED_AT_YEAR_END, RESERVED, State
from catalog.money import format_yuan

from .. import ledger
from ..errors import PaymentError
from ..models import BatchItem, Deferral, DeferralReason, EntryKind, Fund, ItemOutcome, Rollover
from .common import ZERO, local_today
from .deferral import resume
from .funds import release, release_preregistrations, reserve

YEAR_LOCK = 0x52333700  # the advisory-lock namespace of closing a subsidy year ("R37")


def _lock_year(year: int, *, shared: bool) -> None:
    """Entries into a year hold its lock shared until they commit; closing it holds it alone (PostgreSQL; SQLite
    serialises writers anyway). So a year is never closed under an entry that has not committed yet."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            lock = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
            cursor.execute(f"SELECT {lock}(%s, %s)", [YEAR_LOCK, year])


def subsidy_year_on(day: date) -> int:
    """The subsidy year an application entered on ``day`` belongs to: the calendar year, or the next one once the
    year has been closed by ``rollover`` (R37). Call it inside the entry's transaction: it holds the year open."""
    _lock_year(day.year, shared=True)
    return day.year + 1 if Rollover.objects.filter(year=day.year).exists() else day.year


def _held_in_year(applications, year: int) -> dict[str, Decimal]:
    """What these applications hold in the year's funds, per source."""
    out = dict.fromkeys(ledger.SOURCES, ZERO)
    rows = (
        ledger.LedgerEntry.objects.filter(
            application__in=applications, fund__year=year, kind__in=[EntryKind.RESERVATION, EntryKind.RELEASE]
        )
        .values("fund__source")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        out[row["fund__source"]] = -row["total"]
    return out


def _waits_for_the_year(application: Application) -> bool:
    """Deferred only because the year ended or its innovation ceiling was reached (R9, R36): a new year clears it."""
    held = Deferral.objects.filter(application=application, ended_at__isnull=True)
    return not held.exclude(reason__in=[DeferralReason.YEAR_END, DeferralReason.INNOVATION_CEILING]).exists()


def rollover(*, year: int, actor=None, dry_run: bool = False) -> dict:
    """R37: close a subsidy year once. Every application of the year entered but not paid (pre-registered,
    submitted, accepted and on to deferred) is carried into the next year, keeping its state and the steps already
    done, and is paid first there: its reservation is released in the old year and taken again in the new one,
    before anything else, and a payment deferred only for the year's end or its innovation ceiling goes back to the
    queue. The old year's whole unspent balance (those reservations included) goes over as a carry-over pair (used
    first, R23), so the money follows the applications. An application in a batch with the treasury stays, with its
    reservation, and is paid from the old year. Idempotent: a second run does nothing; ``dry_run`` writes nothing
    and says what it would do. A year under way may be closed early; applications entered after that belong to the
    next year (``subsidy_year_on``)."""
    if year > local_today().year:
        raise PaymentError(
            _("%(year)s has not begun; only a year under way or past can be closed.") % {"year": year}, rule="R37"
        )
    plan: dict = {"year": year, "done_before": False, "carry_over": [], "applications": [], "in_flight": []}
    reason_cleared = _("A new subsidy year: the money is reserved in %(year)s.") % {"year": year + 1}
    with transaction.atomic():
        if not dry_run:
            _lock_year(year, shared=False)  # waits for entries of the year still in flight
        if Rollover.objects.select_for_update().filter(year=year).exists():
            plan["done_before"] = True
            return plan
        in_flight = BatchItem.objects.filter(outcome=ItemOutcome.PENDING).values("application")
        open_apps = Application.objects.filter(year=year, state__in=CARRIED_AT_YEAR_END)
        plan["in_flight"] = list(open_apps.filter(pk__in=in_flight).order_by("number").values_list("number", flat=True))
        to_carry = open_apps.exclude(pk__in=in_flight).order_by("district_id", "submitted_at", "pk")
        if dry_run:  # read only: nothing locked, only what the plan says
            to_carry = to_carry.only("number", "state", "district_id", "submitted_at")
        else:
            to_carry = to_carry.select_for_update(of=("self",)).select_related("buyer", "district")
        to_carry = list(to_carry)
        district_ids = set(Fund.objects.filter(year=year).values_list("district", flat=True))
        district_ids |= {a.district_id for a in to_carry}
        districts = District.objects.filter(pk__in=district_ids).order_by("pk")
        for district in districts:
            apps = [a for a in to_carry if a.district_id == district.pk]
            if not dry_run:
                old = ledger.lock_funds(district, year)  # always the old year before the new one
                new = ledger.lock_funds(district, year + 1)
            if dry_run:  # what the releases would give back, without writing them
                held = _held_in_year(apps, year)
            else:
                held = dict.fromkeys(ledger.SOURCES, ZERO)  # released below: the balance then includes it
                for application in apps:
                    release(application, actor=actor, reason=_("Carried into %(year)s (R37)") % {"year": year + 1})
            available = ledger.available_by_source(district, year)
            for source in ledger.SOURCES:
                amount = available[source] + held[source]
                if amount <= 0:
                    continue
                plan["carry_over"].append({"district": district.code, "source": source, "amount": str(amount)})
                if dry_run:
                    continue
                pair = uuid.uuid4()
                reason = _("Carried over from %(year)s") % {"year": year}
                ledger.append(
                    old[source], kind=EntryKind.CARRY_OVER, amount=-amount, actor=actor, reason=reason, pair=pair
                )
                ledger.append(
                    new[source], kind=EntryKind.CARRY_OVER, amount=amount, actor=actor, reason=reason, pair=pair
                )
            for application in apps:  # in order of entry: the new year's reservations start with them
                plan["applications"].append(
                    {"number": application.number, "state": application.state, "district": district.code}
                )
                if dry_run:
                    continue
                carry_into_next_year(application, actor=actor)
                if application.state in RESERVED:
                    reserve(application, actor=actor)
                if application.state == State.PAYMENT_DEFERRED and _waits_for_the_year(application):
                    resume(application, actor=actor, note=reason_cleared)
        if not dry_run:
            Rollover.objects.create(
                year=year, by=actor if getattr(actor, "is_authenticated", False) else None, summary=plan
            )
            for district in districts:
                release_preregistrations(district=district, year=year + 1)
    return plan


def carry_into_next_year(application: Application, *, actor=None) -> Application:
    """R37: an application of its year that could not be paid in time goes into the next year, where it is paid
    first. Called by ``rollover`` (which moves its money) on a row it has locked; the state, the
    decisions already taken and the amounts of submission (R41) are kept, and the buyer is told."""
    old = application.year
    application.year = old + 1
    application.carried_from = application.carried_from or old
    application.save(update_fields=["year", "carried_from", "updated_at"])
    years = {
        "old": old,
        "new": old + 1,
        "year": old + 1,
        "total": format_yuan(application.total_amount),
        "split": split_text(application.amounts_by_source),
    }
    events.record(
        application,
        action=EventAction.CARRY_OVER,
        actor=actor,
        from_state=application.state,
        # the timeline shows the reason to the buyer, in the buyer's language
        reason=in_buyer_language(
            application, gettext_lazy("Could not be paid in %(old)s; carried into %(new)s and paid first."), **years
        ),
        data={"carried_from": old, "to": old + 1},
    )
    if application.state == State.PREREGISTERED:
        body = gettext_lazy(
            "Your pre-registered application could not be paid in %(old)s; it is paid first in %(new)s."
        )
    else:
        body = gettext_lazy(
            "Your application could not be paid in %(old)s. It keeps every step already done and is paid "
            "first in %(new)s: %(total)s yuan (%(split)s)."
        )
    tell_buyer(application, gettext_lazy("Application %(number)s carried into %(year)s"), body, **years)
    return application
