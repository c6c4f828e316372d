"""Reads for /finance/, scoped to the user (accounts.scope): a district's finance sees its own district, the
municipal finance bureau every district; anything else is not found (404)."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, FilteredRelation, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import scope
from accounts.models import BuyerKind, District
from applications.models import Application, Kind, Step, Warning
from applications.workflow import CARRIED_AT_YEAR_END, NOT_LIVE, RESERVED, State
from catalog.models import CatalogueLimit, FundSource, InnovationListing, LimitKind
from catalog.rules import innovation_central_ceiling
from workdays.calendar import set_days_left

from . import ledger
from .errors import PaymentError
from .models import (
    BatchItem,
    BuyerCap,
    CapLifting,
    Deferral,
    EntryKind,
    Fund,
    ItemOutcome,
    LedgerEntry,
    Payment,
    PaymentBatch,
    ReconciliationException,
    Rollover,
    YearEndRequest,
)


def funds_for(user) -> QuerySet[Fund]:
    return scope.scoped(user, Fund.objects.select_related("district"), district="district")


def balances_for(user, *, year: int | None = None) -> list[ledger.Balance]:
    funds = funds_for(user)
    if year:
        funds = funds.filter(year=year)
    return ledger.balances(funds)


def fund_for(*, user, pk: int) -> Fund:
    return scope.get_or_404(funds_for(user), pk=pk)


def entries_of(fund: Fund) -> QuerySet[LedgerEntry]:
    return fund.entries.select_related("actor", "application", "batch").order_by("-at", "-id")


def applications_for(user) -> QuerySet[Application]:
    return scope.scoped(user, Application.objects.all(), district="district")


def application_for(*, user, pk: int) -> Application:
    return scope.get_or_404(
        applications_for(user)
        .exclude(state=State.DRAFT)
        .select_related("buyer", "district", "product__item", "product__grade"),
        pk=pk,
    )


def payment_queue(*, user) -> QuerySet[Application]:
    """R36: requested payments not in a batch with the treasury; those that waited (deferred before, or carried from
    an earlier year, R37) first, then in order of request (the 15-working-day clock the request started, joined
    rather than looked up row by row). Each row gets ``pay_due``, ``was_deferred`` and ``ratio_alert``."""
    pending = BatchItem.objects.filter(application=OuterRef("pk"), outcome=ItemOutcome.PENDING)
    return (
        applications_for(user)
        .filter(state=State.PAYMENT_REQUESTED)
        .annotate(
            pay=FilteredRelation("deadlines", condition=Q(deadlines__step=Step.PAY, deadlines__met_at__isnull=True))
        )
        .annotate(
            pay_due=F("pay__due_on"),
            in_batch=Exists(pending),
            was_deferred=Exists(Deferral.objects.filter(application=OuterRef("pk"))),
            ratio_alert=Exists(
                Warning.objects.filter(application=OuterRef("pk"), code="ratio_alert", cleared_at__isnull=True)
            ),
        )
        .filter(in_batch=False)
        .select_related("buyer", "district", "product__item", "product__grade")
        .order_by(
            F("was_deferred").desc(),
            F("carried_from").asc(nulls_last=True),
            F("pay__started_on").asc(nulls_last=True),
            F("pay__id").asc(nulls_last=True),
            "pk",
        )
    )


def deferred_for(*, user) -> QuerySet[Application]:
    return (
        applications_for(user)
        .filter(state=State.PAYMENT_DEFERRED)
        .select_related("buyer", "district")
        .order_by("submitted_at", "pk")
    )


def with_due_dates(rows) -> list:
    """Set ``due_on`` (the 15-working-day deadline row of R36, paused while deferred) and ``days_left``."""
    rows = list(rows)
    for row in rows:
        row.due_on = getattr(row, "pay_due", None)
    set_days_left(rows, "due_on")
    return rows


def batches_for(user) -> QuerySet[PaymentBatch]:
    return scope.scoped(user, PaymentBatch.objects.select_related("district", "built_by", "approved_by"))


def batch_for(*, user, pk: int) -> PaymentBatch:
    return scope.get_or_404(batches_for(user), pk=pk)


def batch_totals(batch: PaymentBatch) -> dict:
    """What the batch pays (taken-out items excepted): ``count`` and the sums per fund source and in all, one query;
    what the approver sees before approving (R36)."""
    zero = Decimal("0.00")
    totals = batch.items.exclude(outcome=ItemOutcome.REMOVED).aggregate(
        count=Count("pk"),
        central=Sum("central"),
        municipal=Sum("municipal"),
        district=Sum("district_amount"),
        total=Sum("total"),
    )
    return {key: (value if value is not None else zero) for key, value in totals.items()}


def items_of(batch: PaymentBatch) -> QuerySet[BatchItem]:
    return batch.items.select_related("application__buyer", "application__payment").order_by("application__number")


def exceptions_of(batch: PaymentBatch) -> QuerySet[ReconciliationException]:
    return (
        ReconciliationException.objects.filter(return_import__batch=batch)
        .select_related("application")
        .order_by("return_import__at", "row")
    )


def open_exceptions_for(user) -> QuerySet[ReconciliationException]:
    return ReconciliationException.objects.filter(
        return_import__batch__in=batches_for(user), resolved_at__isnull=True
    ).select_related("return_import__batch", "application")


def rollovers() -> QuerySet[Rollover]:
    """The subsidy years closed (R37), newest first: the municipal finance bureau's page, every district."""
    return Rollover.objects.select_related("by").order_by("-year")


