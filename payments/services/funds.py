"""Funds and ledger moves (R21–R23, R31, R37): the municipal finance bureau's entries, the reservation an accepted
application holds and its release, and the pre-registrations released when money arrives. Each public function is
one transaction (or runs in its caller's, with the application row locked)."""

import uuid
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scope
from accounts.models import District
from applications.messages import subsidy_text
from applications.models import Application, EventAction, Step
from applications.transitions import transition
from applications.workflow import State
from catalog.models import FundSource
from catalog.money import format_yuan

from .. import ledger, selectors
from ..errors import PaymentError
from ..models import EntryKind, Fund, Priority
from .common import ZERO, local_today, positive, required_reason

# --- The ledger: the municipal finance bureau's entries (R21–R23) ------------------------------------------------


def allocate(*, district: District, year: int, source: str, amount, actor, reason: str, document: str = ""):
    """下达: put money in a district's year and source; pre-registrations it now covers are released (R31, R37)."""
    scope.ensure_city_finance(actor)
    amount = positive(amount)
    reason = required_reason(reason, "R21")
    with transaction.atomic():
        funds = ledger.lock_funds(district, year)
        entry = ledger.append(
            funds[source], kind=EntryKind.ALLOCATION, amount=amount, actor=actor, reason=reason, document=document
        )
        release_preregistrations(district=district, year=year, funds_locked=True)
    return entry


def cut(*, district: District, year: int, source: str, amount, actor, reason: str, document: str = ""):
    """R23: the municipality cuts a district's budget; never below what is available (reserved money stays)."""
    scope.ensure_city_finance(actor)
    amount = positive(amount)
    reason = required_reason(reason, "R23")
    with transaction.atomic():
        funds = ledger.lock_funds(district, year)
        available = ledger.balance_of(district, year, source).available
        if amount > available:
            raise PaymentError(
                _("Only %(available)s yuan is available to cut.") % {"available": format_yuan(available)}, rule="R23"
            )
        return ledger.append(
            funds[source], kind=EntryKind.CUT, amount=-amount, actor=actor, reason=reason, document=document
        )


def reallocate(
    *, from_district: District, to_district: District, year: int, source: str, amount, actor, reason: str, document=""
):
    """余缺调剂 (R23): move available money from one district to another, as a pair of entries summing to zero."""
    scope.ensure_city_finance(actor)
    amount = positive(amount)
    reason = required_reason(reason, "R23")
    if from_district.pk == to_district.pk:
        raise PaymentError(_("Choose two different districts."), rule="R23")
    with transaction.atomic():
        first, second = sorted([from_district, to_district], key=lambda d: d.pk)
        funds = {d.pk: ledger.lock_funds(d, year) for d in (first, second)}
        available = ledger.balance_of(from_district, year, source).available
        if amount > available:
            raise PaymentError(
                _("%(district)s has only %(available)s yuan available.")
                % {"district": from_district.display_name, "available": format_yuan(available)},
                rule="R23",
            )
        pair = uuid.uuid4()
        out = ledger.append(
            funds[from_district.pk][source],
            kind=EntryKind.REALLOCATION,
            amount=-amount,
            actor=actor,
            reason=reason,
            document=document,
            pair=pair,
        )
        ledger.append(
            funds[to_district.pk][source],
            kind=EntryKind.REALLOCATION,
            amount=amount,
            actor=actor,
            reason=reason,
            document=document,
            pair=pair,
        )
        release_preregistrations(district=to_district, year=year, funds_locked=True)
    return out


def settle_advance(*, district: District, year: int, amount, actor, reason: str, document: str = ""):
    """R22: the municipality settles, in full, what district money advanced for a short central or municipal source."""
    scope.ensure_city_finance(actor)
    amount = positive(amount)
    reason = required_reason(reason, "R22")
    with transaction.atomic():
        funds = ledger.lock_funds(district, year)
        balance = ledger.balance_of(district, year, FundSource.DISTRICT)
        if amount > balance.advanced - balance.settled:
            raise PaymentError(
                _("Only %(open)s yuan of advances is open.")
                % {"open": format_yuan(balance.advanced - balance.settled)},
                rule="R22",
            )
        return ledger.append(
            funds[FundSource.DISTRICT],
            kind=EntryKind.SETTLEMENT,
            amount=amount,
            actor=actor,
            reason=reason,
            document=document,
        )


