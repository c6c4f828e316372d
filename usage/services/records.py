"""Work records in (R20): from a monitoring platform's batch, a district's spreadsheet or the buyer's own entry, all
into one table through ``take``; every record is checked for plausibility and kept with its flags, and a flagged
record waits for an officer to accept or reject it (with the reason, recorded as a chained event)."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scope
from applications.messages import tell_buyer
from applications.models import Application, Kind, serial_key
from catalog.errors import CatalogueError
from catalog.money import format_yuan
from catalog.uploads import check_upload
from core import chain

from .. import rules
from ..errors import UsageError
from ..models import (
    DistrictArea,
    Evidence,
    Flag,
    RecordEvent,
    RecordStatus,
    SaleOn,
    Source,
    TargetsMet,
    Terminal,
    WorkRecord,
)


@dataclass
class Incoming:
    """One record as it arrives, before it is tied to a machine."""

    started_at: datetime
    ended_at: datetime
    volume: Decimal
    latitude: Decimal
    longitude: Decimal
    quality: dict = field(default_factory=dict)
    external_id: str = ""
    terminal_id: str = ""
    serial_number: str = ""


def machine_by_serial(serial: str) -> Application:
    """The subsidised machine with this factory serial number (a paid purchase); refused when none or several."""
    found = list(
        Application.objects.filter(kind=Kind.PURCHASE, serial_key=serial_key(serial), state__in=rules.PAID_STATES)
        .select_related("product__item", "payment", "district")
        .order_by("pk")[:2]
    )
    if not found:
        raise UsageError(_("No subsidised machine has this factory serial number."), rule="R20")
    if len(found) > 1:
        raise UsageError(_("Several machines have this serial number: send the terminal number."), rule="R20")
    return found[0]


def _quality(pilot, given: dict) -> dict:
    """The measured values of the pilot kind's measures, as numbers; others are ignored."""
    out = {}
    names = {m.name for m in pilot.measures.all()} if pilot is not None else set()
    for name, value in (given or {}).items():
        if name not in names or value in (None, ""):
            continue
        try:
            out[name] = float(Decimal(str(value)))
        except (InvalidOperation, ValueError):
            raise UsageError(
                _("%(measure)s is not a number: %(value)s") % {"measure": name, "value": value}, rule="R20"
            ) from None
    return out


def check(
    *,
    machine: Application,
    incoming: Incoming,
    source: str,
    pilot=None,
    area=None,
    neighbours=None,
    sold_on=None,
    extra_flags=(),
    **fields,
) -> WorkRecord:
    """The record of ``machine``, checked and not yet saved: refused (``UsageError``) when the machine was sold on
    (``sold_on``) before the work; otherwise flagged for each plausibility check it fails."""
    if sold_on is not None and timezone.localtime(incoming.started_at).date() >= sold_on:
        raise UsageError(_("This machine was sold on; its work no longer counts."), rule="R20")
    if incoming.volume < 0:
        raise UsageError(_("The work done cannot be negative."), rule="R20")
    flags = rules.flags_for(
        machine=machine,
        pilot=pilot,
        started_at=incoming.started_at,
        ended_at=incoming.ended_at,
        volume=incoming.volume,
        lat=incoming.latitude,
        lon=incoming.longitude,
        area=area,
        neighbours=neighbours,
    ) + [str(f) for f in extra_flags]
    if neighbours is not None:
        neighbours.add(machine.pk, incoming.started_at, incoming.ended_at, incoming.latitude, incoming.longitude)
    return WorkRecord(
        machine=machine,
        source=source,
        external_id=incoming.external_id,
        started_at=incoming.started_at,
        ended_at=incoming.ended_at,
        volume=incoming.volume,
        latitude=incoming.latitude,
        longitude=incoming.longitude,
        quality=_quality(pilot, incoming.quality),
        flags=flags,
        status=RecordStatus.FLAGGED if flags else RecordStatus.COUNTED,
        **fields,
    )


def take(*, machine: Application, incoming: Incoming, source: str, **kwargs) -> WorkRecord:
    """Check and store one record of ``machine`` (the caller's transaction); see ``check``."""
    sale = SaleOn.objects.filter(machine=machine).first()
    record = check(machine=machine, incoming=incoming, source=source, sold_on=sale and sale.sold_on, **kwargs)
    record.save()
    return record


