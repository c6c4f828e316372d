"""Reading the State Council's holiday notice as a small CSV: columns date, kind, note (a header row is optional).

Kinds are ``holiday`` or ``workday``, or the notice's own words 休 and 班. Dates are 2027-01-01 or 2027/1/1 (as
Excel saves them). Every bad row is reported with its error; a file with any bad row imports nothing.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext

from .models import DayKind, SpecialDay, special_day_error

KINDS = {
    "holiday": DayKind.HOLIDAY,
    "休": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY,
    "班": DayKind.WORKDAY,
}
HEADERS = {"date", "日期"}
DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
NOTE_LENGTH = SpecialDay._meta.get_field("note").max_length


@dataclass(frozen=True)
class NoticeRow:
    date: datetime.date
    kind: str
    note: str


@dataclass(frozen=True)
class RowError:
    line: int
    text: str
    message: str


@dataclass(frozen=True)
class Notice:
    rows: tuple[NoticeRow, ...]
    errors: tuple[RowError, ...]


def parse_date(text: str) -> datetime.date:
    """2027-01-01 or 2027/1/1; ValueError otherwise."""
    match = DATE.fullmatch(text.strip())
    if not match:
        raise ValueError(text)
    return datetime.date(*map(int, match.groups()))


def decode(data: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes), else GB18030 as Excel saves CSV on Chinese Windows."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def parse_notice(*, text: str, year: int) -> Notice:
    rows: list[NoticeRow] = []
    errors: list[RowError] = []
    seen: set[datetime.date] = set()
    for line, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells) or (line == 1 and cells[0].lower() in HEADERS):
            continue
        row_text = ",".join(cells)
        try:
            row = _parse_row(cells, year=year, seen=seen)
        except ValueError as exc:
            errors.append(RowError(line=line, text=row_text, message=str(exc)))
            continue
        seen.add(row.date)
        rows.append(row)
    if not rows and not errors:
        errors.append(RowError(line=0, text="", message=gettext("The file has no rows.")))
    return Notice(rows=tuple(rows), errors=tuple(errors))


def _parse_row(cells: list[str], *, year: int, seen: set[datetime.date]) -> NoticeRow:
    if len(cells) < 2 or len(cells) > 3:
        raise ValueError(
            gettext("Expected 2 or 3 columns (date, kind, note), found %(count)d.") % {"count": len(cells)}
        )
    date_text, kind_text, note = (*cells, "")[:3]
    try:
        day = parse_date(date_text)
    except ValueError:
        raise ValueError(gettext("“%(text)s” is not a date like 2027-01-01.") % {"text": date_text}) from None
    kind = KINDS.get(kind_text.lower())
    if kind is None:
        raise ValueError(gettext("“%(text)s” is not a kind: use holiday or 休, workday or 班.") % {"text": kind_text})
    if len(note) > NOTE_LENGTH:
        raise ValueError(gettext("The note is longer than %(max)d characters.") % {"max": NOTE_LENGTH})
    if day in seen:
        raise ValueError(gettext("%(date)s appears twice.") % {"date": day.isoformat()})
    if message := special_day_error(day=day, kind=kind, year=year):
        raise ValueError(message)
    return NoticeRow(date=day, kind=kind, note=note)
