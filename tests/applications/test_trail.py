"""Every decision leaves an immutable record of who, when, what and why (R45)."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from applications import services
from applications.events import verify_chain
from applications.models import ApplicationEvent

pytestmark = pytest.mark.django_db


def test_each_step_is_an_event_with_who_from_to_and_why_R45(cast, verified):
    app = verified()
    services.open_notice(application_id=app.pk, officer=cast["officer"])
    rows = list(
        ApplicationEvent.objects.filter(application=app).values_list(
            "action", "from_state", "to_state", "actor__username"
        )
    )
    assert rows == [
        ("create", "", "draft", "b1"),
        ("submit", "draft", "submitted", "b1"),
        ("accept", "submitted", "accepted", "o1"),
        ("verify_pass", "accepted", "verified", "o1"),
        ("open_notice", "verified", "in_notice", "o1"),
    ]
    assert ApplicationEvent.objects.get(application=app, action="verify_pass").reason == "铭牌与发票一致"


def test_events_cannot_be_updated_or_deleted_in_the_database_R45(cast, submitted):
    app = submitted()
    event = ApplicationEvent.objects.filter(application=app).last()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ApplicationEvent.objects.filter(pk=event.pk).update(reason="改写")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ApplicationEvent.objects.filter(pk=event.pk).delete()
    assert ApplicationEvent.objects.get(pk=event.pk).reason == event.reason


def test_the_chain_finds_an_altered_event_R45(cast, verified, capsys):
    app = verified()
    assert verify_chain() is None
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out
    target = ApplicationEvent.objects.get(application=app, action="accept")
    with connection.cursor() as cursor:  # someone with database access bypasses the trigger
        cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off (superuser only)
        cursor.execute("UPDATE applications_applicationevent SET reason = %s WHERE id = %s", ["改写", target.pk])
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    assert verify_chain() == target
    with pytest.raises(SystemExit) as exited:
        call_command("audit", "verify")
    assert exited.value.code == 1
    assert f"row {target.pk}" in capsys.readouterr().err


def test_events_are_stamped_with_the_time_of_the_decision_R45(cast, submitted):
    before = timezone.now()
    app = submitted()
    event = ApplicationEvent.objects.get(application=app, action="submit")
    assert before <= event.at <= timezone.now()
