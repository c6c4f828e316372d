"""R20: the pilot kinds of a year (at most five), the targets met and just missed, and the one year that counts."""

from datetime import date
from decimal import Decimal

import pytest

from catalog.models import Item
from tests.usage.conftest import THIS_YEAR, at, work
from usage import rules
from usage.errors import UsageError
from usage.models import PilotKind, RecordStatus, WorkRecord
from usage.services import claim_incentive

pytestmark = pytest.mark.django_db


def test_a_sixth_pilot_kind_in_a_year_is_refused_with_the_reason_R20():
    items = list(Item.objects.order_by("pk")[:6])
    for item in items[:5]:
        PilotKind.objects.create(year=2031, item=item, volume_target=100, max_per_hour=10)
    with pytest.raises(UsageError) as refused:
        PilotKind.objects.create(year=2031, item=items[5], volume_target=100, max_per_hour=10)
    assert refused.value.rule == "R20"
    assert "5" in str(refused.value.message)
    assert PilotKind.objects.filter(year=2031).count() == 5
    PilotKind.objects.create(year=2032, item=items[5], volume_target=100, max_per_hour=10)  # another year: room


def test_editing_one_of_five_is_not_a_sixth_R20():
    items = list(Item.objects.order_by("pk")[:5])
    kinds = [PilotKind.objects.create(year=2031, item=i, volume_target=100, max_per_hour=10) for i in items]
    kinds[0].volume_target = 200
    kinds[0].save()
    assert PilotKind.objects.get(pk=kinds[0].pk).volume_target == 200


def test_volume_met_exactly_and_quality_met_is_met_R20(machine, pilot):
    m = machine()
    work(m, start=at(4, 1, 8), volume="300")
    work(m, start=at(4, 2, 8), volume="200")
    progress = rules.progress_for(m)
    assert (progress.done, progress.target, progress.volume_met, progress.met) == (Decimal("500"), 500, True, True)


def test_volume_just_missed_is_not_met_R20(machine, pilot):
    m = machine()
    work(m, start=at(4, 1, 8), volume="499.99")
    progress = rules.progress_for(m)
    assert progress.done == Decimal("499.99")
    assert not progress.volume_met and not progress.met
    with pytest.raises(UsageError):
        claim_incentive(machine_id=m.pk, buyer=m.buyer, accept_commitment=True)


def test_quality_share_just_missed_is_not_met_R20(machine, pilot):
    """Depth at least 25 cm over 90% of the area: 89.9% is a miss, 90% a hit."""
    m = machine()
    work(m, start=at(4, 1, 8), volume="449.5")
    shallow = work(m, start=at(4, 2, 8), volume="50.5", depth="24.9")
    progress = rules.progress_for(m)
    assert progress.volume_met and not progress.met
    assert progress.measures[0].share < Decimal("0.9")
    WorkRecord.objects.filter(pk=shallow.pk).update(volume=Decimal("50"))
    work(m, start=at(4, 3, 8), volume="0.5")
    progress = rules.progress_for(m)
    assert progress.measures[0].share == Decimal("0.9") and progress.met


def test_flagged_and_rejected_records_are_left_out_R20(machine, pilot):
    m = machine()
    work(m, start=at(4, 1, 8), volume="300")
    work(m, start=at(4, 2, 8), volume="200", status=RecordStatus.FLAGGED)
    work(m, start=at(4, 3, 8), volume="200", status=RecordStatus.REJECTED)
    progress = rules.progress_for(m)
    assert (progress.done, progress.flagged, progress.met) == (Decimal("300"), 1, False)


def test_work_in_the_year_of_payment_does_not_count_only_the_year_after_R20(machine, pilot):
    m = machine(paid_on=date(THIS_YEAR - 1, 3, 1))
    work(m, start=at(6, 1, 8, year=THIS_YEAR - 1), volume="600")  # the year of payment
    assert rules.progress_for(m).done == 0
    work(m, start=at(6, 1, 8), volume="600")
    assert rules.progress_for(m).met


def test_a_machine_paid_this_year_works_toward_next_year_not_this_one(machine, pilot):
    m = machine(paid_on=date(THIS_YEAR, 3, 1))
    work(m, start=at(6, 1, 8), volume="600")
    assert rules.work_year(m) == THIS_YEAR + 1
    assert rules.progress_for(m) is None  # no pilot kind chosen for next year yet


def test_an_unpublished_pilot_kind_does_not_count(machine, pilot):
    PilotKind.objects.filter(pk=pilot.pk).update(published=False)
    assert rules.progress_for(machine()) is None


def test_the_bureaus_admin_form_refuses_a_sixth_kind_with_the_reason_R20():
    from usage.admin import PilotKindForm

    items = list(Item.objects.order_by("pk")[:6])
    for item in items[:5]:
        PilotKind.objects.create(year=2031, item=item, volume_target=100, max_per_hour=10)
    form = PilotKindForm(
        {
            "year": 2031,
            "item": items[5].pk,
            "volume_target": "100",
            "volume_unit": "mu",
            "rate": "0.200",
            "max_per_hour": "10",
            "max_hours": "16",
            "published": "on",
        }
    )
    assert not form.is_valid()
    assert "5" in " ".join(form.non_field_errors())
