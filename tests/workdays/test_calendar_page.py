"""The calendar page for officials: the year's special days, its status, and a due-date calculator."""

import pytest
from django.template import Context, Template
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("workdays:calendar")


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={URL}"


@pytest.mark.parametrize("who", ["buyer", "maker"])
def test_non_officials_are_refused(login, cast, who):
    assert login(cast[who]).get(URL).status_code == 403


@pytest.mark.parametrize("who", ["officer", "finance", "city", "auditor"])
def test_officials_see_the_page(login, cast, who):
    assert login(cast[who]).get(URL).status_code == 200


def test_page_lists_the_years_special_days_with_weekdays_and_status(login, cast):
    response = login(cast["officer"]).get(URL, {"year": "2026"})
    assert response.context["workspace"] == "office"
    assert response.context["calendar_year"].confirmed
    days = response.context["special_days"]
    assert [(str(day.date), day.kind, day.note) for day in days[-2:]] == [
        ("2026-10-07", "holiday", "国庆节"),
        ("2026-10-10", "workday", "国庆节调休"),
    ]
    html = response.content.decode()
    assert "2026-10-10 星期六" in html
    assert "国庆节调休" in html
    assert 'class="tag tag-ok"' in html


def test_calculator_gives_the_due_date_with_its_weekday_R30(login, cast):
    response = login(cast["officer"]).get(URL, {"start": "2026-09-30", "working_days": "2"})
    due = response.context["due"]
    assert (str(due.date), due.unconfirmed_years) == ("2026-10-09", ())
    html = response.content.decode()
    assert "2026-10-09 星期五" in html
    assert "alert-warning" not in html


def test_calculator_warns_about_an_unconfirmed_year(login, cast):
    response = login(cast["officer"]).get(URL, {"year": "2027", "start": "2027-09-30", "working_days": "5"})
    assert response.context["calendar_year"] is None
    due = response.context["due"]
    assert (str(due.date), due.unconfirmed_years) == ("2027-10-07", (2027,))
    html = response.content.decode()
    assert "2027-10-07 星期四" in html
    assert "2027年的工作日历尚未确认" in html


def test_calculator_shows_errors_and_keeps_the_input(login, cast):
    client = login(cast["officer"])
    response = client.get(URL, {"start": "2026-02-30", "working_days": "-1"})
    assert response.context["due"] is None
    assert set(response.context["form"].errors) == {"start", "working_days"}
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'value="2026-02-30"' in html
    response = client.get(URL, {"start": "9999-12-31", "working_days": "365"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["form"].errors == {"start": ["Enter a date from 2000 to 2100."]}


def test_unconfirmed_warning_tag_renders_nothing_without_years_and_names_the_years():
    template = Template("{% load workdays %}{% unconfirmed_warning years %}")
    assert template.render(Context({"years": ()})).strip() == ""
    html = template.render(Context({"years": (2027, 2028)}))
    assert 'class="alert alert-warning"' in html
    assert "The working-day calendars for 2027, 2028 are not confirmed" in html
