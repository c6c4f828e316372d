"""Two officers importing the same return file at once, on their own PostgreSQL connections, pay once (R36)."""

import pytest

from applications.workflow import State
from payments import ledger
from payments import services as payments
from payments.models import EntryKind, LedgerEntry, Payment, ReturnImport
from tests.applications.test_concurrency import race
from tests.payments.conftest import return_file

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_officers_importing_one_return_file_at_once_pay_once_R36(cast, haidian, fund, requested, second_finance):
    fund(haidian)
    app = requested()
    batch = payments.build_batch(officer=cast["finance"], application_ids=[app.pk])
    payments.approve_batch(batch_id=batch.pk, officer=second_finance)
    payments.export_batch(batch_id=batch.pk, officer=cast["finance"], file_format="csv")
    data = return_file(batch, [(app, "成功", "RACE-V1", None, "")])
    outcomes = race(
        lambda: payments.import_return(batch_id=batch.pk, officer=cast["finance"], data=data, file_name="a.csv"),
        lambda: payments.import_return(batch_id=batch.pk, officer=second_finance, data=data, file_name="b.csv"),
    )
    assert all(isinstance(o, ReturnImport) for o in outcomes), outcomes
    assert sorted(o.paid for o in outcomes) == [0, 1]
    assert Payment.objects.filter(application=app).count() == 1
    assert LedgerEntry.objects.filter(application=app, kind=EntryKind.PAYMENT).count() == 2
    app.refresh_from_db()
    assert app.state == State.PAID
    assert ledger.check()


def test_two_vouchers_for_one_application_raced_leave_one_payment_R36(cast, haidian, fund, requested, second_finance):
    """Two different return files (different vouchers) for the same application, imported at once."""
    fund(haidian)
    app = requested()
    batch = payments.build_batch(officer=cast["finance"], application_ids=[app.pk])
    payments.approve_batch(batch_id=batch.pk, officer=second_finance)
    payments.export_batch(batch_id=batch.pk, officer=cast["finance"], file_format="csv")
    first = return_file(batch, [(app, "成功", "RACE-A", None, "")])
    second = return_file(batch, [(app, "成功", "RACE-B", None, "")])
    outcomes = race(
        lambda: payments.import_return(batch_id=batch.pk, officer=cast["finance"], data=first, file_name="a.csv"),
        lambda: payments.import_return(batch_id=batch.pk, officer=second_finance, data=second, file_name="b.csv"),
    )
    assert sorted(o.paid for o in outcomes) == [0, 1], outcomes
    assert Payment.objects.count() == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 2


def test_two_officers_batching_one_request_at_once_batch_it_once_R36(cast, haidian, fund, requested, second_finance):
    from applications.services import ApplicationError
    from payments.models import BatchItem, PaymentBatch

    fund(haidian)
    app = requested()
    outcomes = race(
        lambda: payments.build_batch(officer=cast["finance"], application_ids=[app.pk]),
        lambda: payments.build_batch(officer=second_finance, application_ids=[app.pk]),
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["PaymentBatch", "PaymentError"], outcomes
    assert isinstance([o for o in outcomes if not isinstance(o, PaymentBatch)][0], ApplicationError)
    assert BatchItem.objects.filter(application=app).count() == 1


def test_a_submission_racing_the_year_end_lands_in_the_next_year_R37(cast, haidian, fund, product, fill, monkeypatch):
    """The submission has read the open year (still this one) when the municipality closes it: closing waits for the
    submission to commit and then carries it, so no application is left behind in a closed year."""
    import time

    from django.utils import timezone

    from applications import services
    from applications.models import Application

    fund(haidian)
    draft = fill(services.start_application(buyer=cast["buyer"], district=haidian), product, serial="RACE-YEAR")
    year = timezone.localdate().year
    from payments.services import submission

    read_year = submission.subsidy_year_on

    def slow(day):
        found = read_year(day)
        time.sleep(0.5)  # the year is read; the rollover starts meanwhile
        return found

    monkeypatch.setattr(submission, "subsidy_year_on", slow)
    outcomes = race(
        lambda: services.submit_application(application_id=draft.pk, buyer=cast["buyer"], accept_commitment=True),
        lambda: (time.sleep(0.1), payments.rollover(year=year))[1],
    )
    assert isinstance(outcomes[0], Application) and outcomes[1]["applications"], outcomes
    draft.refresh_from_db()
    assert (draft.state, draft.year, draft.carried_from) == (State.SUBMITTED, year + 1, year)
    assert ledger.check()
