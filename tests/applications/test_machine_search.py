"""Finding the machine as a farmer names it (R26): by model, maker and item, and by the everyday names kept in the
admin (无人机 for 农用(植保)无人驾驶航空器); an empty result says what to do in plain words; an item code is always
shown with its catalogue, since 2.2.3 stands in both."""

import pytest
from django.urls import reverse

from accounts.models import District
from applications import services
from catalog.models import SearchSynonym
from tests.applications.conftest import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def drone(db):
    return make_product(
        code="3.2.2", grade_name="药箱容量10—20L多旋翼", params="药箱容量:10—20L", model="T40", plate_licence=False
    )


@pytest.fixture
def draft(cast):
    return services.start_application(buyer=cast["buyer"], district=cast["buyer"].district)


def search(login, cast, draft, q):
    response = login(cast["buyer"]).get(reverse("apply:machine", args=[draft.pk]), {"q": q})
    return response, [p.pk for p in response.context["results"]]


def test_the_everyday_word_finds_the_catalogue_item_it_stands_for_R26(login, cast, draft, drone, product):
    for word in ("无人机", "植保无人机", "打药机"):
        assert search(login, cast, draft, word)[1] == [drone.pk], word
    assert search(login, cast, draft, "无人驾驶航空器")[1] == [drone.pk]
    assert search(login, cast, draft, "t40")[1] == [drone.pk]


def test_a_synonym_added_in_the_admin_is_searched_at_once_R26(login, cast, draft, product):
    assert search(login, cast, draft, "大马力")[1] == []
    SearchSynonym.objects.create(word="大马力", means="拖拉机")
    assert search(login, cast, draft, "大马力")[1] == [product.pk]


def test_no_result_says_in_plain_words_what_to_do_and_whom_to_call_R26(login, cast, draft):
    District.objects.filter(pk=draft.district_id).update(consultation_phone="010-62345678")
    response, found = search(login, cast, draft, "XYZ-NOT-A-MODEL")
    body = response.content.decode()
    assert found == []
    assert "铭牌" in body and "经销商" in body and "010-62345678" in body
    assert "投档" not in body and "封闭" not in body


def test_an_item_code_is_shown_with_its_catalogue_R26(login, cast, draft, drone):
    body = search(login, cast, draft, "无人机")[0].content.decode()
    assert "中央 3.2.2 农用(植保)无人驾驶航空器" in body
