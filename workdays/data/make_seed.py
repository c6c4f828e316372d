"""Write the seed calendar (2024–2026) from the ``chinese-calendar`` package, a dev-only dependency.

Run ``python -m workdays.data.make_seed`` after upgrading the package; the migration ``0002`` loads the file it
writes, and ``tests/workdays/test_seed.py`` checks the file against the package day by day. Nothing at run time
imports this module.
"""

import csv
import datetime
import sys
from pathlib import Path

from chinese_calendar import constants

YEARS = range(2024, 2027)
SEED_FILE = Path(__file__).resolve().parent / "calendar-2024-2026.csv"

# chinese-calendar names its festivals in English; the calendar's notes use the notice's Chinese names.
FESTIVALS = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}


def seed_rows() -> list[tuple[datetime.date, str, str]]:
    """The days of 2024–2026 that differ from the weekend rule: weekday holidays and weekend workdays (调休)."""
    holidays = [(day, name) for day, name in constants.holidays.items() if day.year in YEARS and day.weekday() < 5]
    workdays = [(day, name) for day, name in constants.workdays.items() if day.year in YEARS and day.weekday() >= 5]
    rows = [(day, "holiday", FESTIVALS[name]) for day, name in holidays]
    rows += [(day, "workday", f"{FESTIVALS[name]}调休") for day, name in workdays]
    return sorted(rows)


def main() -> None:
    with SEED_FILE.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["date", "kind", "note"])
        writer.writerows((day.isoformat(), kind, note) for day, kind, note in seed_rows())
    sys.stdout.write(f"wrote {SEED_FILE}\n")


if __name__ == "__main__":
    main()
