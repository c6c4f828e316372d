"""Checks that the figures the writes keep (``Application.next_due``, the fund balances) equal what the rows they
summarise say, run after every test of the apps that write them (autouse fixtures in the conftests)."""

import pytest
from django.db.models import Min

from applications import deadlines
from applications.models import Application, Deadline
from payments import totals


def assert_next_due_kept() -> None:
    """Every application's stored ``next_due`` is the earliest due date of its open deadlines."""
    truth = dict(
        Deadline.objects.filter(met_at__isnull=True)
        .order_by()
        .values("application")
        .annotate(due=Min("due_on"))
        .values_list("application", "due")
    )
    stored = dict(Application.objects.values_list("pk", "next_due"))
    wrong = {pk: (due, truth.get(pk)) for pk, due in stored.items() if due != truth.get(pk)}
    assert not wrong, f"next_due (stored, true) differs: {wrong}"


def store_next_due() -> None:
    """For tests that write deadline rows straight into the database: store each application's next due date as
    ``applications.deadlines`` keeps it."""
    deadlines.refresh_next_due_all(Application.objects.values_list("pk", flat=True))


def after_each_database_test(request, check) -> bool:
    """Arrange for ``check`` to run at the end of the test (before its database is rolled back), if it has one."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if "transactional_db" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif marker or "db" in names:
        request.getfixturevalue("db")
    else:
        return False
    request.addfinalizer(check)
    return True


@pytest.fixture(autouse=True)
def _next_due_kept(request):
    """R40's clocks: the queue's sort key equals the deadlines after whatever the test wrote."""
    after_each_database_test(request, assert_next_due_kept)


def assert_balances_kept() -> None:
    """Every fund's running total of each kind equals the sum of its entries of that kind (R21–R23)."""
    assert totals.differences() == []


@pytest.fixture(autouse=True)
def _balances_kept(request):
    """The ledger's balances: the running totals equal the entries after whatever the test wrote (reserve, pay,
    claw back, reallocate, year end...)."""
    after_each_database_test(request, assert_balances_kept)
