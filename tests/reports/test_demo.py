"""The demo data: two past months of reports for 海淀区, 昌平区 and the city, one corrected; a late case in every
step of each month; a submitted and a missing annual summary; the ledger and the trail still check out."""

import pytest
import time_machine
from django.core.management import call_command

from applications.events import verify_chain
from payments import ledger
from reports.models import AnnualSummary, MonthlyReport, SummaryState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@time_machine.travel("2026-12-01 10:00 +0800", tick=True)
def test_demo_reports_of_two_months_with_a_correction_and_the_summaries():
    call_command("seed_demo")
    months = sorted(set(MonthlyReport.objects.values_list("year", "month")))
    assert months == [(2026, 10), (2026, 11)]
    for year, month in months:
        for code in ("110108", "110114", None):
            reports = MonthlyReport.objects.filter(year=year, month=month, district__code=code) if code else \
                MonthlyReport.objects.filter(year=year, month=month, district__isnull=True)  # fmt: skip
            assert reports.filter(version=1).exists(), (month, code)
            if code:
                late = {s["step"] for s in reports.get(version=1).figures["steps"] if s["late_m"]}
                assert late == {"accept", "verify", "notice", "hand_over", "overall", "pay"}, (month, code)
    correction = MonthlyReport.objects.get(version=2)
    assert (correction.district.code, correction.month) == ("110108", 10) and correction.changed_figures
    assert AnnualSummary.objects.get(district__code="110108", year=2026).state == SummaryState.SUBMITTED
    assert not AnnualSummary.objects.filter(district__code="110114").exists()
    assert ledger.check(), ledger.check().problems
    assert verify_chain() is None
    _no_source_pays_more_than_it_received()
    count = MonthlyReport.objects.count()
    call_command("seed_demo")
    assert MonthlyReport.objects.count() == count


def _no_source_pays_more_than_it_received():
    """The dashboard's execution rate stays a share (R21): the demo's history brings the money it pays."""
    from accounts.models import District
    from reports.dashboard import dashboard

    for district in District.objects.all():
        for row in dashboard([district])["money"]:
            assert row["available"] >= 0, (district.name, row)
            assert row["rate"] is None or row["rate"] <= 100, (district.name, row)