# --- From a monitoring platform --------------------------------------------------------------------------------


class _Batch:
    """What a platform's batch looks up once: its terminals and their machines, the machines sold on, the pilot
    kinds, the districts' boxes and the records at work around the batch's time."""

    def __init__(self, platform, records: list[Incoming]):
        self.platform = platform
        self.terminals = {
            t.terminal_id: t
            for t in Terminal.objects.filter(
                platform=platform, unbound_on__isnull=True, terminal_id__in={r.terminal_id for r in records}
            ).select_related("machine__product__item", "machine__payment", "machine__district")
        }
        self.sold = {s.machine_id: s.sold_on for s in SaleOn.objects.filter(machine__in=self._machines())}
        self.pilots: dict[int, object] = {}
        self.areas = {a.district_id: a for a in DistrictArea.objects.all()}
        spans = [(r.started_at, r.ended_at) for r in records if r.ended_at > r.started_at]
        start = min((s for s, _e in spans), default=timezone.now())
        end = max((e for _s, e in spans), default=start)
        self.neighbours = rules.Neighbours(start, end)

    def _machines(self):
        return [t.machine_id for t in self.terminals.values()]

    def pilot(self, machine):
        if machine.pk not in self.pilots:
            self.pilots[machine.pk] = rules.pilot_for(machine)
        return self.pilots[machine.pk]

    def machine(self, incoming: Incoming) -> tuple[Application, Terminal]:
        """The machine a platform's record is of: by its terminal, or by serial number with a terminal of this
        platform bound to it. Another platform's machine is refused."""
        if incoming.terminal_id:
            terminal = self.terminals.get(incoming.terminal_id)
            if terminal is None:
                raise UsageError(_("No terminal of this platform has this number."), rule="R20")
            return terminal.machine, terminal
        machine = machine_by_serial(incoming.serial_number)
        terminal = Terminal.objects.filter(machine=machine, unbound_on__isnull=True, platform=self.platform).first()
        if terminal is None:
            raise UsageError(_("This machine's terminal is not bound to this platform."), rule="R20")
        if machine.pk not in self.sold:
            sale = SaleOn.objects.filter(machine=machine).first()
            self.sold[machine.pk] = sale and sale.sold_on
        return machine, terminal


def _post(platform, records: list[Incoming]) -> list[dict]:
    answers, rows, touched = [], [], {}
    with transaction.atomic():
        batch = _Batch(platform, records)
        seen = set(
            WorkRecord.objects.filter(
                platform=platform, source=Source.PLATFORM, external_id__in=[r.external_id for r in records]
            ).values_list("external_id", flat=True)
        )
        for incoming in records:
            answer = {"id": incoming.external_id}
            if incoming.external_id in seen:
                answers.append({**answer, "result": "duplicate"})
                continue
            try:
                machine, terminal = batch.machine(incoming)
                record = check(
                    machine=machine,
                    incoming=incoming,
                    source=Source.PLATFORM,
                    pilot=batch.pilot(machine),
                    area=batch.areas.get(machine.district_id),
                    neighbours=batch.neighbours,
                    sold_on=batch.sold.get(machine.pk),
                    platform=platform,
                    terminal=terminal,
                )
            except UsageError as refusal:
                answers.append({**answer, "result": "refused", "reason": str(refusal.message)})
                continue
            seen.add(incoming.external_id)
            rows.append(record)
            touched[machine.pk] = machine
            answers.append({**answer, "result": "accepted", "flags": record.flags})
        WorkRecord.objects.bulk_create(rows, batch_size=1000)
        tell_if_met_all(list(touched.values()))
    return answers


def post_platform_records(*, platform, records: list[Incoming]) -> list[dict]:
    """A platform's batch (R20): each record accepted, a duplicate of one taken before (its record number), or
    refused with the reason. Idempotent: a repeated batch changes nothing. The records are checked against each
    other and those around them in memory and written in one insert."""
    try:
        return _post(platform, records)
    except IntegrityError:  # the same record numbers posted at the same moment: the other request took them
        return _post(platform, records)


# --- By the buyer, with evidence ---------------------------------------------------------------------------------


