"""The office records the buyer's declared scale of production (sign 6, A1 §4(8)); it is an event with the figures
before and after and the reason (R45), and the sign reads it. Another district's office finds no such buyer."""

import pytest
from django.urls import reverse

from audits.models import AuditEvent, BuyerScale

pytestmark = pytest.mark.django_db


def test_the_district_office_records_the_scale_with_its_source_R38_R45(login, cast):
    buyer = cast["buyer"]
    client = login(cast["officer"])
    page = client.get(reverse("accounts:buyer_detail", args=[buyer.pk])).content.decode()
    assert "未登记" in page and reverse("audits_office:scale", args=[buyer.pk]) in page
    url = reverse("audits_office:scale", args=[buyer.pk])
    response = client.post(
        url, {"land_mu": "120", "herd_head": "", "facility_m2": "", "reason": "现场查看土地流转合同"}
    )
    assert response.status_code == 302
    scale = BuyerScale.objects.get(buyer=buyer)
    assert (str(scale.land_mu), scale.herd_head, scale.recorded_by) == ("120.00", None, cast["officer"])
    client.post(url, {"land_mu": "80", "reason": "复核后更正"})
    changed = AuditEvent.objects.filter(action="scale_recorded").order_by("id").last()
    assert changed.data["before"]["land_mu"] == "120.00" and changed.data["after"]["land_mu"] == "80.00"
    assert changed.reason == "复核后更正" and changed.actor == cast["officer"]
    page = client.get(reverse("accounts:buyer_detail", args=[buyer.pk])).content.decode()
    assert "土地 80.00 亩" in page, page[page.find("生产经营规模") :][:300]


def test_a_negative_figure_or_no_source_keeps_what_was_typed_R38(login, cast):
    client = login(cast["officer"])
    url = reverse("audits_office:scale", args=[cast["buyer"].pk])
    response = client.post(url, {"land_mu": "-5", "herd_head": "30", "reason": ""})
    content = response.content.decode()
    assert response.status_code == 200 and not BuyerScale.objects.exists()
    assert 'value="30"' in content and "error-summary" in content


def test_another_district_a_finance_officer_and_the_buyer_are_refused_R38(login, cast):
    url = reverse("audits_office:scale", args=[cast["buyer"].pk])
    assert login(cast["other_officer"]).post(url, {"land_mu": "9", "reason": "x"}).status_code == 404
    assert login(cast["finance"]).post(url, {"land_mu": "9", "reason": "x"}).status_code == 403
    assert login(cast["buyer"]).get(url).status_code in (302, 403)
    assert not BuyerScale.objects.exists()