# --- What the money rules read (R9, R24, R31): no writes --------------------------------------------------------

ZERO = Decimal("0.00")


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
    """What a buyer has applied for or been granted in a year, across applications and fund sources (R24). The
    application subsidy's incentives (R20) are not purchase subsidy and take nothing of the cap."""
    apps = Application.objects.filter(buyer=buyer, year=year, kind=Kind.PURCHASE).exclude(
        state__in=[*NOT_LIVE, State.CLAWED_BACK]
    )
    if excluding:
        apps = apps.exclude(pk=excluding)
    return apps.aggregate(total=Sum("total_amount"))["total"] or ZERO


def _claims(applications) -> dict[str, Decimal]:
    sums = applications.aggregate(c=Sum("central_amount"), m=Sum("municipal_amount"), d=Sum("district_amount"))
    return {
        FundSource.CENTRAL: sums["c"] or ZERO,
        FundSource.MUNICIPAL: sums["m"] or ZERO,
        FundSource.DISTRICT: sums["d"] or ZERO,
    }


def pending_claims(district, year: int, *, excluding: int | None = None) -> dict[str, Decimal]:
    """Money that entered applications will take but that is not reserved yet (submitted, not yet accepted)."""
    apps = Application.objects.filter(district=district, year=year, state=State.SUBMITTED)
    return _claims(apps.exclude(pk=excluding) if excluding else apps)


def waiting_claims(district, year: int, *, excluding: int | None = None) -> dict[str, Decimal]:
    """What the pre-registered applications will take in each source once funds arrive (R31): they came first."""
    apps = Application.objects.filter(district=district, year=year, state=State.PREREGISTERED)
    return _claims(apps.exclude(pk=excluding) if excluding else apps)


def short_sources(application: Application, available: dict, claimed: dict) -> list[str]:
    """R31, per fund source: the sources this application needs that cannot cover it after what is claimed there
    before it. A source it does not need never holds it back."""
    need = application.amounts_by_source
    return [s for s in ledger.SOURCES if need[s] > 0 and available[s] - claimed[s] < need[s]]


