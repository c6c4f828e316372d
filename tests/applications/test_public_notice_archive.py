"""The public notice carries what an objector needs (R34): buyer (masked), town, item, manufacturer, model,
quantity, the factory serial number partly masked, purchase date, sale price and subsidy; it is searched and
filtered by town and item; notices that ended stay readable in an archive by month."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Town
from applications import services
from applications.models import Application
from applications.sweep import sweep
from tests.applications.conftest import make_product

pytestmark = pytest.mark.django_db

NOTICES = reverse("notices:list")
ARCHIVE = reverse("notices:archive")
SERIAL = "TX554A2026001234"


def at(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


@pytest.fixture
def in_notice(cast, verified):
    def _in_notice(**kwargs) -> Application:
        app = verified(**kwargs)
        return services.open_notice(application_id=app.pk, officer=cast["officer"])

    return _in_notice


@pytest.fixture
def town(haidian):
    return Town.objects.create(district=haidian, name="温泉镇")


def listed(response) -> list[int]:
    return [a.pk for a in response.context["listing"].rows]


def test_each_notice_row_says_what_an_objector_needs_with_the_serial_partly_hidden_R34(client, in_notice, town):
    app = in_notice(serial=SERIAL)
    Application.objects.filter(pk=app.pk).update(town=town)
    body = client.get(NOTICES).content.decode()
    for shown in ("张*", "温泉镇", "北京测试农机有限公司", "TX-554", "TX5**********234", "¥62,000.00", "¥18,300.00"):
        assert shown in body, shown
    assert app.purchase_date.isoformat() in body
    assert SERIAL not in body and "张三" not in body


def test_the_notice_is_filtered_by_town_and_item_and_searched_by_model_R34(client, in_notice, town, haidian):
    tractor = in_notice(serial="SN-T1")
    Application.objects.filter(pk=tractor.pk).update(town=town)
    rotary = make_product(code="1.1.2", grade_name="1.5—2m旋耕机", params="工作幅宽:1.5—2m", model="1GQN-160")
    tiller = in_notice(serial="SN-R1", product=rotary)
    assert sorted(listed(client.get(NOTICES))) == sorted([tractor.pk, tiller.pk])
    assert listed(client.get(NOTICES, {"district": haidian.code, "town": town.pk})) == [tractor.pk]
    assert listed(client.get(NOTICES, {"item": tiller.product.item_id})) == [tiller.pk]
    assert listed(client.get(NOTICES, {"q": "1gqn"})) == [tiller.pk]
    assert listed(client.get(NOTICES, {"q": tractor.number})) == [tractor.pk]
    # Nonsense in the address is ignored, never a failure (a NUL byte is refused with a 400 before any view).
    assert client.get(NOTICES, {"town": "x", "item": "-1", "q": "%"}).status_code == 200
    assert client.get(NOTICES, {"q": "a\x00b"}).status_code == 400


def test_an_item_is_always_named_with_its_catalogue_R34(client):
    body = client.get(NOTICES).content.decode()
    assert "中央 2.2.3" in body and "市级 2.2.3" in body


def test_a_notice_that_ended_leaves_the_list_and_stays_in_the_archive_of_its_month_R34(client, cast, in_notice):
    with at("2026-09-28"):
        app = in_notice(serial=SERIAL)
    with at("2026-10-12"):
        sweep()
        assert listed(client.get(NOTICES)) == []
    with at("2026-11-05"):
        response = client.get(ARCHIVE)  # last month by default: every notice in it has ended
        assert listed(response) == [app.pk]
        body = response.content.decode()
        assert "TX5**********234" in body and SERIAL not in body
        assert reverse("notices:object", args=[app.pk]) not in body  # an ended notice takes no objection
        assert listed(client.get(ARCHIVE, {"month": "2026-09"})) == []
        assert listed(client.get(ARCHIVE, {"month": "2026-10", "q": "no-such-model"})) == []
        assert client.get(ARCHIVE, {"month": "1999-01"}).status_code == 200


def test_the_archive_takes_the_same_number_of_queries_whatever_its_length_R34(
    client, in_notice, django_assert_num_queries
):
    with at("2026-09-28"):
        in_notice(serial="SN-1")
    with at("2026-10-12"):
        sweep()
    with at("2026-11-05"), CaptureQueriesContext(connection) as small:
        client.get(ARCHIVE)
    with at("2026-09-28"):
        for n in range(2, 6):
            in_notice(serial=f"SN-{n}")
    with at("2026-10-12"):
        sweep()
    with at("2026-11-05"), django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(ARCHIVE).context["listing"].rows) == 5


def test_the_notice_downloads_as_xlsx_masked_typed_and_with_no_formula_R34(client, in_notice, town):
    """The same rows as the page (filters kept), personal data masked, numbers as numbers, no cell a formula."""
    import io

    from openpyxl import load_workbook

    from catalog.models import Product

    app = in_notice(serial=SERIAL)
    Application.objects.filter(pk=app.pk).update(town=town)
    Product.objects.filter(pk=app.product_id).update(model='=HYPERLINK("http://evil.example","TX")')
    response = client.get(reverse("notices:download"), {"town": town.pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1
    row = rows[0]
    assert row[1] == app.number and row[2] == "张*" and row[3] == "温泉镇" and row[9] == "TX5**********234"
    assert row[11] == 62000 and row[12] == 18300
    assert all(cell.data_type != "f" for cell in sheet[2])
    assert SERIAL not in str(rows) and "张三" not in str(rows)
    with time_machine.travel("2026-11-05 10:00 +0800", tick=False):
        ended = client.get(reverse("notices:download"), {"month": "2026-10"})
    assert ended.status_code == 200 and 'filename="notices-ended-' in ended["Content-Disposition"]
