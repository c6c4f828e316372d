"""The demo data set: applications in every state in both demo districts, with documents; loading twice adds
nothing."""

import pytest
from django.core.management import call_command

from applications.models import Application
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