def funds_cover(application: Application) -> bool:
    """R31: whether the district's available funds (carry-over and reallocations included) cover this application
    in every source it needs, after what submitted applications and the pre-registrations waiting before it will
    take in that source. Pre-registration is per source: one waiting for municipal money does not hold back an
    application that needs only central money the district has. A district's year the municipality has not funded
    yet is not counted (no allocation: nothing to exhaust)."""
    district, year = application.district, application.year
    if not ledger.is_funded(district, year):
        return True
    ledger.lock_funds(district, year)
    pending = pending_claims(district, year, excluding=application.pk)
    waiting = waiting_claims(district, year, excluding=application.pk)
    claimed = {s: pending[s] + waiting[s] for s in ledger.SOURCES}
    return not short_sources(application, ledger.available_by_source(district, year), claimed)


def waits_on(application: Application) -> list[dict]:
    """For a pre-registered buyer's page: each source the application waits on, with its place in that source's
    line (1 = next) and how many wait there (R31)."""
    if application.state != State.PREREGISTERED:
        return []
    district, year = application.district, application.year
    line = list(
        Application.objects.filter(district=district, year=year, state=State.PREREGISTERED).order_by(
            "submitted_at", "pk"
        )
    )
    before = line[: next((i for i, a in enumerate(line) if a.pk == application.pk), len(line))]
    claimed = pending_claims(district, year)
    for earlier in before:
        for source, amount in earlier.amounts_by_source.items():
            claimed[source] += amount
    out = []
    for source in short_sources(application, ledger.available_by_source(district, year), claimed):
        queue = [a for a in line if a.amounts_by_source[source] > 0]
        place = next(i for i, a in enumerate(queue, start=1) if a.pk == application.pk)
        out.append({"source": source, "label": FundSource(source).label, "place": place, "count": len(queue)})
    return out


def innovation_room(district, year: int) -> Decimal | None:
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


# --- The year end (R37): what closing a year carries, read without a lock -------------------------------------


def ensure_closable(year: int) -> None:
    """A year under way or past may be closed; one not yet begun may not."""
    if year > timezone.localdate().year:
        raise PaymentError(
            _("%(year)s has not begun; only a year under way or past can be closed.") % {"year": year}, rule="R37"
        )


def year_to_close() -> int:
    """The year the year-end page offers first: the oldest year with funds, under way or past, not yet closed;
    else this year."""
    this_year = timezone.localdate().year
    oldest = (
        Fund.objects.filter(year__lte=this_year)
        .exclude(year__in=Rollover.objects.values("year"))
        .aggregate(year=Min("year"))["year"]
    )
    return oldest or this_year


def year_end_request(year: int):
    return YearEndRequest.objects.select_related("requested_by", "approved_by").filter(year=year).first()


def empty_plan(year: int, *, done_before: bool = False, in_flight=()) -> dict:
    return {
        "year": year,
        "done_before": done_before,
        "carry_over": [],
        "applications": [],
        "in_flight": list(in_flight),
    }


def year_end_candidates(year: int) -> tuple[list[str], QuerySet[Application]]:
    """The numbers of the year's open applications in a batch with the treasury (they stay), and the others, to
    carry, in order of entry within each district."""
    in_batch = BatchItem.objects.filter(outcome=ItemOutcome.PENDING).values("application")
    open_apps = Application.objects.filter(year=year, state__in=CARRIED_AT_YEAR_END)
    in_flight = list(open_apps.filter(pk__in=in_batch).order_by("number").values_list("number", flat=True))
    return in_flight, open_apps.exclude(pk__in=in_batch).order_by("district_id", "submitted_at", "pk")


def year_end_districts(year: int, to_carry) -> QuerySet[District]:
    """The districts a year end touches: those with funds in the year, and those of the applications carried."""
    district_ids = set(Fund.objects.filter(year=year).values_list("district", flat=True))
    district_ids |= {a.district_id for a in to_carry}
    return District.objects.filter(pk__in=district_ids).order_by("pk")


def carry_over_row(district: District, source: str, amount: Decimal) -> dict:
    return {"district": district.code, "source": source, "amount": str(amount)}


