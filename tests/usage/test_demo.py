"""The demo data set of the application subsidy (issue 17): two pilot kinds, a machine on its way with a record
flagged for overlap and one entered by hand, a claim in the office queue, an incentive paid; the ledger balances and
a second run adds nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.models import Application, Kind, State
from payments import ledger
from payments.models import EntryKind, LedgerEntry
from usage import rules
from usage.models import Flag, PilotKind, RecordStatus, Source, WorkRecord

pytestmark = pytest.mark.django_db


def test_the_demo_shows_each_step_of_the_application_subsidy_R20():
    call_command("seed_demo")
    year = timezone.localdate().year
    assert PilotKind.objects.filter(year=year).count() == 2
    assert set(WorkRecord.objects.values_list("source", flat=True)) == set(Source.values)
    overlap = WorkRecord.objects.get(external_id="DEMO-OVERLAP")
    assert overlap.flags == [Flag.OVERLAP] and overlap.status == RecordStatus.FLAGGED
    claims = Application.objects.filter(kind=Kind.INCENTIVE)
    assert sorted(claims.values_list("state", flat=True)) == [State.PAID, State.SUBMITTED]
    on_way = Application.objects.get(serial_key="DEMO-PAY-110108-100")
    progress = rules.progress_for(on_way)
    assert str(progress.done) == "326.00" and not progress.met
    assert LedgerEntry.objects.filter(kind=EntryKind.INCENTIVE).exists()
    result = ledger.check()
    assert result, result.problems
    count = WorkRecord.objects.count()
    call_command("seed_demo")
    assert WorkRecord.objects.count() == count
