"""The generated report is evidence: its figures, PDF and XLSX stored with their SHA-256, never changed; a
correction is a new version naming what changed and why; the beat task generates a month once (R40, R45)."""

import hashlib
import io

import pytest
import time_machine
from django.db import DatabaseError, transaction
from openpyxl import load_workbook

from accounts.models import District
from applications.models import EventAction, State
from notifications.models import Notification
from reports import services, tasks
from reports.errors import ReportError
from reports.figures import canonical
from reports.models import MonthlyReport
from reports.periods import Month
from tests.reports.scenario import build

OCTOBER = Month(2026, 10)


@pytest.fixture
def scenario(rows, haidian, changping, cast):
    return build(rows, haidian, changping, cast)


@pytest.fixture
def report(scenario, haidian, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report, created = services.generate_report(month=OCTOBER, district=haidian)
    assert created
    return report


def test_files_and_figures_are_stored_with_their_sha256_R45(report):
    report.refresh_from_db()
    assert report.figures_sha256 == hashlib.sha256(canonical(report.figures)).hexdigest()
    assert report.pdf_sha256 == hashlib.sha256(bytes(report.pdf)).hexdigest()
    assert report.xlsx_sha256 == hashlib.sha256(bytes(report.xlsx)).hexdigest()
    assert bytes(report.pdf).startswith(b"%PDF-")
    assert (report.version, report.supersedes, report.district.name) == (1, None, "海淀区")


def test_a_later_change_of_the_rows_does_not_change_the_report(report, rows, haidian):
    before = dict(report.figures)
    app = rows.application(haidian, state=State.ACCEPTED)
    rows.event(app, EventAction.ACCEPT, "2026-10-21")
    again, created = services.generate_report(month=OCTOBER, district=haidian)
    assert (again.pk, created) == (report.pk, False)
    again.refresh_from_db()
    assert again.figures == before


def test_the_database_refuses_to_update_or_delete_a_report(report):
    with pytest.raises(DatabaseError), transaction.atomic():
        MonthlyReport.objects.filter(pk=report.pk).update(correction_reason="altered")
    with pytest.raises(DatabaseError), transaction.atomic():
        MonthlyReport.objects.filter(pk=report.pk).delete()
    report.refresh_from_db()
    assert report.correction_reason == ""


def test_a_correction_is_a_new_version_naming_the_changed_figures_R45(report, rows, haidian, cast):
    app = rows.application(haidian, state=State.ACCEPTED)
    rows.event(app, EventAction.ACCEPT, "2026-10-21", actor=cast["officer"])
    new = services.correct_report(report_id=report.pk, by=cast["city"], reason="补录10月21日受理的申请")
    assert (new.version, new.supersedes_id, new.correction_reason) == (2, report.pk, "补录10月21日受理的申请")
    changed = {c["path"]: (c["old"], c["new"]) for c in new.changed_figures}
    assert changed["applications.month.accepted"] == (2, 3)
    assert changed["applications.ytd.accepted"] == (5, 6)
    old = MonthlyReport.objects.get(pk=report.pk)
    assert old.figures["applications"]["month"]["accepted"] == 2  # the old version stays as it was
    assert old.pdf_sha256 == report.pdf_sha256


def test_a_correction_without_a_change_or_a_reason_is_refused(report, cast):
    with pytest.raises(ReportError):
        services.correct_report(report_id=report.pk, by=cast["city"], reason="")
    with pytest.raises(ReportError, match="没有任何数据变动"):
        services.correct_report(report_id=report.pk, by=cast["city"], reason="复核")
    assert MonthlyReport.objects.count() == 1


def test_the_current_month_cannot_be_generated(haidian):
    with time_machine.travel("2026-10-30 12:00 +0800"), pytest.raises(ReportError):
        services.generate_report(month=OCTOBER, district=haidian)
    assert not MonthlyReport.objects.exists()


def test_the_bureaus_and_the_district_are_told(report, cast):
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"c1", "c2", "o1", "f1"} <= told
    assert "o2" not in told and "b1" not in told


def test_the_beat_task_generates_last_month_once_from_the_first_working_day(scenario, haidian, changping):
    District.objects.exclude(pk__in=[haidian.pk, changping.pk]).update(active=False)  # fewer PDFs to render
    with time_machine.travel("2026-10-07 09:00 +0800"):  # the National Day week: no working day yet
        assert tasks.generate_last_month() == 0
    with time_machine.travel("2026-10-08 09:00 +0800"):  # after the holiday week: September's reports
        assert tasks.generate_last_month() == 3  # the city, 海淀区, 昌平区
    with time_machine.travel("2026-11-01 09:00 +0800"):  # a Sunday: not yet
        assert tasks.generate_last_month() == 0
    with time_machine.travel("2026-11-02 09:00 +0800"):  # Monday 2 November, the first working day
        assert tasks.generate_last_month() == 3
        assert tasks.generate_last_month() == 0  # idempotent
    assert MonthlyReport.objects.filter(year=2026, month=10).count() == 3
    assert MonthlyReport.objects.filter(year=2026, month=10, district__isnull=True).count() == 1


def test_the_xlsx_has_one_sheet_per_table_numbers_as_numbers_and_no_formula(report):
    book = load_workbook(io.BytesIO(bytes(report.xlsx)))
    assert "实施进度统计表" in book.sheetnames and "资金结算进度统计表" in book.sheetnames
    flow = book["按环节的申请"] if "按环节的申请" in book.sheetnames else book.worksheets[1]
    values = [[c.value for c in row] for row in flow.iter_rows(min_row=2)]
    assert all(isinstance(v[1], int) for v in values)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f"
