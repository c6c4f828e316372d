"""Thin Celery wrappers. ``generate_last_month`` runs daily from beat; from the month's first working day on it
generates last month's reports, once (a month already generated is left as it is)."""

from celery import shared_task
from django.utils import timezone

from .periods import Month, first_working_day


@shared_task
def generate_last_month() -> int:
    from .services import generate_month

    today = timezone.localdate()
    if today < first_working_day(today.year, today.month):
        return 0
    return len(generate_month(month=Month(today.year, today.month).previous()))


@shared_task
def generate_for_month(year: int, month: int, by_id: int | None = None) -> int:
    from accounts.models import User

    from .services import generate_month

    by = User.objects.filter(pk=by_id).first() if by_id else None
    return len(generate_month(month=Month(year, month), by=by))


@shared_task
def remind_annual_summaries() -> int:
    from .summaries import remind

    return remind()
