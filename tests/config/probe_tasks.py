"""A task for tests/config only: the worker under test imports it with ``--include``.

Its effect is a row in the database, so the test sees that a real worker took the message off Redis and ran
it with the project's settings and database (results are not stored: CELERY_RESULT_BACKEND is None).
"""

from datetime import timedelta

from celery import shared_task

PROBE_TASK = "tests.config.probe_tasks.record_probe"


@shared_task(name=PROBE_TASK)
def record_probe(token: str) -> None:
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.create(session_key=token, session_data="", expire_date=timezone.now() + timedelta(minutes=5))
