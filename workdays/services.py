"""Writing the calendar: importing a year's notice and confirming a year."""

from django.db import transaction
from django.utils import timezone

from .models import CalendarYear, SpecialDay
from .notice import NoticeRow


def import_notice(*, year: int, rows: tuple[NoticeRow, ...], source: str = "") -> CalendarYear:
    """Replace the special days of ``year`` with ``rows`` (already checked by ``parse_notice``).

    The year becomes unconfirmed: the arithmetic keeps counting weekends only until someone confirms it.
    """
    with transaction.atomic():
        calendar_year, _ = CalendarYear.objects.select_for_update().get_or_create(year=year)
        calendar_year.special_days.all().delete()
        SpecialDay.objects.bulk_create(
            SpecialDay(calendar_year=calendar_year, date=row.date, kind=row.kind, note=row.note) for row in rows
        )
        calendar_year.confirmed = False
        calendar_year.confirmed_by = None
        calendar_year.confirmed_at = None
        if source:
            calendar_year.source = source
        calendar_year.save()
    return calendar_year


def confirm_year(*, year: int, by=None) -> CalendarYear:
    """Mark ``year`` confirmed by ``by`` (None from the command line) now; confirming twice keeps the first."""
    with transaction.atomic():
        calendar_year = CalendarYear.objects.select_for_update().get(year=year)
        if not calendar_year.confirmed:
            calendar_year.confirmed = True
            calendar_year.confirmed_by = by
            calendar_year.confirmed_at = timezone.now()
            calendar_year.save(update_fields=["confirmed", "confirmed_by", "confirmed_at"])
    return calendar_year
