"""The demo data set: applications in every state in both demo districts, with documents; loading twice adds
nothing."""

import pytest
from django.core.management import call_command

from accounts.models import User
from applications.models import Application
from applications.selectors import sales_to_start_from
from applications.today import office_today
from applications.workflow import State

pytestmark = pytest.mark.django_db


def test_demo_applications_cover_every_state_in_both_districts_and_load_once():
    call_command("seed_demo")
    for code in ("110108", "110114"):
        states = set(Application.objects.filter(district__code=code).values_list("state", flat=True))
        assert states == set(State.values), code
    count = Application.objects.count()
    # a purchase's documents; an incentive claim (issue 17) carries work records instead
    assert all(app.documents.count() >= 4 for app in Application.objects.filter(kind="purchase"))
    call_command("seed_demo")
    assert Application.objects.count() == count
    # the office's landing page shows the red state: an overdue step in each demo district
    for officer in ("officer-haidian", "officer-changping"):
        assert office_today(User.objects.get(username=officer))["overdue"] >= 1, officer
    # the demo dealer recorded a sale for buyer-zhang, ready for him to apply from
    assert sales_to_start_from(User.objects.get(username="buyer-zhang")).count() == 1