def enter_record(*, machine_id: int, buyer, incoming: Incoming, files) -> WorkRecord:
    """The buyer's own record, with photos or a work contract (JPEG, PNG or PDF, checked by content): always for
    the office to check."""
    files = [f for f in files or [] if f]
    if not files:
        raise UsageError(_("Add a photo of the work or the work contract."), rule="R20")
    for upload in files:
        try:
            check_upload(upload)
        except CatalogueError as error:
            raise UsageError(error.message, rule="R20") from error
    with transaction.atomic():
        machine = (
            Application.objects.select_for_update(of=("self",))
            .select_related("product__item", "payment", "district")
            .filter(pk=machine_id, buyer=buyer, kind=Kind.PURCHASE, state__in=rules.PAID_STATES)
            .first()
        )
        if machine is None:
            raise Http404
        pilot = rules.pilot_for(machine)
        if pilot is None:
            raise UsageError(_("This machine does not take part in the application subsidy."), rule="R20")
        record = take(
            machine=machine,
            incoming=incoming,
            source=Source.BUYER,
            pilot=pilot,
            area=DistrictArea.objects.filter(district_id=machine.district_id).first(),
            entered_by=buyer,
            extra_flags=[Flag.BY_HAND],
        )
        for upload in files:
            upload.seek(0)
            evidence = Evidence(
                record=record, content_type=check_upload(upload), original_name=(upload.name or "")[:200]
            )
            evidence.original.save(upload.name, upload, save=False)
            evidence.save()
    return record


# --- The office's check of a flagged record ------------------------------------------------------------------------


def _office_record(record_id: int, officer) -> WorkRecord:
    record = WorkRecord.objects.select_for_update(of=("self",)).select_related("machine").filter(pk=record_id).first()
    if record is None or not scope.scoped(officer, Application.objects.filter(pk=record.machine_id)).exists():
        raise Http404
    scope.ensure_agriculture_office(officer)
    return record


def review_record(*, record_id: int, officer, accept: bool, reason: str) -> WorkRecord:
    """An officer accepts a flagged record (it counts) or rejects it (it never does), with the reason (R20, R45)."""
    reason = (reason or "").strip()
    if not reason:
        raise UsageError(_("Give the reason; it is kept on record."), rule="R45")
    with transaction.atomic():
        record = _office_record(record_id, officer)
        if record.status != RecordStatus.FLAGGED:
            raise UsageError(_("This record has already been checked."), rule="R45")
        record.status = RecordStatus.ACCEPTED if accept else RecordStatus.REJECTED
        record.save(update_fields=["status"])
        event = RecordEvent(
            record=record,
            action=RecordEvent.Action.ACCEPT if accept else RecordEvent.Action.REJECT,
            actor=officer,
            reason=reason,
            data={"flags": record.flags},
        )
        chain.append(event, chain=RecordEvent.objects.filter(record=record))
        if accept:
            tell_if_met(Application.objects.select_related("product__item", "payment").get(pk=record.machine_id))
    return record


# --- Telling the buyer -------------------------------------------------------------------------------------------

MET_SUBJECT = gettext_lazy("Your machine of application %(number)s met its work targets")
MET_BODY = gettext_lazy(
    "Its work of %(year)s met the application subsidy's targets. Claim the incentive of %(amount)s yuan on the "
    "application's page."
)


def tell_if_met_all(machines: list[Application]) -> int:
    """Tell each buyer, once, whose machine's year of work now meets its targets (one aggregate per pilot kind and
    work year); returns how many were told."""
    by_year: dict[int, list] = {}
    for machine in machines:
        year = rules.work_year(machine)
        if year is not None:
            by_year.setdefault(year, []).append(machine)
    told = 0
    for year, group in by_year.items():
        progress = rules.progress_of(group, year)
        for machine in group:
            found = progress.get(machine.pk)
            if found is None or not found.met:
                continue
            _met, created = TargetsMet.objects.get_or_create(machine=machine, year=year)
            if created:
                amount = sum(rules.incentive_amounts(machine, found.pilot).values(), Decimal("0"))
                tell_buyer(machine, MET_SUBJECT, MET_BODY, year=year, amount=format_yuan(amount))
                told += 1
    return told


def tell_if_met(machine: Application) -> bool:
    """Tell the buyer, once, when the machine's year of work meets its targets."""
    return tell_if_met_all([machine]) == 1