def carried_row(application: Application, district: District) -> dict:
    return {"number": application.number, "state": application.state, "district": district.code}


def held_in_year(applications, year: int) -> dict[str, Decimal]:
    """What these applications hold in the year's funds, per source."""
    out = dict.fromkeys(ledger.SOURCES, ZERO)
    rows = (
        LedgerEntry.objects.filter(
            application__in=applications, fund__year=year, kind__in=[EntryKind.RESERVATION, EntryKind.RELEASE]
        )
        .values("fund__source")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        out[row["fund__source"]] = -row["total"]
    return out


def year_end_preview(*, year: int) -> dict:
    """What ``rollover(year=...)`` would do, as its plan, without writing or locking anything: the year-end page
    shows it on a GET and ``manage.py rollover YEAR --dry-run`` prints it."""
    ensure_closable(year)
    if Rollover.objects.filter(year=year).exists():
        return empty_plan(year, done_before=True)
    in_flight, to_carry = year_end_candidates(year)
    to_carry = list(to_carry.only("number", "state", "district_id", "submitted_at"))
    plan = empty_plan(year, in_flight=in_flight)
    for district in year_end_districts(year, to_carry):
        apps = [a for a in to_carry if a.district_id == district.pk]
        held = held_in_year(apps, year)  # what the releases would give back
        available = ledger.available_by_source(district, year)
        for source in ledger.SOURCES:
            if available[source] + held[source] > 0:
                plan["carry_over"].append(carry_over_row(district, source, available[source] + held[source]))
        plan["applications"].extend(carried_row(application, district) for application in apps)
    return plan


def year_end_summary(*, year: int) -> dict:
    """The year-end page's preview of ``rollover(year=...)``: the same carry-over amounts and in-flight numbers,
    with the carried applications counted by district and state (``counted``) instead of listed, each figure one
    grouped query over the applications, none over the ledger's entries (``year_end_preview`` lists every
    application, for the dry run and the rollover itself)."""
    ensure_closable(year)
    if Rollover.objects.filter(year=year).exists():
        return {**empty_plan(year, done_before=True), "counted": {}}
    in_batch = BatchItem.objects.filter(outcome=ItemOutcome.PENDING).values("application")
    open_apps = Application.objects.filter(year=year, state__in=CARRIED_AT_YEAR_END)
    in_flight = list(open_apps.filter(pk__in=in_batch).order_by("number").values_list("number", flat=True))
    to_carry = open_apps.exclude(pk__in=in_batch)
    # One grouped read of the carried applications: their number by district and state, and what the releases
    # would give back: an accepted application holds its amounts by source (R21; ``ledger check`` proves it).
    counted, held = {}, {}
    codes = dict(District.objects.values_list("pk", "code"))
    grouped = to_carry.values("district_id", "state").annotate(
        n=Count("pk"),
        **{source: Sum(f"{source}_amount", filter=Q(state__in=RESERVED)) for source in ledger.SOURCES},
    )
    for row in grouped.order_by():
        counted[(codes[row["district_id"]], row["state"])] = row["n"]
        for source in ledger.SOURCES:
            key = (row["district_id"], source)
            held[key] = held.get(key, ZERO) + (row[source] or ZERO)
    available = {(b.district_id, b.source): b.available for b in ledger.balances(Fund.objects.filter(year=year))}
    districts = District.objects.filter(
        Q(pk__in=Fund.objects.filter(year=year).values("district")) | Q(pk__in=to_carry.values("district"))
    ).order_by("pk")
    carry_over = []
    for district in districts:
        for source in ledger.SOURCES:
            amount = available.get((district.pk, source), ZERO) + held.get((district.pk, source), ZERO)
            if amount > 0:
                carry_over.append(carry_over_row(district, source, amount))
    return {**empty_plan(year, in_flight=in_flight), "carry_over": carry_over, "counted": counted}
