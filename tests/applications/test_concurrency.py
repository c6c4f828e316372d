"""Concurrent decisions on one application are refused: one wins, the other is told (R45), on real connections."""

import threading

import pytest
from django.db import connection

from applications import services
from applications.models import Application, ApplicationEvent, Deadline, Step
from applications.services import ApplicationError
from applications.workflow import State

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def race(*calls):
    """Run the calls at once on their own database connections; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is the point
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_two_officers_accepting_at_once_accept_once_R30(cast, submitted, new_user):
    app = submitted()
    colleague = new_user("o3", "district_agriculture", cast["officer"].district)
    outcomes = race(
        lambda: services.accept_application(application_id=app.pk, officer=cast["officer"]),
        lambda: services.accept_application(application_id=app.pk, officer=colleague),
    )
    accepted = [o for o in outcomes if isinstance(o, Application)]
    refused = [o for o in outcomes if isinstance(o, ApplicationError)]
    assert (len(accepted), len(refused)) == (1, 1), outcomes
    assert Application.objects.get(pk=app.pk).state == State.ACCEPTED
    assert ApplicationEvent.objects.filter(application=app, action="accept").count() == 1
    assert Deadline.objects.filter(application=app, step=Step.VERIFY).count() == 1


def test_two_buyers_submitting_one_serial_at_once_submit_once_R11(cast, product, fill):
    drafts = []
    for buyer in (cast["buyer"], cast["other_buyer"]):
        draft = services.start_application(buyer=buyer, district=buyer.district)
        drafts.append(fill(draft, product, serial="RACE-1"))
    outcomes = race(
        *(
            lambda d=d: services.submit_application(application_id=d.pk, buyer=d.buyer, accept_commitment=True)
            for d in drafts
        )
    )
    refused = [o for o in outcomes if isinstance(o, ApplicationError)]
    assert len(refused) == 1 and refused[0].rule == "R11", outcomes
    assert Application.objects.filter(serial_key="RACE-1", state=State.SUBMITTED).count() == 1
