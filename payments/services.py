"""Funds and payments: the business operations (R9, R16, R19, R21–R24, R31, R36–R38, R45).

Each is one transaction: lock (the application, the batch, the funds), check, write the rows and their ledger entries
and events; messages to the buyer are written in the same transaction and sent after commit (notifications).
"""

import hashlib
import uuid
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import BuyerKind, District, Role
from accounts.roles import four_eyes_refusal
from applications import deadlines, events
from applications.models import Application, EventAction, Step, Warning
from applications.services import ApplicationError, locked_application, tell_buyer
from applications.workflow import NOT_LIVE, State
from catalog.models import CatalogueLimit, FundSource, Grade, InnovationListing, LimitKind
from catalog.money import format_yuan, yuan
from catalog.rules import innovation_central_ceiling, rules_in_force
from notifications.services import language_for

from . import adapters, ledger
from .models import (
    BatchItem,
    BatchState,
    BuyerCap,
    CapLifting,
    ClawBack,
    Deferral,
    DeferralReason,
    EntryKind,
    ExceptionKind,
    Export,
    GradeReview,
    ItemOutcome,
    Payment,
    PaymentBatch,
    Priority,
    ReconciliationException,
    ReturnImport,
)

ZERO = Decimal("0.00")
SOURCES = ledger.SOURCES
RATIO_MARGIN = Decimal("0.15")  # R19: percentage points above the grade's calculation ratio
MUNICIPAL_RATIO_ALERT = Decimal("0.50")  # R19
RATIO_ALERT = "ratio_alert"


class PaymentError(ApplicationError):
    """A refusal about money, shown to the user, with the rule it enforces."""


def _today() -> date:
    return timezone.localdate()


def amounts_of(application: Application) -> dict[str, Decimal]:
    return {
        FundSource.CENTRAL: application.central_amount or ZERO,
        FundSource.MUNICIPAL: application.municipal_amount or ZERO,
        FundSource.DISTRICT: application.district_amount or ZERO,
    }


def split_text(amounts: dict[str, Decimal]) -> str:
    """ "central 15,300.00 yuan, municipal 3,000.00 yuan, district 0.00 yuan" in the current language."""
    return _("central funds %(c)s yuan, municipal funds %(m)s yuan, district funds %(d)s yuan") % {
        "c": format_yuan(amounts[FundSource.CENTRAL]),
        "m": format_yuan(amounts[FundSource.MUNICIPAL]),
        "d": format_yuan(amounts[FundSource.DISTRICT]),
    }


def subsidy_text(application: Application) -> str:
    """ "Your subsidy: 18,300.00 yuan (central funds …, municipal funds …, district funds …)." in the current language:
    what the buyer gets, said in every message about money."""
    return _("Your subsidy: %(total)s yuan (%(split)s).") % {
        "total": format_yuan(application.total_amount),
        "split": split_text(amounts_of(application)),
    }


def _ensure_city_finance(user) -> None:
    if not user.is_authenticated or user.role != Role.CITY_FINANCE:
        raise PermissionDenied(_("Only the municipal finance bureau moves funds between and into districts."))


def _ensure_district_finance(user, district_id: int) -> None:
    """The district's own finance officers act on its payments; anyone else does not find them (404)."""
    if not user.is_authenticated or user.role != Role.DISTRICT_FINANCE or user.district_id != district_id:
        if user.is_authenticated and user.role == Role.CITY_FINANCE:
            raise PermissionDenied(_("Payments are made by the district's finance officers."))
        raise Http404


