"""Access is checked on the server for every object (R2, R45): a district sees its own data, a buyer only theirs."""

import pytest
from django.urls import reverse

from accounts import scope
from accounts.models import District, PersonalDataAccess


@pytest.mark.django_db
def test_district_officer_sees_only_buyers_of_own_district_R2(login, cast):
    response = login(cast["officer"]).get(reverse("accounts:buyers"))
    names = [b.username for b in response.context["page"].object_list]
    assert names == ["b1"]


@pytest.mark.django_db
def test_officer_opening_another_districts_buyer_gets_404_R2(login, cast):
    client = login(cast["other_officer"])
    assert client.get(reverse("accounts:buyer_detail", args=[cast["buyer"].pk])).status_code == 404
    assert client.get(reverse("accounts:buyer_detail", args=[cast["other_buyer"].pk])).status_code == 200


@pytest.mark.django_db
def test_municipal_bureau_and_auditor_see_every_district(login, cast):
    for who in ("city", "auditor"):
        assert scope.districts_for(cast[who]).count() == District.objects.count()
    client = login(cast["city"])
    response = client.get(reverse("accounts:buyers"))
    assert {b.username for b in response.context["page"].object_list} == {"b1", "b2"}


@pytest.mark.django_db
def test_a_buyer_cannot_look_up_buyers(login, cast):
    client = login(cast["buyer"])
    assert client.get(reverse("accounts:buyers")).status_code == 403
    assert client.get(reverse("accounts:buyer_detail", args=[cast["other_buyer"].pk])).status_code == 404
    assert client.get(reverse("accounts:buyer_detail", args=[cast["buyer"].pk])).status_code == 404


@pytest.mark.django_db
def test_scoped_queryset_filters_by_district_owner_or_nothing(cast):
    from accounts.models import User

    everyone = User.objects.all()
    assert list(scope.scoped(cast["officer"], everyone).values_list("username", flat=True).order_by("username")) == [
        "b1",
        "f1",
        "o1",
    ]
    assert list(scope.scoped(cast["buyer"], everyone, owner="pk").values_list("username", flat=True)) == ["b1"]
    assert list(scope.scoped(cast["buyer"], everyone)) == []  # no owner path: a buyer sees nothing
    assert list(scope.scoped(cast["maker"], everyone, district="district")) == []
    assert scope.scoped(cast["city"], everyone).count() == everyone.count()


@pytest.mark.django_db
def test_search_finds_by_exact_mobile_and_id_number(login, cast):
    client = login(cast["officer"])
    for query in ("13900000001", "110108197503120033", "张"):
        response = client.post(reverse("accounts:buyers"), {"q": query}, follow=True)
        assert [b.username for b in response.context["page"].object_list] == ["b1"], query
        assert query not in response.redirect_chain[-1][0]  # never in a URL (issue 14)
    response = client.post(reverse("accounts:buyers"), {"q": "13900000002"}, follow=True)  # other district's buyer
    assert list(response.context["page"].object_list) == []


@pytest.mark.django_db
def test_pages_show_personal_numbers_masked(login, cast):
    body = login(cast["officer"]).get(reverse("accounts:buyer_detail", args=[cast["buyer"].pk])).content.decode()
    assert "139****0001" in body and "110***********0033" in body
    assert "13900000001" not in body and "110108197503120033" not in body


@pytest.mark.django_db
def test_full_numbers_are_shown_to_the_district_officer_and_recorded_R45(login, cast):
    client = login(cast["finance"])
    response = client.post(reverse("accounts:buyer_reveal", args=[cast["buyer"].pk]), {"purpose": "核对收款人"})
    body = response.content.decode()
    assert "13900000001" in body and "110108197503120033" in body
    accesses = PersonalDataAccess.objects.filter(viewer=cast["finance"], subject=cast["buyer"])
    assert sorted(accesses.values_list("field", flat=True)) == ["id_number", "mobile"]
    assert set(accesses.values_list("purpose", flat=True)) == {"核对收款人"}


@pytest.mark.django_db
def test_revealing_needs_a_reason(login, cast):
    client = login(cast["officer"])
    response = client.post(reverse("accounts:buyer_reveal", args=[cast["buyer"].pk]), {"purpose": " "})
    assert response.status_code == 302
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
def test_full_numbers_are_refused_to_other_districts_and_other_roles(login, cast):
    url = reverse("accounts:buyer_reveal", args=[cast["buyer"].pk])
    assert login(cast["other_officer"]).post(url, {"purpose": "x"}).status_code == 404
    assert login(cast["city"]).post(url, {"purpose": "x"}).status_code == 403
    assert login(cast["auditor"]).post(url, {"purpose": "x"}).status_code == 403
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, cast):
    response = client.get(reverse("accounts:buyer_detail", args=[cast["buyer"].pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
