"""The application subsidy's rules in one place (R20): which machines take part and in which year, the plausibility
checks on a work record, the progress toward the targets, and the incentive's amount.

- A machine takes part when its purchase subsidy was paid in year Y and its item is a published pilot kind of year
  Y+1 (the work year); only work done in Y+1 (Beijing time) counts, never the year of payment.
- Beijing is the box 39.44–41.06 °N, 115.42–117.51 °E (a box around the municipality, not its boundary: a record
  near the edge in Hebei may pass and is seen by the office); a district is its ``DistrictArea`` box where one is
  configured.
- "The same place" is within ``NEAR_DEGREES`` (about 200 m) in latitude and longitude.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce

from applications.models import Application, Kind, State
from catalog.models import FundSource
from catalog.money import yuan

from .models import COUNTS, DistrictArea, Flag, PilotKind, RecordStatus, WorkRecord

BEIJING = {"south": Decimal("39.44"), "north": Decimal("41.06"), "west": Decimal("115.42"), "east": Decimal("117.51")}
NEAR_DEGREES = Decimal("0.002")
ZERO = Decimal("0.00")
#: The purchase states whose machine may earn the incentive: paid (a partial claw-back is netted off the base).
PAID_STATES = [State.PAID, State.CLAWED_BACK]


def paid_year(machine: Application) -> int | None:
    payment = getattr(machine, "payment", None)
    return payment.paid_on.year if payment is not None else None


def work_year(machine: Application) -> int | None:
    """The one year whose work counts: the year after the purchase subsidy was paid."""
    year = paid_year(machine)
    return year + 1 if year is not None else None


def pilot_for(machine: Application, year: int | None = None) -> PilotKind | None:
    """The published pilot kind of the machine's item in its work year, or None."""
    year = year or work_year(machine)
    if year is None or machine.product_id is None:
        return None
    return (
        PilotKind.objects.filter(year=year, item_id=machine.product.item_id, published=True)
        .prefetch_related("measures")
        .first()
    )


def in_beijing(lat: Decimal, lon: Decimal) -> bool:
    return BEIJING["south"] <= lat <= BEIJING["north"] and BEIJING["west"] <= lon <= BEIJING["east"]


