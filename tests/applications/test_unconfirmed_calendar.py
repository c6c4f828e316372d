"""A due date in a year whose working-day calendar is not confirmed is shown with that warning (R30, R40)."""

import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db

WARNING = "2027年的工作日历尚未确认"


@time_machine.travel("2026-12-31 10:00 +0800", tick=False)
def test_the_queue_says_when_the_calendar_of_a_due_date_is_not_confirmed_and_the_buyer_is_spared_it_R30(
    cast, submitted, login
):
    """The banner is for officials, who can have the calendar confirmed; the buyer's dates are "at the latest"."""
    app = submitted()  # received on 12-31: the acceptance falls due in 2027, which no notice has confirmed yet
    assert app.deadlines.get(step="accept").unconfirmed_years == [2027]
    assert WARNING in login(cast["officer"]).get(reverse("office:queue")).content.decode()
    assert WARNING not in login(cast["buyer"]).get(reverse("apply:application", args=[app.pk])).content.decode()


@time_machine.travel("2026-09-29 10:00 +0800", tick=False)
def test_no_warning_when_every_due_date_is_in_a_confirmed_year(cast, submitted, login):
    submitted()
    assert "工作日历尚未确认" not in login(cast["officer"]).get(reverse("office:queue")).content.decode()
