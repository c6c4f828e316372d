"""R20: every plausibility check on a work record, kept with it as a flag; refusals for a machine sold on or not
found; the office's check of a flagged record (R45); the district's spreadsheet, all-or-nothing; the buyer's own
record with evidence."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from applications.models import Application
from core import spreadsheets
from tests.usage.conftest import at, work
from usage import rules
from usage.errors import UsageError
from usage.models import DistrictArea, Flag, RecordEvent, RecordStatus, SaleOn, Source, WorkRecord
from usage.services import ImportRefused, Incoming, enter_record, import_records, review_record
from usage.services.records import take

pytestmark = pytest.mark.django_db


def incoming(start, *, hours=2, volume="30", lat="40.03", lon="116.30"):
    return Incoming(
        started_at=start,
        ended_at=start + timedelta(hours=hours),
        volume=Decimal(volume),
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        quality={"耕深": "27"},
    )


def flags_of(machine, pilot, data, **kwargs):
    record = take(machine=machine, incoming=data, source=Source.IMPORT, pilot=pilot, **kwargs)
    return record, record.flags


def test_a_plausible_record_counts_R20(machine, pilot):
    record, flags = flags_of(machine(), pilot, incoming(at(4, 1, 8)))
    assert flags == [] and record.status == RecordStatus.COUNTED


@pytest.mark.parametrize(
    ("data", "flag"),
    [
        ({"hours": -1}, Flag.ENDS_BEFORE_START),
        ({"hours": 17, "volume": "30"}, Flag.TOO_LONG),
        ({"hours": 2, "volume": "40.02"}, Flag.TOO_FAST),  # 20 mu an hour at most
        ({"lat": "38.90", "lon": "115.50"}, Flag.OUTSIDE_BEIJING),  # 保定
    ],
)
def test_each_implausible_record_is_kept_and_flagged_R20(machine, pilot, data, flag):
    record, flags = flags_of(machine(), pilot, incoming(at(4, 1, 8), **data))
    assert flags == [flag]
    assert record.status == RecordStatus.FLAGGED
    assert rules.progress_for(record.machine).done == 0  # left out of the totals


def test_just_within_the_rate_is_not_flagged_R20(machine, pilot):
    _record, flags = flags_of(machine(), pilot, incoming(at(4, 1, 8), hours=2, volume="40"))
    assert flags == []


def test_outside_the_applications_district_is_flagged_where_its_extent_is_known_R20(machine, pilot, haidian):
    m = machine()
    area = DistrictArea.objects.create(district=haidian, south=39.88, north=40.16, west=116.05, east=116.40)
    _r, flags = flags_of(m, pilot, incoming(at(4, 1, 8), lat="40.22", lon="116.23"), area=area)  # 昌平
    assert flags == [Flag.OUTSIDE_DISTRICT]
    _r, flags = flags_of(m, pilot, incoming(at(4, 2, 8)), area=area)
    assert flags == []


def test_overlap_with_the_same_machines_record_is_flagged_R20(machine, pilot):
    m = machine()
    flags_of(m, pilot, incoming(at(4, 1, 8)))
    _r, flags = flags_of(m, pilot, incoming(at(4, 1, 9), lat="40.10"))
    assert flags == [Flag.OVERLAP]
    _r, flags = flags_of(m, pilot, incoming(at(4, 1, 11), lat="40.10"))  # starts as the second ends: no overlap
    assert flags == []


def test_another_machine_at_the_same_place_and_time_is_flagged_R20(machine, pilot):
    first, second = machine(serial="SN-0001"), machine(serial="SN-0002")
    flags_of(first, pilot, incoming(at(4, 1, 8)))
    _r, flags = flags_of(second, pilot, incoming(at(4, 1, 9), lat="40.0310", lon="116.3010"))
    assert flags == [Flag.SAME_PLACE]
    _r, flags = flags_of(second, pilot, incoming(at(4, 2, 9), lat="40.0310", lon="116.3010"))  # another day
    assert flags == []


def test_a_machine_sold_on_is_refused_and_nothing_kept_R20(machine, pilot):
    m = machine()
    SaleOn.objects.create(machine=m, sold_on=date(at(5, 1, 0).year, 5, 1))
    flags_of(m, pilot, incoming(at(4, 30, 8)))  # before the sale: taken
    with pytest.raises(UsageError, match="sold on|转卖|转让"):
        flags_of(m, pilot, incoming(at(5, 1, 8)))
    assert WorkRecord.objects.count() == 1


def test_an_officer_accepts_or_rejects_a_flagged_record_with_the_reason_R20_R45(cast, machine, pilot):
    m = machine()
    work(m, start=at(4, 1, 8), volume="480")
    flagged, _f = flags_of(m, pilot, incoming(at(4, 2, 8), hours=1, volume="30"))
    assert flagged.flags == [Flag.TOO_FAST]
    with pytest.raises(Http404):
        review_record(record_id=flagged.pk, officer=cast["other_officer"], accept=True, reason="核实")
    with pytest.raises(PermissionDenied):
        review_record(record_id=flagged.pk, officer=cast["finance"], accept=True, reason="核实")
    with pytest.raises(UsageError):
        review_record(record_id=flagged.pk, officer=cast["officer"], accept=True, reason=" ")
    review_record(record_id=flagged.pk, officer=cast["officer"], accept=True, reason="终端轨迹核实，双机作业")
    assert rules.progress_for(m).done == Decimal("510")
    event = RecordEvent.objects.get(record=flagged)
    assert (event.action, event.actor, event.reason) == ("accept", cast["officer"], "终端轨迹核实，双机作业")
    with pytest.raises(UsageError):  # checked once; a correction would be a new record
        review_record(record_id=flagged.pk, officer=cast["officer"], accept=False, reason="改判")


def _sheet(rows):
    header = ["出厂编号", "开始时间", "结束时间", "作业量", "纬度", "经度", "耕深"]
    return spreadsheets.xlsx_bytes([header, *rows], title="作业记录")


def test_a_districts_spreadsheet_is_imported_whole_R20(cast, machine, pilot):
    m = machine()
    data = _sheet(
        [
            ["SN-0001", at(4, 1, 8).replace(tzinfo=None), at(4, 1, 12).replace(tzinfo=None), 60, 40.03, 116.3, 27],
            ["SN-0001", "2026-04-02T08:00", "2026-04-02T10:00", 30, 40.03, 116.3, 26],
        ]
    )
    record = import_records(officer=cast["officer"], data=data, file_name="四月.xlsx")
    assert record.rows == 2
    assert WorkRecord.objects.filter(machine=m, source=Source.IMPORT).count() == 2


def test_one_bad_row_refuses_the_whole_spreadsheet_with_errors_by_row_R20(cast, machine, pilot):
    machine()
    data = _sheet(
        [
            ["SN-0001", "2026-04-01T08:00", "2026-04-01T10:00", 30, 40.03, 116.3, 27],
            ["SN-9999", "2026-04-02T08:00", "2026-04-02T10:00", 30, 40.03, 116.3, 27],
            ["SN-0001", "not a time", "2026-04-02T10:00", 30, 40.03, 116.3, 27],
        ]
    )
    with pytest.raises(ImportRefused) as refused:
        import_records(officer=cast["officer"], data=data, file_name="四月.xlsx")
    assert [row for row, _message in refused.value.errors] == [3, 4]
    assert WorkRecord.objects.count() == 0


def test_another_districts_machine_is_an_error_in_the_import_R20(cast, machine, pilot):
    machine()
    data = _sheet([["SN-0001", "2026-04-01T08:00", "2026-04-01T10:00", 30, 40.03, 116.3, 27]])
    with pytest.raises(ImportRefused):
        import_records(officer=cast["other_officer"], data=data, file_name="x.xlsx")
    assert WorkRecord.objects.count() == 0


def test_the_buyer_enters_a_record_with_a_photo_for_the_office_to_check_R20(cast, machine, pilot, photo):
    m = machine()
    record = enter_record(machine_id=m.pk, buyer=m.buyer, incoming=incoming(at(4, 1, 8)), files=[photo()])
    assert record.flags == [Flag.BY_HAND] and record.status == RecordStatus.FLAGGED
    assert record.evidence.count() == 1
    with pytest.raises(UsageError):  # no evidence
        enter_record(machine_id=m.pk, buyer=m.buyer, incoming=incoming(at(4, 2, 8)), files=[])
    with pytest.raises(Http404):
        enter_record(machine_id=m.pk, buyer=cast["other_buyer"], incoming=incoming(at(4, 3, 8)), files=[photo()])
    assert Application.objects.get(pk=m.pk).work_records.count() == 1
