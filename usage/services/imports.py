"""A district's spreadsheet of work records for machines without a terminal (R20): read with openpyxl, every row
checked before anything is written, and imported all-or-nothing: one bad row refuses the file, with every error
listed by its row number."""

import hashlib
import io
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import scope

from .. import rules
from ..errors import UsageError
from ..models import DistrictArea, ImportFile, PilotKind, Source
from .records import Incoming, machine_by_serial, take, tell_if_met

#: The columns, by the titles a district may use (Chinese or English); quality columns are the measures' names.
COLUMNS = {
    "serial": ("出厂编号", "serial number"),
    "start": ("开始时间", "start"),
    "end": ("结束时间", "end"),
    "volume": ("作业量", "work done"),
    "latitude": ("纬度", "latitude"),
    "longitude": ("经度", "longitude"),
}
HEADER = [titles[0] for titles in COLUMNS.values()]


class ImportRefused(UsageError):
    """The file is refused as a whole; ``errors`` lists (row, message)."""

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__(_("Nothing was imported: %(n)s rows have errors.") % {"n": len(errors)}, rule="R20")
        self.errors = errors


def _when(value) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).strip())
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _number(value) -> Decimal:
    return Decimal(str(value).strip())


def _rows(data: bytes) -> tuple[list, list[list]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    table = [list(row) for row in sheet.iter_rows(values_only=True) if any(v not in (None, "") for v in row)]
    if not table:
        raise ImportRefused([(1, _("The sheet is empty."))])
    return [str(h or "").strip() for h in table[0]], table[1:]


def _index(header: list[str]) -> dict:
    lowered = [h.lower() for h in header]
    index = {}
    for key, titles in COLUMNS.items():
        found = next((lowered.index(t.lower()) for t in titles if t.lower() in lowered), None)
        if found is None:
            raise ImportRefused([(1, _("The column %(title)s is missing.") % {"title": titles[0]})])
        index[key] = found
    return index


def _parse(cells: list, index: dict, header: list[str], measures: set[str]) -> tuple[str, Incoming]:
    def cell(key):
        i = index[key]
        return cells[i] if i < len(cells) else None

    try:
        incoming = Incoming(
            started_at=_when(cell("start")),
            ended_at=_when(cell("end")),
            volume=_number(cell("volume")),
            latitude=_number(cell("latitude")),
            longitude=_number(cell("longitude")),
            quality={h: cells[i] for i, h in enumerate(header) if h in measures and i < len(cells)},
        )
    except (InvalidOperation, ValueError, TypeError):
        raise UsageError(_("A time or a number cannot be read."), rule="R20") from None
    return str(cell("serial") or "").strip(), incoming


def import_records(*, officer, data: bytes, file_name: str) -> ImportFile:
    """The district office imports its spreadsheet; refused whole (``ImportRefused``) when any row is wrong."""
    scope.ensure_agriculture_office(officer)
    if officer.district_id is None:
        raise UsageError(_("A district office imports its own machines' records."), rule="R20")
    try:
        header, table = _rows(data)
    except ImportRefused:
        raise
    except Exception as exc:  # openpyxl and zipfile raise many kinds for a file that is not a workbook
        raise ImportRefused([(1, _("The file cannot be read: send an XLSX workbook."))]) from exc
    index = _index(header)
    measures = set(PilotKind.objects.values_list("measures__name", flat=True).distinct()) - {None}
    errors: list[tuple[int, str]] = []
    area = DistrictArea.objects.filter(district_id=officer.district_id).first()
    with transaction.atomic():
        record = ImportFile.objects.create(
            district_id=officer.district_id,
            file_name=file_name[:200],
            sha256=hashlib.sha256(data).hexdigest(),
            rows=len(table),
            by=officer,
        )
        touched = {}
        for number, cells in enumerate(table, start=2):
            try:
                with transaction.atomic():
                    serial, incoming = _parse(cells, index, header, measures)
                    machine = machine_by_serial(serial)
                    if machine.district_id != officer.district_id:
                        raise UsageError(_("This machine is not of your district."), rule="R20")
                    pilot = rules.pilot_for(machine)
                    if pilot is None:
                        raise UsageError(_("This machine does not take part in the application subsidy."), rule="R20")
                    take(
                        machine=machine,
                        incoming=incoming,
                        source=Source.IMPORT,
                        pilot=pilot,
                        area=area,
                        import_file=record,
                        entered_by=officer,
                    )
                    touched[machine.pk] = machine
            except UsageError as refusal:
                errors.append((number, str(refusal.message)))
        if errors:
            raise ImportRefused(errors)  # the whole file rolls back
        for machine in touched.values():
            tell_if_met(machine)
    return record
