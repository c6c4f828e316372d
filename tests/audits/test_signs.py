"""The six warning signs of R38: each at its threshold (not raised) and just past it (raised, with its figures,
threshold and rule row), on submission and in the idempotent nightly scan; never a refusal (R39)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.models import Application, Warning
from applications.workflow import State
from audits import signs
from audits.models import BuyerScale, RiskWarning, Sign
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def signs_on(app) -> set[str]:
    return set(RiskWarning.objects.filter(application=app).values_list("sign", flat=True))


def test_unit_subsidy_at_threshold_is_quiet_and_just_past_raises_R38(cast, live, rule):
    rule(Sign.UNIT_SUBSIDY, "18300.00")
    at, past = live(cast["buyer"], amount="18300.00")[0], live(cast["other_buyer"], amount="18300.01")[0]
    assert signs.scan() == 1
    assert signs_on(at) == set()
    warning = RiskWarning.objects.get(application=past)
    assert warning.sign == Sign.UNIT_SUBSIDY
    assert warning.threshold == Decimal("18300.00")
    assert warning.figures == {"amount": "18,300.01"}
    assert warning.rule.threshold == Decimal("18300.00")
    badge = Warning.objects.get(application=past, code="r38_unit_subsidy", cleared_at=None)
    assert badge.rule == "R38"
    assert "18,300.01" in badge.text and "18,300" in badge.text


def test_product_volume_within_the_period_R38(cast, live, rule, new_user, haidian):
    rule(Sign.PRODUCT_VOLUME, 3, period_days=10)
    buyers = [new_user(f"pv{i}", "buyer", haidian) for i in range(4)]
    old = live(buyers[0], at=timezone.now() - timedelta(days=11))  # outside the 10 days
    first = [live(b)[0] for b in buyers[1:4]]  # 3 within the period: at the threshold
    signs.scan()
    assert not RiskWarning.objects.filter(sign=Sign.PRODUCT_VOLUME).exists(), old
    fourth = live(make_user("pv9", "buyer", haidian))[0]
    signs.scan()
    assert signs_on(fourth) == {Sign.PRODUCT_VOLUME}
    assert RiskWarning.objects.get(application=fourth).figures == {"count": 4, "days": 10}
    assert all(signs_on(a) == set() for a in first)


def test_one_buyer_several_units_of_an_item_R38(cast, live, rule):
    rule(Sign.MULTI_UNIT, 2)
    apps = live(cast["buyer"], 2)
    signs.scan()
    assert not RiskWarning.objects.exists()
    third = live(cast["buyer"])[0]
    signs.scan()
    assert list(RiskWarning.objects.values_list("application_id", "sign")) == [(third.pk, Sign.MULTI_UNIT)]
    assert apps


def test_many_units_in_a_short_time_per_buyer_and_per_district_R38(cast, live, rule, new_user, haidian):
    rule(Sign.BURST_BUYER, 2, period_days=3)
    rule(Sign.BURST_DISTRICT, 3, period_days=3)
    live(cast["buyer"], at=timezone.now() - timedelta(days=4))  # outside both windows
    rule(Sign.MULTI_UNIT, 100)
    live(cast["buyer"], 2)
    signs.scan()
    assert not RiskWarning.objects.exists()  # buyer: 2 in 3 days; district: 2
    other = live(new_user("bd1", "buyer", haidian))[0]  # district: 3, at the threshold
    signs.scan()
    assert not RiskWarning.objects.exists()
    third = live(cast["buyer"])[0]  # buyer: 3 > 2; district: 4 > 3
    signs.scan()
    assert signs_on(third) == {Sign.BURST_BUYER, Sign.BURST_DISTRICT}
    assert signs_on(other) == set()
    assert RiskWarning.objects.get(application=third, sign=Sign.BURST_DISTRICT).figures == {"count": 4, "days": 3}


def test_buying_again_in_consecutive_years_R38(cast, live, rule):
    rule(Sign.REPEAT_YEARS, 2)
    year = timezone.localdate().year
    live(cast["buyer"], year=year - 2)
    live(cast["buyer"], year=year - 4)  # a gap: not consecutive
    now = live(cast["other_buyer"], year=year)[0]
    at = live(cast["buyer"], year=year - 1)
    signs.scan(year=year - 1)
    assert not RiskWarning.objects.exists(), at  # 2 consecutive years: at the threshold
    third = live(cast["buyer"], year=year)[0]
    signs.scan()
    assert signs_on(third) == {Sign.REPEAT_YEARS}
    assert RiskWarning.objects.get(application=third).figures == {"count": 3, "year": year}
    assert signs_on(now) == set()


def test_out_of_proportion_to_declared_scale_R38(cast, live, rule):
    rule(Sign.SCALE, 2)
    rule(Sign.MULTI_UNIT, 100)
    BuyerScale.objects.create(buyer=cast["buyer"], land_mu=Decimal("50"))  # half a standard unit
    live(cast["other_buyer"], 5)  # no scale declared: never measured
    live(cast["buyer"])
    signs.scan()
    assert not RiskWarning.objects.exists()  # 1 unit / 0.5 = 2.00, at the threshold
    second = live(cast["buyer"])[0]
    signs.scan()
    warning = RiskWarning.objects.get()
    assert (warning.application_id, warning.sign) == (second.pk, Sign.SCALE)
    assert warning.figures["ratio"] == "4.00"


def test_item_override_wins_over_district_and_city_R38(cast, live, rule, product, haidian):
    rule(Sign.UNIT_SUBSIDY, "1000000")
    rule(Sign.UNIT_SUBSIDY, "1000", district=haidian)
    row = rule(Sign.UNIT_SUBSIDY, "500000", item=product.item)
    live(cast["buyer"])
    signs.scan()
    assert not RiskWarning.objects.exists()
    rule(Sign.UNIT_SUBSIDY, "100", item=product.item, days_ago=0)
    app = live(cast["buyer"])[0]
    signs.scan()
    warning = RiskWarning.objects.get(application=app)
    assert warning.rule != row and warning.rule.item == product.item and warning.threshold == Decimal("100")


def test_scan_is_idempotent_and_a_cleared_sign_stays_cleared_R38(cast, live, rule):
    rule(Sign.MULTI_UNIT, 1)
    live(cast["buyer"], 2)
    assert signs.scan() == 1
    assert signs.scan() == 0
    assert RiskWarning.objects.count() == 1 and Warning.objects.count() == 1
    Warning.objects.update(cleared_at=timezone.now(), clear_reason="合作社两台")
    assert signs.scan() == 0  # the same figures: not raised again
    live(cast["buyer"])
    assert signs.scan() == 1  # the new third: its own figures
    assert Warning.objects.filter(cleared_at__isnull=True).count() == 1


def test_a_warning_never_stops_a_submission_and_is_raised_on_it_R39(cast, submitted, rule, live):
    rule(Sign.UNIT_SUBSIDY, "1")
    rule(Sign.MULTI_UNIT, 0)
    app = submitted()
    assert app.state == State.SUBMITTED
    assert signs_on(app) == {Sign.UNIT_SUBSIDY, Sign.MULTI_UNIT}
    assert RiskWarning.objects.filter(application=app, source="submission").count() == 2
    assert signs.scan() == 0  # the scan finds the same figures already raised
    assert Application.objects.get(pk=app.pk).state == State.SUBMITTED
