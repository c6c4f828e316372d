"""/finance/ pages for payments: refusals (404 for another district, 403 for the municipality on a district's work),
the actions through the client with the database checked after, and constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.workflow import State
from payments import services as payments
from payments.models import BatchItem, BatchState, Deferral, Export, PaymentBatch

pytestmark = pytest.mark.django_db


def test_building_a_batch_from_the_queue_page_R36(login, cast, haidian, fund, requested):
    fund(haidian)
    app = requested()
    client = login(cast["finance"])
    response = client.post(reverse("payments:build_batch"), {"ids": [app.pk]})
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("payments:batch", args=[batch.pk])
    assert BatchItem.objects.get(batch=batch).application == app
    assert batch.built_by == cast["finance"]


def test_another_districts_application_cannot_be_put_in_a_batch_R36(
    login, cast, haidian, fund, requested, new_user, changping
):
    fund(haidian)
    app = requested()
    stranger = login(new_user("cpf", "district_finance", changping))
    assert stranger.post(reverse("payments:build_batch"), {"ids": [app.pk]}).status_code == 404
    assert stranger.get(reverse("payments:application", args=[app.pk])).status_code == 404
    assert stranger.post(reverse("payments:defer", args=[app.pk]), {"reason": "funds_short"}).status_code == 404
    assert not PaymentBatch.objects.exists()
    app.refresh_from_db()
    assert app.state == State.PAYMENT_REQUESTED


def test_the_municipality_sees_batches_but_does_not_build_approve_or_export_them_R36(
    login, cast, haidian, fund, requested
):
    fund(haidian)
    app = requested()
    batch = payments.build_batch(officer=cast["finance"], application_ids=[app.pk])
    city = login(cast["city_finance"])
    assert city.get(reverse("payments:batch", args=[batch.pk])).status_code == 200
    assert city.post(reverse("payments:approve_batch", args=[batch.pk])).status_code == 403
    assert city.post(reverse("payments:export_batch", args=[batch.pk, "csv"])).status_code == 403
    assert city.post(reverse("payments:build_batch"), {"ids": [app.pk]}).status_code == 403
    batch.refresh_from_db()
    assert batch.state == BatchState.BUILT


def test_approve_and_export_through_the_pages_record_who_R36_R45(login, cast, haidian, fund, requested, second_finance):
    fund(haidian)
    batch = payments.build_batch(officer=cast["finance"], application_ids=[requested().pk])
    own = login(cast["finance"])
    own.post(reverse("payments:approve_batch", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == BatchState.BUILT  # refused: the builder
    client = login(second_finance)
    client.post(reverse("payments:approve_batch", args=[batch.pk]))
    response = client.post(reverse("payments:export_batch", args=[batch.pk, "csv"]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.csv"')
    assert "6228480010012345678" in response.content.decode("utf-8-sig")
    assert Export.objects.get().by == second_finance


def test_deferring_through_the_page_tells_the_buyer_R36(login, cast, haidian, fund, requested):
    fund(haidian)
    app = requested()
    client = login(cast["finance"])
    client.post(reverse("payments:defer", args=[app.pk]), {"reason": "investigation", "note": "核查中", "expected": ""})
    app.refresh_from_db()
    assert app.state == State.PAYMENT_DEFERRED
    assert Deferral.objects.get(application=app).by == cast["finance"]
    client.post(reverse("payments:resume", args=[app.pk]))
    app.refresh_from_db()
    assert app.state == State.PAYMENT_REQUESTED


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_ledger_and_queue_pages_do_not_grow_with_the_data(login, cast, haidian, changping, fund, requested):
    def counts():
        queue = _queries(login(cast["finance"]), reverse("payments:queue"))
        ledger_page = _queries(login(cast["city_finance"]), reverse("payments:ledger"))
        return queue, ledger_page

    fund(haidian)
    requested(serial="Q-1")
    small = counts()
    fund(changping)
    for n in range(2, 5):
        requested(serial=f"Q-{n}")
    assert counts() == small


def test_after_a_failed_payment_the_buyer_corrects_the_account_and_it_is_paid_again_R36(
    login, cast, haidian, fund, requested, second_finance
):
    from applications.models import ApplicationEvent
    from tests.payments.test_payment import return_file

    fund(haidian)
    app = requested()
    url = reverse("apply_payment:account", args=[app.pk])
    new = {"payee_name": "张三", "bank_name": "北京农商银行", "account_number": "6217 7000 0000 1234"}
    buyer = login(cast["buyer"])
    buyer.post(url, new)  # refused: nothing has failed yet
    app.refresh_from_db()
    assert app.account_number == "6228480010012345678"
    batch = payments.build_batch(officer=cast["finance"], application_ids=[app.pk])
    payments.approve_batch(batch_id=batch.pk, officer=second_finance)
    payments.export_batch(batch_id=batch.pk, officer=cast["finance"], file_format="csv")
    payments.import_return(
        batch_id=batch.pk,
        officer=cast["finance"],
        data=return_file(batch, [(app, "失败", "", None, "户名与账号不符")]),
        file_name="r.csv",
    )
    buyer = login(cast["buyer"])
    assert "户名与账号不符" in buyer.get(url).content.decode()
    assert buyer.post(url, new).status_code == 302
    app.refresh_from_db()
    assert (app.account_number, app.bank_name) == ("6217700000001234", "北京农商银行")
    assert ApplicationEvent.objects.filter(application=app, action="account_corrected").exists()
    assert login(cast["other_buyer"]).get(url).status_code == 404
    assert payments.build_batch(officer=cast["finance"], application_ids=[app.pk]).items.count() == 1


def test_building_a_batch_takes_the_same_queries_for_2_and_12_requests_R36(cast, haidian, fund, requested):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from payments import services as payments

    fund(haidian)
    apps = [requested(serial=f"QB-{n}") for n in range(12)]

    def built(ids) -> int:
        with CaptureQueriesContext(connection) as queries:
            try:
                with transaction.atomic():
                    payments.build_batch(officer=cast["finance"], application_ids=ids)
                    raise RuntimeError("roll back")
            except RuntimeError:
                pass
        return len(queries.captured_queries)

    assert built([a.pk for a in apps[:2]]) == built([a.pk for a in apps])
