"""The year end (R23, R37): which subsidy year an entry belongs to, and closing a year once (``rollover``), which
carries every application entered but not paid into the next year with its money. ``manage.py rollover YEAR`` and
the municipal finance bureau's year-end page call it; the page's preview is ``payments.selectors.year_end_preview``."""

import uuid
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import District
from applications import events
from applications.messages import in_buyer_language, split_text, tell_buyer
from applications.models import Application, EventAction
from applications.workflow import RESERVED, State
from catalog.money import format_yuan
from core.locks import LockSpace, advisory_lock

from .. import ledger, selectors
from ..models import Deferral, DeferralReason, EntryKind, Rollover
from .deferral import resume
from .funds import release, release_preregistrations, reserve


def _lock_year(year: int, *, shared: bool) -> None:
    """Entries into a year hold its lock shared until they commit; closing it holds it alone. So a year is never
    closed under an entry that has not committed yet."""
    advisory_lock(LockSpace.SUBSIDY_YEAR, year, shared=shared)


def subsidy_year_on(day: date) -> int:
    """The subsidy year an application entered on ``day`` belongs to: the calendar year, or the next one once the
    year has been closed by ``rollover`` (R37). Call it inside the entry's transaction: it holds the year open."""
    _lock_year(day.year, shared=True)
    return day.year + 1 if Rollover.objects.filter(year=day.year).exists() else day.year


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
    and says what it would do (``payments.selectors.year_end_preview``). A year under way may be closed early;
    applications entered after that belong to the next year (``subsidy_year_on``)."""
    if dry_run:
        return selectors.year_end_preview(year=year)
    selectors.ensure_closable(year)
    with transaction.atomic():
        _lock_year(year, shared=False)  # waits for entries of the year still in flight
        if Rollover.objects.select_for_update().filter(year=year).exists():
            return selectors.empty_plan(year, done_before=True)
        in_flight, to_carry = selectors.year_end_candidates(year)
        to_carry = list(to_carry.select_for_update(of=("self",)).select_related("buyer", "district"))
        plan = selectors.empty_plan(year, in_flight=in_flight)
        districts = selectors.year_end_districts(year, to_carry)
        for district in districts:
            _close_district(plan, district, [a for a in to_carry if a.district_id == district.pk], actor=actor)
        Rollover.objects.create(
            year=year, by=actor if getattr(actor, "is_authenticated", False) else None, summary=plan
        )
        for district in districts:
            release_preregistrations(district=district, year=year + 1)
    return plan


def _close_district(plan: dict, district: District, apps: list[Application], *, actor) -> None:
    """One district's part of the year end: release what its applications hold, carry the whole unspent balance
    over as pairs, then carry the applications in order of entry (the new year's reservations start with them)."""
    year = plan["year"]
    old = ledger.lock_funds(district, year)  # always the old year before the new one
    new = ledger.lock_funds(district, year + 1)
    for application in apps:
        release(application, actor=actor, reason=_("Carried into %(year)s (R37)") % {"year": year + 1})
    available = ledger.available_by_source(district, year)  # the released reservations included
    reason = _("Carried over from %(year)s") % {"year": year}
    for source in ledger.SOURCES:
        if available[source] <= 0:
            continue
        plan["carry_over"].append(selectors.carry_over_row(district, source, available[source]))
        pair = uuid.uuid4()
        ledger.append(
            old[source], kind=EntryKind.CARRY_OVER, amount=-available[source], actor=actor, reason=reason, pair=pair
        )
        ledger.append(
            new[source], kind=EntryKind.CARRY_OVER, amount=available[source], actor=actor, reason=reason, pair=pair
        )
    cleared = _("A new subsidy year: the money is reserved in %(year)s.") % {"year": year + 1}
    for application in apps:
        plan["applications"].append(selectors.carried_row(application, district))
        carry_into_next_year(application, actor=actor)
        if application.state in RESERVED:
            reserve(application, actor=actor)
        if application.state == State.PAYMENT_DEFERRED and _waits_for_the_year(application):
            resume(application, actor=actor, note=cleared)


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