class Neighbours:
    """The records at work during a span of time (rejected ones aside), read once, and those taken since: the overlap
    and same-place checks of a batch or a file read them instead of querying per record. Two posts at the same moment
    do not see each other's records (the flags are plausibility hints the office checks, not a lock)."""

    def __init__(self, start: datetime, end: datetime):
        self.by_machine: dict[int, list] = defaultdict(list)
        self.by_cell: dict[tuple, list] = defaultdict(list)
        rows = (
            WorkRecord.objects.filter(started_at__lt=end, ended_at__gt=start)
            .exclude(status=RecordStatus.REJECTED)
            .values_list("machine_id", "started_at", "ended_at", "latitude", "longitude")
        )
        for row in rows.iterator():
            self.add(*row)

    @staticmethod
    def _cell(lat: Decimal, lon: Decimal) -> tuple[int, int]:
        return int(lat // NEAR_DEGREES), int(lon // NEAR_DEGREES)

    def add(self, machine_id: int, start: datetime, end: datetime, lat: Decimal, lon: Decimal) -> None:
        if end <= start:
            return
        span = (machine_id, start, end, lat, lon)
        self.by_machine[machine_id].append(span)
        self.by_cell[self._cell(lat, lon)].append(span)

    def overlaps(self, machine_id: int, start: datetime, end: datetime) -> bool:
        return any(s < end and e > start for _m, s, e, _lat, _lon in self.by_machine[machine_id])

    def near(self, machine_id: int, start: datetime, end: datetime, lat: Decimal, lon: Decimal) -> bool:
        """Another machine at work within ``NEAR_DEGREES`` of the place at an overlapping time."""
        x, y = self._cell(lat, lon)
        for cell in ((x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            for m, s, e, a, o in self.by_cell.get(cell, ()):
                if (
                    m != machine_id
                    and s < end
                    and e > start
                    and abs(a - lat) <= NEAR_DEGREES
                    and abs(o - lon) <= NEAR_DEGREES
                ):
                    return True
        return False


def flags_for(
    *,
    machine: Application,
    pilot: PilotKind | None,
    started_at: datetime,
    ended_at: datetime,
    volume: Decimal,
    lat: Decimal,
    lon: Decimal,
    area: DistrictArea | None = None,
    neighbours: Neighbours | None = None,
) -> list[str]:
    """Every plausibility check a record fails (R20), in the order of ``Flag``. ``area`` is the machine's district's
    box (None when none is configured); ``neighbours`` the records around it (read here when not given)."""
    flags = []
    hours = Decimal((ended_at - started_at).total_seconds()) / 3600
    if hours <= 0:
        flags.append(Flag.ENDS_BEFORE_START)
    elif pilot is not None:
        if hours > pilot.max_hours:
            flags.append(Flag.TOO_LONG)
        if volume / hours > pilot.max_per_hour:
            flags.append(Flag.TOO_FAST)
    if not in_beijing(lat, lon):
        flags.append(Flag.OUTSIDE_BEIJING)
    elif area is not None and not area.holds(lat, lon):
        flags.append(Flag.OUTSIDE_DISTRICT)
    if hours > 0:
        neighbours = neighbours or Neighbours(started_at, ended_at)
        if neighbours.overlaps(machine.pk, started_at, ended_at):
            flags.append(Flag.OVERLAP)
        if neighbours.near(machine.pk, started_at, ended_at, lat, lon):
            flags.append(Flag.SAME_PLACE)
    return [str(f) for f in flags]


# --- Progress ---------------------------------------------------------------------------------------------------


@dataclass
class MeasureProgress:
    name: str
    unit: str
    comparison: str
    threshold: Decimal
    share_needed: Decimal
    volume_meeting: Decimal = ZERO
    share: Decimal = ZERO

    @property
    def met(self) -> bool:
        return self.share >= self.share_needed

    @property
    def percent(self) -> Decimal:
        return (self.share * 100).quantize(Decimal("0.1"))

    @property
    def percent_needed(self) -> Decimal:
        return (self.share_needed * 100).quantize(Decimal("0.1"))


@dataclass
class Progress:
    """A machine's year of work against its pilot kind's targets (已完成 326/500 亩)."""

    machine_id: int
    pilot: PilotKind
    year: int
    done: Decimal = ZERO
    flagged: int = 0
    measures: list[MeasureProgress] = field(default_factory=list)

    @property
    def target(self) -> Decimal:
        return self.pilot.volume_target

    @property
    def volume_met(self) -> bool:
        return self.done >= self.target

    @property
    def met(self) -> bool:
        return self.volume_met and all(m.met for m in self.measures)

    @property
    def percent(self) -> int:
        return min(int(self.done * 100 / self.target), 100) if self.target else 0


def _quality_alias(name: str):
    return Cast(KeyTextTransform(name, "quality"), DecimalField(max_digits=12, decimal_places=2))


def progress_of(machines, year: int) -> dict[int, Progress]:
    """Progress of each machine (purchase applications with ``product__item`` loaded) in work year ``year``: one
    aggregate query per pilot kind (at most five), whatever the number of machines or records."""
    by_item: dict[int, list[int]] = {}
    for m in machines:
        if m.product_id is not None:
            by_item.setdefault(m.product.item_id, []).append(m.pk)
    pilots = PilotKind.objects.filter(year=year, item_id__in=by_item, published=True).prefetch_related("measures")
    out: dict[int, Progress] = {}
    for pilot in pilots:
        measures = list(pilot.measures.all())
        rows = WorkRecord.objects.filter(machine_id__in=by_item[pilot.item_id], started_at__year=year)
        aliases = {f"q{i}": _quality_alias(m.name) for i, m in enumerate(measures)}
        counted = Q(status__in=COUNTS)
        sums = {"done": Coalesce(Sum("volume", filter=counted), ZERO)}
        for i, m in enumerate(measures):
            lookup = "gte" if m.comparison == "at_least" else "lte"
            sums[f"m{i}"] = Coalesce(Sum("volume", filter=counted & Q(**{f"q{i}__{lookup}": m.threshold})), ZERO)
        sums["flagged"] = Count("id", filter=Q(status=RecordStatus.FLAGGED))
        found = {r["machine_id"]: r for r in rows.alias(**aliases).values("machine_id").annotate(**sums).order_by()}
        for machine_id in by_item[pilot.item_id]:
            row = found.get(machine_id, {})
            done = row.get("done", ZERO)
            progress = Progress(machine_id=machine_id, pilot=pilot, year=year, done=done, flagged=row.get("flagged", 0))
            for i, m in enumerate(measures):
                meeting = row.get(f"m{i}", ZERO)
                progress.measures.append(
                    MeasureProgress(
                        name=m.name,
                        unit=m.unit,
                        comparison=m.comparison,
                        threshold=m.threshold,
                        share_needed=m.share,
                        volume_meeting=meeting,
                        share=(meeting / done) if done else ZERO,
                    )
                )
            out[machine_id] = progress
    return out


def progress_for(machine: Application) -> Progress | None:
    """One machine's progress in its work year, or None when it does not take part."""
    year = work_year(machine)
    if year is None:
        return None
    return progress_of([machine], year).get(machine.pk)


# --- The incentive's amount -----------------------------------------------------------------------------------


def paid_base(machine: Application) -> dict[str, Decimal]:
    """The purchase subsidy actually paid for the machine, by fund source: the payment, less any claw-back, taken
    from the sources in the order recoveries are (central first, as far as it was paid)."""
    payment = machine.payment
    paid = {
        FundSource.CENTRAL: payment.central,
        FundSource.MUNICIPAL: payment.municipal,
        FundSource.DISTRICT: payment.district_amount,
    }
    record = getattr(machine, "claw_back_record", None)
    left = record.amount if record is not None else ZERO
    for source in (FundSource.CENTRAL, FundSource.MUNICIPAL, FundSource.DISTRICT):
        part = min(left, paid[source])
        paid[source] -= part
        left -= part
    return paid


def incentive_amounts(machine: Application, pilot: PilotKind) -> dict[str, Decimal]:
    """R20: the rate × what was actually paid, exact to the fen (ROUND_HALF_UP per source): from each source its
    share, or all of it from the pilot kind's fund source when one is set."""
    base = paid_base(machine)
    if pilot.fund_source:
        amounts = dict.fromkeys(base, ZERO)
        amounts[pilot.fund_source] = yuan(sum(base.values(), ZERO) * pilot.rate)
        return amounts
    return {source: yuan(amount * pilot.rate) for source, amount in base.items()}


def machines_of_year(year: int):
    """Purchase applications whose machine's work year is ``year`` (paid in ``year - 1``)."""
    return Application.objects.filter(
        kind=Kind.PURCHASE, state__in=PAID_STATES, payment__paid_on__year=year - 1
    ).select_related("product__item", "payment")
