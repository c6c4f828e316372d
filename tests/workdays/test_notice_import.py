"""The municipal bureau enters a new year from the State Council's notice: CSV import or admin, then confirms."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from workdays.calendar import due_date
from workdays.models import CalendarYear, SpecialDay
from workdays.notice import parse_notice

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:workdays_calendaryear_import"


def d(text):
    return datetime.date.fromisoformat(text)


def upload(text, *, encoding="utf-8"):
    return SimpleUploadedFile("notice.csv", text.encode(encoding), content_type="text/csv")


def test_parse_accepts_chinese_kinds_excel_dates_and_no_header():
    notice = parse_notice(text="2027/10/1,休,国庆节\n2027-10-09,班\n", year=2027)
    assert notice.errors == ()
    assert [(r.date, r.kind, r.note) for r in notice.rows] == [
        (d("2027-10-01"), "holiday", "国庆节"),
        (d("2027-10-09"), "workday", ""),
    ]


def test_parse_reports_every_bad_row_with_its_line():
    text = (
        "date,kind,note\n"
        "2027-10-01,休,国庆节\n"
        "2027-10-02,休,国庆节\n"  # a Saturday
        "2027-10-04,off,国庆节\n"
        "2027-13-01,休,\n"
        "2028-01-03,休,元旦\n"
        "2027-10-01,休,国庆节\n"
        "2027-10-05\n"
    )
    with translation.override("en"):
        errors = parse_notice(text=text, year=2027).errors
    assert [(e.line, e.text) for e in errors] == [
        (3, "2027-10-02,休,国庆节"),
        (4, "2027-10-04,off,国庆节"),
        (5, "2027-13-01,休,"),
        (6, "2028-01-03,休,元旦"),
        (7, "2027-10-01,休,国庆节"),
        (8, "2027-10-05"),
    ]
    assert errors[0].message == "2027-10-02 is a Saturday: a weekend day is off anyway, so it cannot be a holiday."
    assert errors[3].message == "2028-01-03 is not in 2027."
    assert errors[4].message == "2027-10-01 appears twice."


def test_bureau_imports_a_notice_confirms_it_and_the_arithmetic_uses_it(client, bureau, notice_2027):
    client.force_login(bureau)
    assert due_date(d("2027-09-30"), 1).date == d("2027-10-01")
    assert client.get(reverse("admin:workdays_calendaryear_changelist")).status_code == 200
    assert client.get(reverse(IMPORT_URL)).status_code == 200

    response = client.post(
        reverse(IMPORT_URL), {"year": "2027", "file": upload(notice_2027, encoding="gb18030"), "source": "国办发明电"}
    )
    assert response.status_code == 302
    year = CalendarYear.objects.get(year=2027)
    assert (year.confirmed, year.source) == (False, "国办发明电")
    assert list(year.special_days.values_list("date", "kind", "note")) == [
        (d("2027-10-01"), "holiday", "国庆节"),
        (d("2027-10-04"), "holiday", "国庆节"),
        (d("2027-10-05"), "holiday", "国庆节"),
        (d("2027-10-06"), "holiday", "国庆节"),
        (d("2027-10-07"), "holiday", "国庆节"),
        (d("2027-10-09"), "workday", "国庆节调休"),
    ]
    # Imported but not confirmed: still weekends only, with the warning.
    assert due_date(d("2027-09-30"), 1).unconfirmed_years == (2027,)

    changelist = reverse("admin:workdays_calendaryear_changelist")
    client.post(changelist, {"action": "mark_confirmed", "_selected_action": [year.pk]})
    year.refresh_from_db()
    assert (year.confirmed, year.confirmed_by) == (True, bureau)
    assert year.confirmed_at is not None

    result = due_date(d("2027-09-30"), 2)
    assert (result.date, result.unconfirmed_years) == (d("2027-10-09"), ())


def test_a_file_with_one_bad_row_imports_nothing_and_shows_the_row(client, bureau, notice_2027):
    client.force_login(bureau)
    text = notice_2027 + "2027-10-08,班,国庆节调休\n"  # a Friday cannot be an adjusted working day
    response = client.post(reverse(IMPORT_URL), {"year": "2027", "file": upload(text)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert [(e.line, e.text) for e in response.context["row_errors"]] == [(8, "2027-10-08,班,国庆节调休")]
    assert "a weekday is worked anyway" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not SpecialDay.objects.filter(date__year=2027).exists()


def test_reimporting_a_confirmed_year_replaces_its_days_and_unconfirms_it(client, bureau):
    client.force_login(bureau)
    before = SpecialDay.objects.filter(date__year=2026).count()
    response = client.post(reverse(IMPORT_URL), {"year": "2026", "file": upload("2026-10-01,休,国庆节\n")})
    assert response.status_code == 302
    year = CalendarYear.objects.get(year=2026)
    assert (before, year.special_days.count(), year.confirmed, year.confirmed_by) == (25, 1, False, None)


def test_import_page_is_for_the_admin_only(client, cast):
    client.force_login(cast["officer"])
    response = client.get(reverse(IMPORT_URL))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_bureau_enters_a_year_in_the_admin_with_its_days(client, bureau):
    client.force_login(bureau)
    data = {
        "year": "2027",
        "source": "国务院办公厅关于2027年部分节假日安排的通知",
        "special_days-TOTAL_FORMS": "3",
        "special_days-INITIAL_FORMS": "0",
        "special_days-0-date": "2027-10-01",
        "special_days-0-kind": "holiday",
        "special_days-0-note": "国庆节",
        "special_days-1-date": "2027-10-04",
        "special_days-1-kind": "holiday",
        "special_days-1-note": "国庆节",
        "special_days-2-date": "2027-10-09",
        "special_days-2-kind": "workday",
        "special_days-2-note": "国庆节调休",
    }
    response = client.post(reverse("admin:workdays_calendaryear_add"), data)
    assert response.status_code == 302
    year = CalendarYear.objects.get(year=2027)
    assert year.special_days.count() == 3

    client.post(
        reverse("admin:workdays_calendaryear_changelist"), {"action": "mark_confirmed", "_selected_action": [year.pk]}
    )
    # 10-01 (Friday) and 10-04 (Monday) are off, Saturday 10-09 is worked.
    assert due_date(d("2027-09-30"), 1).date == d("2027-10-05")
    assert due_date(d("2027-10-07"), 2).date == d("2027-10-09")


def test_admin_refuses_a_day_outside_the_year_or_on_the_wrong_kind_of_day(client, bureau):
    client.force_login(bureau)
    data = {
        "year": "2027",
        "special_days-TOTAL_FORMS": "2",
        "special_days-INITIAL_FORMS": "0",
        "special_days-0-date": "2028-01-03",
        "special_days-0-kind": "holiday",
        "special_days-1-date": "2027-10-02",
        "special_days-1-kind": "holiday",
    }
    response = client.post(reverse("admin:workdays_calendaryear_add"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    errors = [form.errors["date"] for form in response.context["inline_admin_formsets"][0].formset.forms]
    assert errors == [
        ["2028-01-03 is not in 2027."],
        ["2027-10-02 is a Saturday: a weekend day is off anyway, so it cannot be a holiday."],
    ]
    assert not CalendarYear.objects.filter(year=2027).exists()
