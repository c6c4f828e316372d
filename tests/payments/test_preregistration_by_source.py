"""Money that is there is not "exhausted" (R31): pre-registration is per fund source. An application waits only
when a source it needs cannot cover it after what the applications waiting before it in that source will take;
order of entry is kept within each source, and releases follow the same rule. The buyer's page says what waiting
means and their place in the line, and never promises acceptance within 2 working days meanwhile."""

from decimal import Decimal

import pytest
from django.urls import reverse

from applications.workflow import State
from payments import ledger
from payments import services as payments
from tests.payments.conftest import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def central_only(db):
    """A machine paid from central money alone: 10,000 yuan."""
    return make_product(
        code="1.1.2",
        grade_name="1.5—2m旋耕机",
        params="工作幅宽:1.5—2m",
        model="1GQN-160",
        central="10000",
        municipal="0",
    )


def state(app):
    app.refresh_from_db()
    return app.state


def test_a_source_that_is_short_holds_back_only_the_applications_that_need_it_R31(
    cast, haidian, fund, submitted, central_only
):
    fund(haidian, central="2880000", municipal="2000", district_funds="0")
    both = submitted(serial="S-1")  # central 15,300 and municipal 3,000: municipal is short
    assert state(both) == State.PREREGISTERED
    central = submitted(serial="S-2", product=central_only)
    assert state(central) == State.SUBMITTED  # ¥2.88M of central money is there
    second_both = submitted(serial="S-3")
    assert state(second_both) == State.PREREGISTERED  # behind the first in the municipal line


def test_an_application_cannot_pass_an_earlier_one_in_a_source_both_need_R31(
    cast, haidian, fund, submitted, central_only
):
    fund(haidian, central="20000", municipal="2000", district_funds="0")
    waiting = submitted(serial="S-1")  # waits for municipal money; will take 15,300 of central when it arrives
    assert state(waiting) == State.PREREGISTERED
    later = submitted(serial="S-2", product=central_only)  # 20,000 − 15,300 leaves 4,700: not 10,000
    assert state(later) == State.PREREGISTERED


def test_releases_follow_the_same_rule_in_order_within_each_source_R31(cast, haidian, fund, submitted, central_only):
    fund(haidian, central="30000", municipal="2000", district_funds="0")
    first = submitted(serial="S-1")  # waits on municipal
    second = submitted(serial="S-2")  # waits on municipal, behind the first
    assert [state(first), state(second)] == [State.PREREGISTERED, State.PREREGISTERED]
    payments.allocate(
        district=haidian,
        year=first.year,
        source="municipal",
        amount=Decimal("2000"),
        actor=cast["city_finance"],
        reason="第二批",
    )  # 4,000 of municipal money: enough for the first (3,000), not for both
    assert [state(first), state(second)] == [State.SUBMITTED, State.PREREGISTERED]
    assert ledger.check()


def test_the_pre_registered_buyer_is_told_what_waiting_means_and_their_place_R31(login, cast, haidian, fund, submitted):
    fund(haidian, central="2880000", municipal="2000", district_funds="0")
    submitted(serial="S-1")
    mine = submitted(serial="S-2")
    client = login(cast["buyer"])
    for page in ("apply:application", "apply:submitted"):
        body = client.get(reverse(page, args=[mine.pk])).content.decode()
        assert "等待区里的资金" in body, page
        assert "市级财政资金：您排在等待的2件中的第2位" in body, page
        assert "资金到位后2个工作日内" in body or page == "apply:application"
    body = client.get(reverse("apply:submitted", args=[mine.pk])).content.decode()
    assert "2个工作日内：" not in body  # no acceptance date is promised while it waits
