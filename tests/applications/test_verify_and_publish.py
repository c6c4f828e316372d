"""A documents-only check that passed is verified and published in one step (R32–R34): one decision on the page,
one transaction; any other method, or a failed check, stays two decisions and nothing changes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application, ApplicationEvent, Deadline, EventAction, Step, Verification
from applications.services import ApplicationError
from applications.workflow import State

pytestmark = pytest.mark.django_db


def verify(client, app, **overrides):
    data = {
        "verify-method": "documents",
        "verify-checked_on": timezone.localdate().isoformat(),
        "verify-findings": "发票、铭牌与照片一致",
        "verify-passed": "yes",
        "verify-publish": "on",
        **overrides,
    }
    return client.post(reverse("office:verify", args=[app.pk]), data)


def test_a_documents_check_verifies_and_opens_the_notice_in_one_step_R32_R34(cast, submitted, login):
    app = submitted()
    services.accept_application(application_id=app.pk, officer=cast["officer"])
    assert verify(login(cast["officer"]), app).status_code == 302
    app.refresh_from_db()
    assert app.state == State.IN_NOTICE
    assert Verification.objects.get(application=app).method == "documents"
    actions = list(ApplicationEvent.objects.filter(application=app).values_list("action", flat=True).order_by("id"))
    assert actions[-2:] == [EventAction.VERIFY_PASS, EventAction.OPEN_NOTICE]
    assert Deadline.objects.filter(application=app, step=Step.NOTICE, met_at__isnull=True).exists()


def test_another_method_with_publish_ticked_is_refused_beside_the_field_and_nothing_changes_R32(cast, submitted, login):
    app = submitted()
    services.accept_application(application_id=app.pk, officer=cast["officer"])
    response = verify(login(cast["officer"]), app, **{"verify-method": "sample"})
    assert response.status_code == 400 or response.status_code == 200
    assert Application.objects.get(pk=app.pk).state == State.ACCEPTED
    assert not Verification.objects.filter(application=app).exists()


def test_the_service_refuses_a_failed_check_in_one_step_R32(cast, submitted):
    app = submitted()
    services.accept_application(application_id=app.pk, officer=cast["officer"])
    with pytest.raises(ApplicationError):
        services.verify_and_open_notice(
            application_id=app.pk,
            officer=cast["officer"],
            method="documents",
            checked_on=timezone.localdate(),
            findings="照片与发票不符",
            passed=False,
        )
    assert Application.objects.get(pk=app.pk).state == State.ACCEPTED


def test_another_district_cannot_verify_and_publish(cast, submitted, login):
    app = submitted()
    services.accept_application(application_id=app.pk, officer=cast["officer"])
    assert verify(login(cast["other_officer"]), app).status_code == 404
    assert Application.objects.get(pk=app.pk).state == State.ACCEPTED
