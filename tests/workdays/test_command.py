"""``manage.py workdays``: due dates on standard output, warnings on standard error, exit 2 on bad input."""

import datetime
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from workdays.calendar import due_date
from workdays.models import CalendarYear

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_due_prints_the_iso_date_R30():
    assert run("due", "2026-09-30", "2") == ("2026-10-09\n", "")
    assert run("due", "2026-02-13", "2") == ("2026-02-24\n", "")


def test_due_into_an_unconfirmed_year_warns_on_stderr():
    out, err = run("due", "2026-12-31", "1")
    assert out == "2027-01-01\n"
    assert err == "warning: calendar for 2027 not confirmed (counted weekends only)\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2026-02-30", "5"), "invalid date: '2026-02-30' (expected YYYY-MM-DD)"),
        (("tomorrow", "5"), "invalid date: 'tomorrow' (expected YYYY-MM-DD)"),
        (("9999-12-31", "5"), "invalid date: '9999-12-31' (expected a year from 2000 to 2100)"),
        (("2026-09-30", "-1"), "invalid number of working days: '-1' (expected 0..365)"),
        (("2026-09-30", "five"), "invalid number of working days: 'five' (expected 0..365)"),
    ],
)
def test_due_refuses_bad_input_with_exit_code_2(args, message):
    with pytest.raises(CommandError) as refused:
        run("due", *args)
    assert (str(refused.value), refused.value.returncode) == (message, 2)


def test_bad_input_from_the_shell_is_one_line_on_stderr_and_exit_code_2():
    result = subprocess.run(
        [sys.executable, "manage.py", "workdays", "--skip-checks", "due", "2026-13-01", "5"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "CommandError: invalid date: '2026-13-01' (expected YYYY-MM-DD)\n"


def test_import_then_confirm_from_the_command_line(tmp_path, notice_2027, cast):
    notice = Path(tmp_path, "2027.csv")
    notice.write_text(notice_2027, encoding="utf-8")
    assert run("import", str(notice), "--year", "2027") == ("imported 6 days for 2027 (not confirmed yet)\n", "")
    assert due_date(datetime.date(2027, 9, 30), 1).unconfirmed_years == (2027,)

    out, err = run("confirm", "2027", "--by", "c1")
    assert out.startswith("calendar for 2027 confirmed at ")
    assert CalendarYear.objects.get(year=2027).confirmed_by == cast["city"]
    assert run("due", "2027-09-30", "2") == ("2027-10-09\n", "")


def test_import_of_a_file_with_a_bad_row_imports_nothing(tmp_path, notice_2027):
    notice = Path(tmp_path, "2027.csv")
    notice.write_text(notice_2027 + "2027-10-08,班,国庆节调休\n2027-10-11,休\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("workdays", "import", str(notice), "--year", "2027", stdout=io.StringIO(), stderr=err)
    assert (str(refused.value), refused.value.returncode) == (f"nothing imported: 1 bad row(s) in {notice}", 2)
    assert err.getvalue().startswith(f"{notice}:8: ")
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_confirm_refuses_a_year_with_no_calendar():
    with pytest.raises(CommandError) as refused:
        run("confirm", "2030")
    assert (str(refused.value), refused.value.returncode) == ("no calendar for 2030: enter or import it first", 2)
