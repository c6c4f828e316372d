"""Load the 2024–2026 calendar from workdays/data/calendar-2024-2026.csv and mark those years confirmed."""

import csv
import datetime
from pathlib import Path

from django.db import migrations
from django.utils import timezone

SEED_FILE = Path(__file__).resolve().parent.parent / "data" / "calendar-2024-2026.csv"
YEARS = (2024, 2025, 2026)
SOURCE = "国务院办公厅关于{year}年部分节假日安排的通知 (seeded from chinese-calendar 1.11.0)"


def load(apps, schema_editor):
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    SpecialDay = apps.get_model("workdays", "SpecialDay")
    now = timezone.now()
    years = {
        year: CalendarYear.objects.create(year=year, confirmed=True, confirmed_at=now, source=SOURCE.format(year=year))
        for year in YEARS
    }
    with SEED_FILE.open(encoding="utf-8", newline="") as seed:
        days = [
            SpecialDay(calendar_year=years[day.year], date=day, kind=row["kind"], note=row["note"])
            for row in csv.DictReader(seed)
            for day in [datetime.date.fromisoformat(row["date"])]
        ]
    SpecialDay.objects.bulk_create(days)


def unload(apps, schema_editor):
    apps.get_model("workdays", "CalendarYear").objects.filter(year__in=YEARS).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