def _reason(reason: str, rule: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise PaymentError(_("Give the reason; it is kept on record."), rule=rule)
    return reason


def _positive(amount) -> Decimal:
    amount = yuan(amount)
    if amount <= 0:
        raise PaymentError(_("The amount must be more than zero."), rule="R21")
    return amount


# --- The ledger: the municipal finance bureau's entries (R21–R23) ------------------------------------------------


def allocate(*, district: District, year: int, source: str, amount, actor, reason: str, document: str = ""):
    """下达: put money in a district's year and source; pre-registrations it now covers are released (R31, R37)."""
    _ensure_city_finance(actor)
    amount = _positive(amount)
    reason = _reason(reason, "R21")
    with transaction.atomic():
        funds = ledger.lock_funds(district, year)
        entry = ledger.append(
            funds[source], kind=EntryKind.ALLOCATION, amount=amount, actor=actor, reason=reason, document=document
        )
        release_preregistrations(district=district, year=year, funds_locked=True)
    return entry


def cut(*, district: District, year: int, source: str, amount, actor, reason: str, document: str = ""):
    """R23: the municipality cuts a district's budget; never below what is available (reserved money stays)."""
    _ensure_city_finance(actor)
    amount = _positive(amount)
    reason = _reason(reason, "R23")
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
    _ensure_city_finance(actor)
    amount = _positive(amount)
    reason = _reason(reason, "R23")
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
    _ensure_city_finance(actor)
    amount = _positive(amount)
    reason = _reason(reason, "R22")
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


# --- Submission: caps and alerts, and pre-registration (R9, R16, R19, R24, R31) ---------------------------------


def cap_for(buyer, district, on: date) -> tuple[Decimal, CapLifting | None]:
    """R24: the buyer's annual cap in force, and the district's published lifting rule when one applies."""
    kind = BuyerCap.Kind.INDIVIDUAL if buyer.buyer_kind in ("", BuyerKind.INDIVIDUAL) else BuyerCap.Kind.ORGANISATION
    lifting = (
        CapLifting.objects.filter(district=district, buyer_kind=kind, valid_from__lte=on)
        .exclude(valid_to__lte=on)
        .order_by("-valid_from")
        .first()
    )
    row = BuyerCap.objects.filter(buyer_kind=kind, valid_from__lte=on).order_by("-valid_from").first()
    cap = row.amount if row else Decimal("500000.00" if kind == BuyerCap.Kind.INDIVIDUAL else "5000000.00")
    if lifting and lifting.amount > cap:
        return lifting.amount, lifting
    return cap, None


def granted_this_year(buyer, year: int, *, excluding: int | None = None) -> Decimal:
    """What a buyer has applied for or been granted in a year, across applications and fund sources (R24)."""
    apps = Application.objects.filter(buyer=buyer, year=year).exclude(state__in=[*NOT_LIVE, State.CLAWED_BACK])
    if excluding:
        apps = apps.exclude(pk=excluding)
    return apps.aggregate(total=Sum("total_amount"))["total"] or ZERO


def check_submission(application: Application, *, on: date) -> dict:
    """Refuse a submission above the buyer's annual cap (R24) or a complete set above the central limit (R16).
    Returns what to keep in the application's snapshot: the cap that applied and any lifting rule."""
    cap, lifting = cap_for(application.buyer, application.district, on)
    granted = granted_this_year(application.buyer, application.year, excluding=application.pk)
    remaining = max(cap - granted, ZERO)
    if application.total_amount > remaining:
        raise PaymentError(
            _(
                "Above the annual cap: a buyer may receive at most %(cap)s yuan a year; %(granted)s yuan is already "
                "applied for or granted this year, so %(remaining)s yuan remains and this application asks %(asked)s."
            )
            % {
                "cap": format_yuan(cap),
                "granted": format_yuan(granted),
                "remaining": format_yuan(remaining),
                "asked": format_yuan(application.total_amount),
            },
            rule="R24",
        )
    if application.snapshot.get("item", {}).get("is_complete_set"):
        limit = rules_in_force(on=on).limit(LimitKind.COMPLETE_SET_CENTRAL)
        if limit is not None and (application.central_amount or ZERO) > limit:
            raise PaymentError(
                _("Central funds for a complete set are at most %(limit)s yuan a set.") % {"limit": format_yuan(limit)},
                rule="R16",
            )
    return {
        "cap": str(cap),
        "granted_before": str(granted),
        "lifting": {"id": lifting.pk, "document": lifting.document} if lifting else None,
    }


def raise_ratio_alert(application: Application) -> Warning | None:
    """R19: central ÷ invoice price above the grade's calculation ratio + 15 points, or municipal ÷ price above 50%:
    a warning on the application (payment waits until it is cleared) and the grade flagged for re-evaluation."""
    price = application.invoice_price
    if not price:
        return None
    amounts = application.snapshot.get("amounts", {})
    central_ratio = Decimal(amounts.get("central", {}).get("ratio", "0") or "0")
    reasons = []
    central = (application.central_amount or ZERO) / price
    municipal = (application.municipal_amount or ZERO) / price
    if central_ratio and central > central_ratio + RATIO_MARGIN:
        reasons.append(
            _("central funds are %(actual).1f%% of the invoice price; the grade's ratio is %(ratio).1f%%")
            % {"actual": central * 100, "ratio": central_ratio * 100}
        )
    if municipal > MUNICIPAL_RATIO_ALERT:
        reasons.append(_("municipal funds are %(actual).1f%% of the invoice price") % {"actual": municipal * 100})
    if not reasons:
        return None
    message = (_("Ratio alert: %(reasons)s.") % {"reasons": "; ".join(reasons)})[:300]
    warning, _created = Warning.objects.get_or_create(
        application=application, code=RATIO_ALERT, cleared_at=None, defaults={"rule": "R19", "message": message}
    )
    grade_id = application.snapshot.get("grade", {}).get("id")
    if grade_id:
        GradeReview.objects.get_or_create(
            grade=Grade.objects.get(pk=grade_id), application=application, defaults={"reason": message}
        )
    return warning


def _pending_claims(district, year: int, *, excluding: int | None = None) -> dict[str, Decimal]:
    """Money that entered applications will take but that is not reserved yet (submitted, not yet accepted)."""
    apps = Application.objects.filter(district=district, year=year, state=State.SUBMITTED)
    if excluding:
        apps = apps.exclude(pk=excluding)
    sums = apps.aggregate(c=Sum("central_amount"), m=Sum("municipal_amount"), d=Sum("district_amount"))
    return {
        FundSource.CENTRAL: sums["c"] or ZERO,
        FundSource.MUNICIPAL: sums["m"] or ZERO,
        FundSource.DISTRICT: sums["d"] or ZERO,
    }


def _covers(application: Application, available: dict, pending: dict) -> bool:
    need = amounts_of(application)
    return all(available[s] - pending[s] >= need[s] for s in SOURCES)


def funds_cover(application: Application) -> bool:
    """R31: whether the district's available funds (carry-over and reallocations included), less what submitted
    applications will take, cover this application in every fund source. A district's year the municipality has
    not funded yet is not counted (no allocation: nothing to exhaust); nor can an application pass others waiting."""
    district, year = application.district, application.year
    if not ledger.is_funded(district, year):
        return True
    waiting = Application.objects.filter(district=district, year=year, state=State.PREREGISTERED).exclude(
        pk=application.pk
    )
    if waiting.exists():
        return False
    ledger.lock_funds(district, year)
    return _covers(
        application,
        ledger.available_by_source(district, year),
        _pending_claims(district, year, excluding=application.pk),
    )


def on_submission(application: Application, *, actor) -> None:
    """Called by ``submit_application`` after the state change, in its transaction: R19's alert, and R31's
    pre-registration when the funds do not cover the application."""
    raise_ratio_alert(application)
    if not funds_cover(application):
        application.preregister()
        application.save()


def reserve(application: Application, *, actor) -> None:
    """On acceptance (the application row locked by the caller): hold its amounts in the ledger, per source."""
    funds = ledger.lock_funds(application.district, application.year)
    held = _held(application)
    for source, amount in amounts_of(application).items():
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
            from .models import Fund

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
    year first, then the municipality's priority items and grades; stop at the first one not covered, so no later
    entry passes an earlier one."""
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
        pending = _pending_claims(district, year)
        today = _today()
        for application in waiting:
            if not _covers(application, available, pending):
                break
            application.release_preregistration()
            application.save()
            events.record(application, action=EventAction.RELEASE, from_state=State.PREREGISTERED)
            deadlines.start(application, Step.ACCEPT, on=today)
            for source, amount in amounts_of(application).items():
                pending[source] += amount
            with override(language_for(application.buyer)):
                tell_buyer(
                    application,
                    _("Application %(number)s: funds have arrived") % {"number": application.number},
                    _(
                        "Your pre-registered application is now with the district, "
                        "which accepts it within 2 working days. %(subsidy)s"
                    )
                    % {"subsidy": subsidy_text(application)},
                )
            released.append(application)
    return released


# --- Payment requests, batches, the treasury's files (R36) -------------------------------------------------------


def clear_ratio_alert(*, application_id: int, officer, finding: str) -> Application:
    """R19: the district clears the alert with district finance (who and why recorded); cleared without a violation,
    the application is paid as applied."""
    finding = _reason(finding, "R19")
    with transaction.atomic():
        application = locked_application(application_id)
        _ensure_district_finance(officer, application.district_id)
        warning = (
            Warning.objects.select_for_update()
            .filter(application=application, code=RATIO_ALERT, cleared_at__isnull=True)
            .first()
        )
        if warning is None:
            raise PaymentError(_("This application has no open ratio alert."), rule="R19")
        warning.cleared_at, warning.cleared_by, warning.clear_reason = timezone.now(), officer, finding
        warning.save(update_fields=["cleared_at", "cleared_by", "clear_reason"])
        events.record(
            application,
            action=EventAction.RATIO_CLEARED,
            actor=officer,
            from_state=application.state,
            reason=finding,
            data={"warning": warning.pk},
        )
    return application


def _innovation_room(district, year: int) -> Decimal | None:
    """R9: what central money innovation products may still use in the district's year (None: no ceiling)."""
    if not CatalogueLimit.objects.filter(kind=LimitKind.INNOVATION_CENTRAL_SHARE).exists():
        return None
    central = ledger.balance_of(district, year, FundSource.CENTRAL).received
    ceiling = innovation_central_ceiling(year=year, central_funds=central)
    innovative = InnovationListing.objects.filter(year=year, strategic=False).values("item_id")
    used = (
        Payment.objects.filter(
            application__district=district, application__year=year, application__product__item_id__in=innovative
        ).aggregate(t=Sum("central"))["t"]
        or ZERO
    )
    waiting = (
        BatchItem.objects.filter(
            outcome=ItemOutcome.PENDING,
            application__district=district,
            application__year=year,
            application__product__item_id__in=innovative,
        ).aggregate(t=Sum("central"))["t"]
        or ZERO
    )
    return ceiling - used - waiting


def _defer(application: Application, *, reason: str, officer, note: str = "", expected: str = "") -> Deferral:
    before = application.state
    application.defer_payment()
    application.save()
    deadlines.pause_all(application, on=timezone.localdate())  # the 15 working days wait while the reason holds
    deferral = Deferral.objects.create(application=application, reason=reason, note=note, expected=expected, by=officer)
    events.record(
        application,
        action=EventAction.DEFER,
        actor=officer,
        from_state=before,
        reason=note or str(DeferralReason(reason).label),
        data={"reason": reason, "expected": expected},
    )
    with override(language_for(application.buyer)):
        tell_buyer(
            application,
            _("Payment of application %(number)s deferred") % {"number": application.number},
            _(
                "Why: %(reason)s. %(note)s When it may be paid: %(expected)s. It is paid first when the reason "
                "clears. %(subsidy)s"
            )
            % {
                "reason": DeferralReason(reason).label,
                "note": note,
                "expected": expected or _("as soon as the reason clears"),
                "subsidy": subsidy_text(application),
            },
        )
    return deferral


def build_batch(*, officer, application_ids) -> PaymentBatch:
    """支付批次: gather requested payments of the officer's district. An open ratio alert (R19) refuses the
    application; one that would pass the innovation products' ceiling (R9) is deferred with that reason instead."""
    ids = sorted({int(i) for i in application_ids})
    if not ids:
        raise PaymentError(_("Choose at least one payment request."), rule="R36")
    if officer.role != Role.DISTRICT_FINANCE:
        raise PermissionDenied(_("Payments are made by the district's finance officers."))
    today = _today()
    with transaction.atomic():
        apps = list(
            Application.objects.select_for_update(of=("self",))
            .select_related("district", "buyer", "product")
            .filter(pk__in=ids, district_id=officer.district_id)
            .order_by("pk")
        )
        if len(apps) != len(ids):
            raise Http404
        # Everything the checks need, read once for the whole batch: a constant number of queries however many.
        in_batch = set(
            BatchItem.objects.filter(application__in=apps, outcome=ItemOutcome.PENDING).values_list(
                "application_id", flat=True
            )
        )
        alerted = set(
            Warning.objects.filter(application__in=apps, code=RATIO_ALERT, cleared_at__isnull=True).values_list(
                "application_id", flat=True
            )
        )
        paid = {  # (buyer, year) -> paid so far; this batch's own requests are added as they are checked
            (row["application__buyer_id"], row["application__year"]): row["total"]
            for row in Payment.objects.filter(
                application__buyer__in={a.buyer_id for a in apps}, application__year__in={a.year for a in apps}
            )
            .values("application__buyer_id", "application__year")
            .annotate(total=Sum("total"))
            .order_by()
        }
        caps: dict = {}  # (district, buyer kind) -> cap: the rows do not depend on the buyer otherwise
        for app in apps:
            if app.state != State.PAYMENT_REQUESTED:
                raise PaymentError(
                    _("%(number)s is not waiting for payment (%(state)s).")
                    % {"number": app.number, "state": app.get_state_display()},
                    rule="R36",
                )
            if app.pk in in_batch:
                raise PaymentError(_("%(number)s is already in a batch.") % {"number": app.number}, rule="R36")
            key = (app.district_id, app.buyer.buyer_kind or BuyerKind.INDIVIDUAL)
            if key not in caps:
                caps[key] = cap_for(app.buyer, app.district, today)[0]
            cap, so_far = caps[key], paid.get((app.buyer_id, app.year), ZERO)
            if so_far + app.total_amount > cap:
                raise PaymentError(
                    _(
                        "%(number)s would take the buyer past the annual cap of %(cap)s yuan: %(paid)s yuan is paid "
                        "this year, %(remaining)s yuan remains."
                    )
                    % {
                        "number": app.number,
                        "cap": format_yuan(cap),
                        "paid": format_yuan(so_far),
                        "remaining": format_yuan(max(cap - so_far, ZERO)),
                    },
                    rule="R24",
                )
            paid[(app.buyer_id, app.year)] = so_far + app.total_amount
            if app.pk in alerted:
                raise PaymentError(
                    _("%(number)s has a ratio alert the district has not cleared with district finance.")
                    % {"number": app.number},
                    rule="R19",
                )
        batch = PaymentBatch.objects.create(
            number=f"tmp-{uuid.uuid4().hex[:28]}", district_id=officer.district_id, built_by=officer
        )
        batch.number = f"ZF{apps[0].district.code}-{today:%Y%m%d}-{batch.pk:05d}"
        batch.save(update_fields=["number"])
        innovative = set(
            InnovationListing.objects.filter(year__in={a.year for a in apps}, strategic=False).values_list(
                "year", "item_id"
            )
        )
        rooms: dict = {}  # (district, year) -> central money innovation products may still use (R9)
        items = []
        for app in apps:
            amounts = amounts_of(app)
            item_id = app.snapshot.get("item", {}).get("id") or (app.product and app.product.item_id)
            if (app.year, item_id) in innovative:
                where = (app.district_id, app.year)
                if where not in rooms:
                    rooms[where] = _innovation_room(app.district, app.year)
                room = rooms[where]
                if room is not None and amounts[FundSource.CENTRAL] > room:
                    _defer(
                        app,
                        reason=DeferralReason.INNOVATION_CEILING,
                        officer=officer,
                        note=_("Central funds left for innovation products this year: %(room)s yuan.")
                        % {"room": format_yuan(max(room, ZERO))},
                    )
                    continue
                if room is not None:
                    rooms[where] = room - amounts[FundSource.CENTRAL]
            items.append(
                BatchItem(
                    batch=batch,
                    application=app,
                    central=amounts[FundSource.CENTRAL],
                    municipal=amounts[FundSource.MUNICIPAL],
                    district_amount=amounts[FundSource.DISTRICT],
                    total=app.total_amount,
                )
            )
        BatchItem.objects.bulk_create(items)
        included = len(items)
        if not included:
            raise PaymentError(
                _("No application could be included: each would pass the innovation products' ceiling."), rule="R9"
            )
    return batch


def _locked_batch(batch_id: int, officer) -> PaymentBatch:
    batch = PaymentBatch.objects.select_for_update().select_related("district").filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    _ensure_district_finance(officer, batch.district_id)
    return batch


def approve_batch(*, batch_id: int, officer) -> PaymentBatch:
    """Four-eyes (R36, R45): a second finance officer of the district approves; never the one who built it (the
    database refuses it too). Approving pays nothing yet and reserves nothing twice."""
    with transaction.atomic():
        batch = _locked_batch(batch_id, officer)
        if batch.state != BatchState.BUILT:
            raise PaymentError(_("This batch is not waiting for approval."), rule="R36")
        if batch.built_by_id == officer.pk:
            raise PaymentError(_("You built this batch; a second finance officer must approve it."), rule="R36")
        if refusal := four_eyes_refusal(approver=officer, builder_id=batch.built_by_id):  # no shadow approver
            raise PaymentError(refusal, rule="R36")
        batch.state, batch.approved_by, batch.approved_at = BatchState.APPROVED, officer, timezone.now()
        batch.save(update_fields=["state", "approved_by", "approved_at"])
    return batch


def export_batch(*, batch_id: int, officer, file_format: str, layout: str = "default") -> tuple[str, bytes, str]:
    """The approved batch as the treasury's file (full account numbers: each export is recorded). Returns
    (file name, content, content type)."""
    if file_format not in ("xlsx", "csv"):
        raise PaymentError(_("Choose XLSX or CSV."), rule="R36")
    chosen = adapters.layout_named(layout)
    with transaction.atomic():
        batch = _locked_batch(batch_id, officer)
        if batch.state not in (BatchState.APPROVED, BatchState.EXPORTED, BatchState.CLOSED):
            raise PaymentError(_("A batch is exported only after a second officer approves it."), rule="R36")
        items = list(
            batch.items.exclude(outcome=ItemOutcome.REMOVED)
            .select_related("application")
            .order_by("application__number")
        )
        rows = adapters.payment_rows(chosen, batch, items)
        if file_format == "xlsx":
            content, content_type = (
                adapters.to_xlsx(rows, batch.number),
                ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            )
        else:
            content, content_type = adapters.to_csv(rows), "text/csv; charset=utf-8"
        Export.objects.create(
            batch=batch,
            layout=chosen.name,
            file_format=file_format,
            rows=len(items),
            sha256=hashlib.sha256(content).hexdigest(),
            by=officer,
        )
        if batch.state == BatchState.APPROVED:
            batch.state = BatchState.EXPORTED
            batch.save(update_fields=["state"])
    return f"{batch.number}.{file_format}", content, content_type


def _payment_entries(application: Application, item: BatchItem, *, officer, batch, voucher: str) -> None:
    """The payment entries, split by fund source (R21). Where central or municipal money is short, district money
    is advanced for the difference (R22): the buyer is paid in full and the municipality settles it later."""
    funds = ledger.lock_funds(application.district, application.year)
    available = ledger.available_by_source(application.district, application.year)
    for source, amount in (
        (FundSource.CENTRAL, item.central),
        (FundSource.MUNICIPAL, item.municipal),
        (FundSource.DISTRICT, item.district_amount),
    ):
        if amount <= 0:
            continue
        covered = amount if source == FundSource.DISTRICT else max(min(amount, available[source]), ZERO)
        if covered > 0:
            ledger.append(
                funds[source],
                kind=EntryKind.PAYMENT,
                amount=-covered,
                actor=officer,
                application=application,
                batch=batch,
                document=voucher,
                reason=application.number,
            )
        if amount > covered:
            ledger.append(
                funds[FundSource.DISTRICT],
                kind=EntryKind.ADVANCE,
                amount=-(amount - covered),
                actor=officer,
                application=application,
                batch=batch,
                document=voucher,
                reason=_("District money advanced for short %(source)s funds") % {"source": FundSource(source).label},
            )


def _pay(item: BatchItem, *, voucher: str, officer, batch: PaymentBatch, on: date) -> Payment:
    """Mark the application paid and write its payment entries, split by fund source (R21, R36)."""
    application = item.application
    with transaction.atomic():  # a savepoint: a voucher taken by another row rolls back only this row
        payment = Payment.objects.create(
            application=application,
            voucher=voucher,
            batch=batch,
            central=item.central,
            municipal=item.municipal,
            district_amount=item.district_amount,
            total=item.total,
            paid_on=on,
            recorded_by=officer,
        )
        before = application.state
        release(
            application, actor=officer, reason=_("paid under voucher %(voucher)s") % {"voucher": voucher}, batch=batch
        )
        _payment_entries(application, item, officer=officer, batch=batch, voucher=voucher)
        application.pay()
        application.save()
        deadlines.meet(application, Step.PAY)
        item.outcome = ItemOutcome.PAID
        item.save(update_fields=["outcome"])
        Deferral.objects.filter(application=application, ended_at__isnull=True).update(ended_at=timezone.now())
        amounts = {
            FundSource.CENTRAL: item.central,
            FundSource.MUNICIPAL: item.municipal,
            FundSource.DISTRICT: item.district_amount,
        }
        with override(language_for(application.buyer)):  # the timeline shows the reason to the buyer
            paid_text = _("%(total)s yuan paid (%(split)s); treasury voucher %(voucher)s.") % {
                "total": format_yuan(item.total),
                "split": split_text(amounts),
                "voucher": voucher,
            }
        events.record(
            application,
            action=EventAction.PAY,
            actor=officer,
            from_state=before,
            reason=paid_text,
            data={"voucher": voucher, "batch": batch.number, "total": str(item.total)},
        )
        with override(language_for(application.buyer)):
            tell_buyer(
                application,
                _("Application %(number)s paid") % {"number": application.number},
                _("%(total)s yuan was paid to your account (%(split)s); treasury voucher %(voucher)s.")
                % {"total": format_yuan(item.total), "split": split_text(amounts), "voucher": voucher},
            )
    return payment


def _fail(item: BatchItem, *, reason: str, officer, batch: PaymentBatch) -> None:
    application = item.application
    item.outcome, item.failure_reason = ItemOutcome.FAILED, reason[:300]
    item.save(update_fields=["outcome", "failure_reason"])
    events.record(
        application,
        action=EventAction.PAYMENT_FAILED,
        actor=officer,
        from_state=application.state,
        reason=reason,
        data={"batch": batch.number},
    )
    with override(language_for(application.buyer)):
        tell_buyer(
            application,
            _("Payment of application %(number)s failed") % {"number": application.number},
            _(
                "The treasury could not pay: %(reason)s. Please check and correct your card or account details. "
                "%(subsidy)s"
            )
            % {"reason": reason, "subsidy": subsidy_text(application)},
            link=reverse("apply_payment:account", args=[application.pk]),
        )


def import_return(*, batch_id: int, officer, data: bytes, file_name: str, layout: str = "default") -> ReturnImport:
    """The treasury's return file: paid rows (voucher) pay; failed rows go back to the queue with the reason; rows
    that match no request, differ in amount, repeat a voucher or an application already paid are reconciliation
    exceptions, never applied. Importing the same file twice pays nothing twice (the batch is locked, and the
    database holds one payment per application and per voucher)."""
    rows = adapters.read_return(adapters.layout_named(layout), data, file_name)
    today = _today()
    with transaction.atomic():
        batch = _locked_batch(batch_id, officer)
        if batch.state not in (BatchState.EXPORTED, BatchState.CLOSED):
            raise PaymentError(_("Export the batch to the treasury before importing its return file."), rule="R36")
        record = ReturnImport.objects.create(
            batch=batch, file_name=file_name[:200], sha256=hashlib.sha256(data).hexdigest(), by=officer
        )
        items = {
            item.application.number: item
            for item in batch.items.select_related("application").exclude(outcome=ItemOutcome.REMOVED)
        }
        seen_in_file: set[str] = set()

        def exception(row, kind, application=None):
            ReconciliationException.objects.create(
                return_import=record,
                row=row.number,
                kind=kind,
                application=application,
                voucher=row.voucher,
                data=row.raw,
            )
            record.exceptions += 1

        for row in rows:
            item = items.get(row.application)
            if not row.status or (row.batch and row.batch != batch.number):
                exception(row, ExceptionKind.UNREADABLE if not row.status else ExceptionKind.UNMATCHED)
                continue
            if item is None:
                exception(row, ExceptionKind.UNMATCHED)
                continue
            application = locked_application(item.application_id)
            item.application = application
            item.refresh_from_db(fields=["outcome"])
            if row.status == "failed":
                if item.outcome != ItemOutcome.PENDING:
                    exception(row, ExceptionKind.ALREADY_PAID, application)
                    continue
                _fail(item, reason=row.reason or _("no reason given"), officer=officer, batch=batch)
                record.failed += 1
                continue
            if row.amount is None or row.amount != item.total:
                exception(row, ExceptionKind.AMOUNT_DIFFERS, application)
                continue
            if not row.voucher or row.voucher in seen_in_file or Payment.objects.filter(voucher=row.voucher).exists():
                exception(row, ExceptionKind.VOUCHER_SEEN, application)
                continue
            seen_in_file.add(row.voucher)
            if item.outcome != ItemOutcome.PENDING or application.state not in (
                State.PAYMENT_REQUESTED,
                State.PAYMENT_DEFERRED,
            ):
                exception(row, ExceptionKind.ALREADY_PAID, application)
                continue
            try:
                _pay(item, voucher=row.voucher, officer=officer, batch=batch, on=today)
            except IntegrityError:
                exception(row, ExceptionKind.VOUCHER_SEEN, application)
                continue
            record.paid += 1
        record.save(update_fields=["paid", "failed", "exceptions"])
        if not batch.items.filter(outcome=ItemOutcome.PENDING).exists():
            batch.state = BatchState.CLOSED
            batch.save(update_fields=["state"])
    return record


def resolve_exception(*, exception_id: int, officer, resolution: str) -> ReconciliationException:
    resolution = _reason(resolution, "R45")
    with transaction.atomic():
        row = (
            ReconciliationException.objects.select_for_update(of=("self",))
            .select_related("return_import__batch")
            .filter(pk=exception_id)
            .first()
        )
        if row is None:
            raise Http404
        _ensure_district_finance(officer, row.return_import.batch.district_id)
        if row.resolved_at:
            raise PaymentError(_("This exception is already resolved."), rule="R45")
        row.resolved_at, row.resolved_by, row.resolution = timezone.now(), officer, resolution
        row.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return row


# --- Deferral and claw-back (R36–R38, R45) -------------------------------------------------------------------------


def defer_payment(*, application_id: int, officer, reason: str, note: str = "", expected: str = "") -> Deferral:
    """R36: a payment must wait (funds short, investigation, year end): the buyer is told why and when."""
    if reason not in DeferralReason.values:
        raise PaymentError(_("Choose why the payment waits."), rule="R36")
    with transaction.atomic():
        application = locked_application(application_id)
        _ensure_district_finance(officer, application.district_id)
        if application.state != State.PAYMENT_REQUESTED:
            raise PaymentError(_("Only a requested payment can be deferred."), rule="R36")
        if BatchItem.objects.filter(application=application, outcome=ItemOutcome.PENDING).exists():
            raise PaymentError(_("It is in a batch with the treasury; wait for the return file."), rule="R36")
        return _defer(application, reason=reason, officer=officer, note=note.strip(), expected=expected.strip())


def resume_payment(*, application_id: int, officer, note: str = "") -> Application:
    """The reason cleared: back to the queue, ahead of requests that never waited (R36, R37)."""
    with transaction.atomic():
        application = locked_application(application_id)
        _ensure_district_finance(officer, application.district_id)
        if application.state != State.PAYMENT_DEFERRED:
            raise PaymentError(_("This payment is not deferred."), rule="R36")
        _resume(application, actor=officer, note=note)
    return application


def _resume(application: Application, *, actor, note: str) -> None:
    application.resume_payment()
    application.save()
    deadlines.resume_all(application, on=timezone.localdate())
    Deferral.objects.filter(application=application, ended_at__isnull=True).update(ended_at=timezone.now())
    events.record(application, action=EventAction.RESUME, actor=actor, from_state=State.PAYMENT_DEFERRED, reason=note)


def claw_back(*, application_id: int, officer, amount, decision_document: str, reason: str) -> ClawBack:
    """R38, R45: a paid application found in violation: the amount to recover, the decision and who decided."""
    amount = _positive(amount)
    reason = _reason(reason, "R45")
    document = _reason(decision_document, "R45")
    with transaction.atomic():
        application = locked_application(application_id)
        _ensure_district_finance(officer, application.district_id)
        if application.state != State.PAID:
            raise PaymentError(_("Only a paid application can be clawed back."), rule="R38")
        if amount > application.payment.total:
            raise PaymentError(_("More than was paid cannot be recovered."), rule="R38")
        record = ClawBack.objects.create(
            application=application, amount=amount, decision_document=document, reason=reason, decided_by=officer
        )
        application.claw_back()
        application.save()
        events.record(
            application,
            action=EventAction.CLAW_BACK,
            actor=officer,
            from_state=State.PAID,
            reason=reason,
            data={"amount": str(amount), "document": document},
        )
        with override(language_for(application.buyer)):
            tell_buyer(
                application,
                _("Subsidy of application %(number)s to be repaid") % {"number": application.number},
                _("Decision %(document)s: %(amount)s yuan is to be repaid. Reason: %(reason)s")
                % {"document": document, "amount": format_yuan(amount), "reason": reason},
            )
    return record


def record_recovery(*, application_id: int, officer, amount, document: str = "") -> list:
    """The recovered money, when received, is a ledger entry per fund source (central first, as far as it was paid)."""
    amount = _positive(amount)
    with transaction.atomic():
        application = locked_application(application_id)
        _ensure_district_finance(officer, application.district_id)
        if application.state != State.CLAWED_BACK:
            raise PaymentError(_("Only a clawed-back application has money to recover."), rule="R38")
        recovered = (
            ledger.LedgerEntry.objects.filter(application=application, kind=EntryKind.RECOVERY).aggregate(
                t=Sum("amount")
            )["t"]
            or ZERO
        )
        if recovered + amount > application.claw_back_record.amount:
            raise PaymentError(
                _("Only %(left)s yuan is left to recover.")
                % {"left": format_yuan(application.claw_back_record.amount - recovered)},
                rule="R38",
            )
        payment = application.payment
        funds = ledger.lock_funds(application.district, application.year)
        before = {
            row["fund__source"]: row["t"]
            for row in ledger.LedgerEntry.objects.filter(application=application, kind=EntryKind.RECOVERY)
            .values("fund__source")
            .annotate(t=Sum("amount"))
            .order_by()
        }
        entries, left = [], amount
        for source, paid in (
            (FundSource.CENTRAL, payment.central),
            (FundSource.MUNICIPAL, payment.municipal),
            (FundSource.DISTRICT, payment.district_amount),
        ):
            part = min(left, paid - before.get(source, ZERO))
            if part > 0:
                entries.append(
                    ledger.append(
                        funds[source],
                        kind=EntryKind.RECOVERY,
                        amount=part,
                        actor=officer,
                        application=application,
                        document=document or application.claw_back_record.decision_document,
                        reason=application.number,
                    )
                )
                left -= part
    return entries


# --- Year end (R23, R37) --------------------------------------------------------------------------------------------


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
    from .models import Rollover

    _lock_year(day.year, shared=True)
    return day.year + 1 if Rollover.objects.filter(year=day.year).exists() else day.year


def _held_in_year(applications, year: int) -> dict[str, Decimal]:
    """What these applications hold in the year's funds, per source."""
    out = dict.fromkeys(SOURCES, ZERO)
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
    from applications.services import carry_into_next_year
    from applications.workflow import CARRIED_AT_YEAR_END, RESERVED

    from .models import Fund, Rollover

    if year > _today().year:
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
                held = dict.fromkeys(SOURCES, ZERO)  # released below: the balance then includes it
                for application in apps:
                    release(application, actor=actor, reason=_("Carried into %(year)s (R37)") % {"year": year + 1})
            available = ledger.available_by_source(district, year)
            for source in SOURCES:
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
                    _resume(application, actor=actor, note=reason_cleared)
        if not dry_run:
            Rollover.objects.create(
                year=year, by=actor if getattr(actor, "is_authenticated", False) else None, summary=plan
            )
            for district in districts:
                release_preregistrations(district=district, year=year + 1)
    return plan


def correct_account(*, application_id: int, buyer, payee_name: str, bank_name: str, account_number: str) -> Application:
    """R36: the treasury could not pay (e.g. a wrong card number); the buyer corrects the account, and the request
    is back in district finance's queue with the new details."""
    payee_name, bank_name = (payee_name or "").strip(), (bank_name or "").strip()
    account = "".join((account_number or "").split())
    if not (payee_name and bank_name and account.isdigit() and 8 <= len(account) <= 32):
        raise PaymentError(_("Enter the account holder, the bank and the card or account number (digits)."), rule="R36")
    with transaction.atomic():
        application = locked_application(application_id)
        if application.buyer_id != buyer.pk:
            raise Http404
        last = BatchItem.objects.filter(application=application).order_by("-id").first()
        if application.state != State.PAYMENT_REQUESTED or last is None or last.outcome != ItemOutcome.FAILED:
            raise PaymentError(_("The account can be corrected only after the treasury could not pay."), rule="R36")
        application.payee_name, application.bank_name = payee_name, bank_name
        application.account_number = account
        application.save(update_fields=["payee_name", "bank_name", "account_encrypted", "account_index", "updated_at"])
        events.record(
            application,
            action=EventAction.ACCOUNT_CORRECTED,
            actor=buyer,
            from_state=application.state,
            data={"bank": bank_name, "account": application.account_masked},
        )
    return application
