"""A notice is never stuck (issue 14, part 4; R34, R40): an objection after the notice's last day is refused,
a clock paused after its due day resumes when the investigation clears, and the sweep reports any application
in a timed state without its open deadline. The clock is moved across midnight with time-machine."""

import logging
from datetime import date, timedelta

import pytest
import time_machine

from applications import services
from applications.models import Deadline, Objection, Step
from applications.services import ApplicationError
from applications.sweep import sweep
from applications.workflow import State

pytestmark = pytest.mark.django_db


def at(moment: str):
    return time_machine.travel(f"{moment} +0800", tick=False)


@pytest.fixture
def in_notice(cast, verified):
    """In notice from Monday 2026-09-28; its 5th working day is Saturday 10-10 (a 调休 working day)."""
    with at("2026-09-28 10:00"):
        app = verified()
        app = services.open_notice(application_id=app.pk, officer=cast["officer"])
    assert Deadline.objects.get(application=app, step=Step.NOTICE).due_on == date(2026, 10, 10)
    return app


def test_an_objection_on_the_last_evening_is_received_R34(in_notice):
    with at("2026-10-10 23:59"):
        services.object_to_notice(application_id=in_notice.pk, text="该机具实际为他人所有")
    in_notice.refresh_from_db()
    assert in_notice.state == State.UNDER_INVESTIGATION and Objection.objects.count() == 1


def test_an_objection_after_midnight_of_the_last_day_is_refused_and_the_sweep_closes_the_notice_R34(in_notice):
    with at("2026-10-11 00:01"):  # the notice is over; the sweep has not run yet
        with pytest.raises(ApplicationError) as refused:
            services.object_to_notice(application_id=in_notice.pk, text="该机具实际为他人所有")
        assert refused.value.rule == "R34" and "2026-10-10" in refused.value.message
        assert "公示已于" in refused.value.message
        in_notice.refresh_from_db()
        assert in_notice.state == State.IN_NOTICE and Objection.objects.count() == 0
        result = sweep()
    in_notice.refresh_from_db()
    assert result.notices_closed == [in_notice.pk] and in_notice.state == State.NOTICE_PASSED
    assert result.stuck == []
    assert Deadline.objects.filter(application=in_notice, step=Step.HAND_OVER, met_at__isnull=True).exists()


def test_the_public_page_says_so_when_an_objection_comes_too_late_R34(client, in_notice):
    from django.urls import reverse

    with at("2026-10-11 00:01"):
        url = reverse("notices:object", args=[in_notice.pk])
        response = client.post(url, {"text": "该机具实际为他人所有"})
    assert response.status_code == 200
    assert "公示已于 2026-10-10 结束" in response.content.decode()
    assert Objection.objects.count() == 0


def test_a_notice_paused_after_its_last_day_resumes_when_cleared_and_then_closes_R34_R40(cast, in_notice):
    with at("2026-10-11 00:01"):  # an investigation (a sample finding) starts before the sweep ran
        services.investigate(application_id=in_notice.pk, reason="抽查发现铭牌存疑")
        result = sweep()
    assert result.notices_closed == [] and result.stuck == []
    notice = Deadline.objects.get(application=in_notice, step=Step.NOTICE)
    assert notice.met_at is None  # kept open, to resume
    with at("2026-10-12 09:00"):
        services.clear_investigation(application_id=in_notice.pk, officer=cast["officer"], finding="经核实无误")
        assert sweep().stuck == []
    in_notice.refresh_from_db()
    notice.refresh_from_db()
    assert in_notice.state == State.IN_NOTICE and notice.met_at is None and notice.due_on >= date(2026, 10, 12)
    with at(f"{notice.due_on.isoformat()} 23:59"):  # its new last day: still open
        assert sweep().notices_closed == []
    with at(f"{(notice.due_on + timedelta(days=1)).isoformat()} 00:01"):  # past midnight: the sweep closes it
        assert sweep().notices_closed == [in_notice.pk]


def test_the_sweep_reports_an_application_in_notice_without_its_open_deadline_R40(in_notice, caplog):
    Deadline.objects.filter(application=in_notice, step=Step.NOTICE).update(met_at="2026-10-01T10:00:00+08:00")
    with caplog.at_level(logging.WARNING, logger="applications.sweep"), at("2026-10-02 10:00"):
        result = sweep()
    assert result.stuck == [in_notice.pk]
    assert f"{in_notice.number} ({in_notice.pk}) is in_notice without an open notice deadline" in caplog.text
