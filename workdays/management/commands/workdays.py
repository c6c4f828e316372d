"""``manage.py workdays``: the working-day calendar from the command line.

    workdays due 2026-09-30 5             prints the due date (ISO); warns on stderr for unconfirmed years
    workdays import notice.csv --year 2027 replaces the year's special days (nothing if any row is bad)
    workdays confirm 2027 [--by USERNAME]  marks the year confirmed

Bad input prints one line and exits with status 2.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, no_translations

from workdays.calendar import due_date
from workdays.forms import FIRST_YEAR, LAST_YEAR, MAX_WORKING_DAYS
from workdays.models import CalendarYear
from workdays.notice import decode, parse_date, parse_notice
from workdays.services import confirm_year, import_notice

BAD_INPUT = 2


def _bad(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


def _year(text: str) -> int:
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise _bad(f"invalid year: {text!r} (expected {FIRST_YEAR}..{LAST_YEAR})")
    return int(text)


class Command(BaseCommand):
    help = "Working-day calendar: due dates, importing a year's notice, confirming a year."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="{due,import,confirm}")
        due = commands.add_parser("due", help="print the due date N working days after START (day 0)")
        due.add_argument("start", help="YYYY-MM-DD")
        due.add_argument("n", help="working days")
        imported = commands.add_parser("import", help="replace a year's special days with a CSV: date,kind,note")
        imported.add_argument("file")
        imported.add_argument("--year", required=True)
        imported.add_argument("--source", default="", help="the notice the days were taken from")
        confirm = commands.add_parser("confirm", help="mark a year's calendar confirmed")
        confirm.add_argument("year")
        confirm.add_argument("--by", default="", help="username of the person who confirmed it")

    @no_translations
    def handle(self, *args, subcommand, **options):
        {"due": self.due, "import": self.import_notice, "confirm": self.confirm}[subcommand](**options)

    def due(self, *, start, n, **options):
        try:
            start_date = parse_date(start)
        except ValueError:
            raise _bad(f"invalid date: {start!r} (expected YYYY-MM-DD)") from None
        if not FIRST_YEAR <= start_date.year <= LAST_YEAR:
            raise _bad(f"invalid date: {start!r} (expected a year from {FIRST_YEAR} to {LAST_YEAR})")
        if not n.isdigit() or int(n) > MAX_WORKING_DAYS:
            raise _bad(f"invalid number of working days: {n!r} (expected 0..{MAX_WORKING_DAYS})")
        result = due_date(start_date, int(n))
        for year in result.unconfirmed_years:
            self.stderr.write(f"warning: calendar for {year} not confirmed (counted weekends only)")
        self.stdout.write(result.date.isoformat())

    def import_notice(self, *, file, year, source, **options):
        year = _year(year)
        try:
            text = decode(Path(file).read_bytes())
        except (OSError, UnicodeDecodeError) as exc:
            raise _bad(f"cannot read {file}: {exc}") from None
        notice = parse_notice(text=text, year=year)
        for error in notice.errors:
            self.stderr.write(f"{file}:{error.line}: {error.message} [{error.text}]")
        if notice.errors:
            raise _bad(f"nothing imported: {len(notice.errors)} bad row(s) in {file}")
        import_notice(year=year, rows=notice.rows, source=source)
        self.stdout.write(f"imported {len(notice.rows)} days for {year} (not confirmed yet)")

    def confirm(self, *, year, by, **options):
        year = _year(year)
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise _bad(f"no user named {by!r}")
        try:
            calendar_year = confirm_year(year=year, by=user)
        except CalendarYear.DoesNotExist:
            raise _bad(f"no calendar for {year}: enter or import it first") from None
        self.stdout.write(f"calendar for {year} confirmed at {calendar_year.confirmed_at.isoformat()}")
