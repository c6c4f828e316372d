"""The demo data set's money (issue 6 "Demo data"): both districts funded in every source, pre-registration shown,
a batch waiting for approval, a paid batch with its return file and one reconciliation exception; and the whole
ledger balances (R21–R23)."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.models import Application
from applications.workflow import State
from payments import ledger
from payments.models import BatchState, Fund, PaymentBatch, ReconciliationException, ReturnImport

pytestmark = pytest.mark.django_db


def test_demo_money_in_both_districts_and_the_ledger_balances_R21_R31():
    call_command("seed_demo")
    year = timezone.localdate().year
    for code in ("110108", "110114"):
        funds = ledger.balances(Fund.objects.filter(district__code=code, year=year))
        assert {b.source for b in funds if b.received > 0} == {"central", "municipal", "district"}
        states = set(Application.objects.filter(district__code=code).values_list("state", flat=True))
        assert {State.PREREGISTERED, State.PAID, State.PAYMENT_DEFERRED, State.CLAWED_BACK} <= states
        batches = PaymentBatch.objects.filter(district__code=code)
        assert batches.filter(state=BatchState.BUILT).exists()
        assert ReturnImport.objects.filter(batch__in=batches.filter(state=BatchState.CLOSED)).exists()
        assert ReconciliationException.objects.filter(return_import__batch__district__code=code).count() == 1
    result = ledger.check()
    assert result, result.problems
    count = ledger.LedgerEntry.objects.count()
    call_command("seed_demo")
    assert ledger.LedgerEntry.objects.count() == count