def reserve(application: Application, *, actor) -> None:
    """On acceptance (the application row locked by the caller): hold its amounts in the ledger, per source."""
    funds = ledger.lock_funds(application.district, application.year)
    held = _held(application)
    for source, amount in application.amounts_by_source.items():
        missing = amount - held.get(funds[source].pk, ZERO)
        if missing > 0:
            ledger.append(
                funds[source],
                kind=EntryKind.RESERVATION,
                amount=-missing,
                actor=actor,
                application=application,
                reason=application.number or "",
            )


def _held(application: Application) -> dict[int, Decimal]:
    net = ledger.net_for_application(application)
    return {fund_id: -total for (fund_id, group), total in net.items() if group == "reserved"}


def release(application: Application, *, actor, reason: str = "", batch=None) -> None:
    """Give back whatever the application holds (on rejection, withdrawal, or as it is paid). Idempotent."""
    held = {fund_id: amount for fund_id, amount in _held(application).items() if amount > 0}
    if not held:
        return
    funds = ledger.lock_funds(application.district, application.year)
    by_id = {f.pk: f for f in funds.values()}
    for fund_id, amount in sorted(held.items()):
        fund = by_id.get(fund_id)
        if fund is None:  # held in another year's funds (carried over): lock that one
            fund = Fund.objects.select_for_update().get(pk=fund_id)
        ledger.append(
            fund,
            kind=EntryKind.RELEASE,
            amount=amount,
            actor=actor,
            application=application,
            batch=batch,
            reason=reason or application.number or "",
        )


def _priority_rank(application: Application, year: int) -> int:
    grade_id = application.snapshot.get("grade", {}).get("id")
    item_id = application.snapshot.get("item", {}).get("id")
    return (
        0
        if Priority.objects.filter(year=year).filter(grade_id=grade_id).exists()
        or (Priority.objects.filter(year=year, item_id=item_id).exists())
        else 1
    )


def release_preregistrations(*, district: District, year: int, funds_locked: bool = False) -> list[Application]:
    """R31, R37: release pre-registrations the funds now cover, in order of entry: those carried from an earlier
    year first, then the municipality's priority items and grades. Per fund source: one not covered keeps its
    place in every source it needs, so no later entry passes it there, while a later one needing only other
    sources goes ahead."""
    released = []
    with transaction.atomic():
        if not funds_locked:
            ledger.lock_funds(district, year)
        waiting = list(
            Application.objects.select_for_update()
            .select_related("buyer", "district")
            .filter(district=district, year=year, state=State.PREREGISTERED)
            .order_by("submitted_at", "pk")
        )
        # Stable: order of entry within each rank. Carried from an earlier year (R37) before priority (R37).
        waiting.sort(key=lambda a: (a.carried_from is None, _priority_rank(a, year)))
        available = ledger.available_by_source(district, year)
        claimed = selectors.pending_claims(district, year)
        today = local_today()
        for application in waiting:
            covered = not selectors.short_sources(application, available, claimed)
            # Released, it will take its amounts; still waiting, it keeps its place in each source it needs.
            for source, amount in application.amounts_by_source.items():
                claimed[source] += amount
            if not covered:
                continue
            transition(
                application,
                "release_preregistration",
                action=EventAction.RELEASE,
                start=(Step.ACCEPT,),
                on=today,
                tell=(
                    gettext_lazy("Application %(number)s: funds have arrived"),
                    gettext_lazy(
                        "Your pre-registered application is now with the district, "
                        "which accepts it within 2 working days. %(subsidy)s"
                    ),
                    {"subsidy": subsidy_text(application)},
                ),
            )
            released.append(application)
    return released
