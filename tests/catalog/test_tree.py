"""R6: both catalogues of Annex 2, complete, codes and names exactly as printed."""

from datetime import date

import pytest

from catalog.models import Category, Item, ItemKind, QualificationKind, Scope, Subcategory
from catalog.selectors import catalogue_tree, search_items

pytestmark = pytest.mark.django_db

ON = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("scope", "categories", "subcategories", "items"),
    [(Scope.CENTRAL, 20, 35, 75), (Scope.MUNICIPAL, 8, 16, 50)],
)
def test_both_catalogues_are_complete_R6(scope, categories, subcategories, items):
    assert Category.objects.in_force(ON).filter(scope=scope).count() == categories
    assert Subcategory.objects.in_force(ON).filter(category__scope=scope).count() == subcategories
    assert Item.objects.in_force(ON).filter(scope=scope).count() == items


@pytest.mark.parametrize(
    ("scope", "code", "name", "note"),
    [
        (Scope.CENTRAL, "2.2.3", "单粒(精密)播种机", ""),
        (Scope.CENTRAL, "1.2.1", "耙(限圆盘耙、驱动耙)", "限圆盘耙、驱动耙"),
        (Scope.CENTRAL, "3.2.2", "农用(植保)无人驾驶航空器(可含撒播等功能)", "可含撒播等功能"),
        (Scope.CENTRAL, "16.1.1", "轮式拖拉机", ""),
        (Scope.CENTRAL, "20.2.1", "捡(清)石机", ""),
        (Scope.MUNICIPAL, "1.1.11", "设施农业成套装备", ""),
        (Scope.MUNICIPAL, "5.1.2", "山区用灌溉设备(农田、果树)", "农田、果树"),
        (Scope.MUNICIPAL, "8.1.8", "培菌机", ""),
    ],
)
def test_codes_and_names_are_exactly_as_printed_R6(scope, code, name, note):
    item = Item.objects.get(scope=scope, code=code)
    assert (item.name, item.note) == (name, note)


def test_tree_paths_and_order_R6():
    item = Item.objects.select_related("subcategory__category").get(scope=Scope.CENTRAL, code="2.2.3")
    assert str(item.subcategory) == "2.2 播种机械(可含施肥功能)"
    assert str(item.subcategory.category) == "2 种植施肥机械"
    municipal_codes = list(
        Item.objects.filter(scope=Scope.MUNICIPAL, subcategory__code="1.1")
        .order_by("sort_key")
        .values_list("code", flat=True)
    )
    assert municipal_codes[-3:] == ["1.1.9", "1.1.10", "1.1.11"]


def test_tree_selector_returns_categories_with_items_in_force_R6():
    tree = list(catalogue_tree(on=ON, scope=Scope.CENTRAL))
    assert len(tree) == 20
    assert sum(len(sub.items.all()) for cat in tree for sub in cat.subcategories.all()) == 75


def test_nothing_is_in_force_before_the_plan_R7():
    assert Item.objects.in_force(date(2023, 12, 31)).count() == 0


def test_search_by_code_or_name_R6():
    # Codes restart in the municipal catalogue: 2.2.3 is 单粒(精密)播种机 there and 水产养殖箱体 here.
    assert [(i.scope, i.code, i.name) for i in search_items(on=ON, query="2.2.3")] == [
        (Scope.CENTRAL, "2.2.3", "单粒(精密)播种机"),
        (Scope.MUNICIPAL, "2.2.3", "水产养殖箱体"),
    ]
    assert [(i.scope, i.code) for i in search_items(on=ON, query="单粒(精密)播种机")] == [(Scope.CENTRAL, "2.2.3")]
    assert {i.code for i in search_items(on=ON, query="2.2", scope=Scope.CENTRAL)} == {
        "2.2.1",
        "2.2.2",
        "2.2.3",
        "2.2.4",
    }
    assert {(i.scope, i.code) for i in search_items(on=ON, query="割灌机")} == {(Scope.MUNICIPAL, "8.1.1")}


def test_default_kinds_of_the_shipped_catalogue_R12_R17_R18():
    assert Item.objects.get(scope=Scope.CENTRAL, code="16.1.1").kind == ItemKind.WHEELED_TRACTOR
    assert Item.objects.get(scope=Scope.CENTRAL, code="16.1.2").kind == ItemKind.RAISED
    assert Item.objects.get(scope=Scope.CENTRAL, code="3.2.2").qualification == QualificationKind.DRONE
    assert set(Item.objects.filter(scope=Scope.MUNICIPAL).values_list("qualification", flat=True)) == {
        QualificationKind.MUNICIPAL
    }
