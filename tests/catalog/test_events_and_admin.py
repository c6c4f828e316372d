"""R45: every change to the catalogue is an immutable, chained event; the admin goes through the services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts.models import Role
from catalog.events import verify_chain
from catalog.models import Amount, CatalogueEvent, FundSource, Item, RatioCeiling
from catalog.services import record_market_price
from tests.conftest import make_user

from .conftest import START, grade, priced

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = make_user("city-admin", Role.CITY_AGRICULTURE, is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_events_are_chained_and_a_broken_link_is_found_R45(db):
    g = grade("1.1.2", "旋耕机 1.5—2m", "1.5m≤工作幅宽<2m")
    priced(g, FundSource.CENTRAL, "1800", price="6000")
    assert CatalogueEvent.objects.count() == 3
    assert verify_chain() is None
    first = CatalogueEvent.objects.order_by("id").first()
    with pytest.raises(ValidationError):
        first.reason = "changed"
        first.save()
    with pytest.raises(ValidationError):
        first.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_changing_events_R45(db):
    grade("1.1.2", "旋耕机 1.5—2m", "1.5m≤工作幅宽<2m")
    with pytest.raises(DatabaseError), transaction.atomic():
        CatalogueEvent.objects.update(reason="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        CatalogueEvent.objects.all().delete()
    assert CatalogueEvent.objects.get().reason == ""


@pytest.mark.parametrize(
    "model", ["item", "grade", "amount", "ratioceiling", "cataloguelimit", "marketprice", "filing", "catalogueevent"]
)
def test_admin_pages_open_for_the_municipal_bureau(admin_client, model):
    assert admin_client.get(reverse(f"admin:catalog_{model}_changelist")).status_code == 200


def test_admin_amount_over_the_ceiling_is_refused_with_the_rule_R15(admin_client):
    g = grade("1.1.2", "旋耕机 1.5—2m", "1.5m≤工作幅宽<2m")
    price = record_market_price(grade=g, year=2025, average_price="6000", source="market_survey")
    response = admin_client.post(
        reverse("admin:catalog_amount_add"),
        {
            "grade": g.pk,
            "fund_source": FundSource.CENTRAL,
            "amount": "2000",
            "ratio": "0.34",
            "market_price": price.pk,
            "valid_from": "2024-01-01",
            "reason": "",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "R15" in response.content.decode()
    assert Amount.objects.count() == 0


def test_admin_adds_an_amount_through_the_service_R7(admin_client, tomorrow):
    g = grade("1.1.2", "旋耕机 1.5—2m", "1.5m≤工作幅宽<2m")
    old = priced(g, FundSource.CENTRAL, "1800", price="6000")
    price = record_market_price(grade=g, year=2025, average_price="6000", source="market_survey")
    response = admin_client.post(
        reverse("admin:catalog_amount_add"),
        {
            "grade": g.pk,
            "fund_source": FundSource.CENTRAL,
            "amount": "1500",
            "ratio": "0.25",
            "market_price": price.pk,
            "valid_from": tomorrow.isoformat(),
            "reason": "降低",
        },
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.valid_to == tomorrow
    assert Amount.objects.get(valid_from=tomorrow).amount == Decimal("1500.00")
    # the row in force is shown, not editable
    assert admin_client.post(reverse("admin:catalog_amount_change", args=[old.pk]), {"amount": "1"}).status_code == 403


def test_admin_ratio_ceiling_is_a_new_row_from_a_date_R15(admin_client, tomorrow):
    response = admin_client.post(
        reverse("admin:catalog_ratioceiling_add"),
        {
            "fund_source": "municipal",
            "ratio_class": "general",
            "ceiling": "0.30",
            "rule": "R15",
            "valid_from": tomorrow.isoformat(),
            "note": "",
        },
    )
    assert response.status_code == 302
    rows = RatioCeiling.objects.filter(fund_source="municipal", ratio_class="general").order_by("valid_from")
    assert [(r.ceiling, r.valid_to) for r in rows] == [(Decimal("0.3500"), tomorrow), (Decimal("0.3000"), None)]
    assert tomorrow - timedelta(days=1) < tomorrow


def test_admin_eleventh_key_item_is_refused_R8(admin_client):
    items = list(Item.objects.filter(scope="central").order_by("sort_key")[:11])
    Item.objects.filter(pk__in=[i.pk for i in items[:10]]).update(is_key=True)
    target = items[10]
    data = {
        f: getattr(target, f)
        for f in ("oversupplied", "is_high_risk", "is_installation", "is_complete_set", "plate_licence")
    }
    data = {k: "on" for k, v in data.items() if v}
    response = admin_client.post(
        reverse("admin:catalog_item_change", args=[target.pk]),
        {**data, "is_key": "on", "change_reason": "重点"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "R8" in response.content.decode()
    target.refresh_from_db()
    assert target.is_key is False


def test_admin_retires_an_item_from_today_on_never_before_R7(admin_client, today):
    target = Item.objects.get(scope="municipal", code="8.1.8")
    url = reverse("admin:catalog_item_change", args=[target.pk])
    admin_client.post(url, {"valid_to": (today - timedelta(days=1)).isoformat(), "change_reason": "调整"})
    target.refresh_from_db()
    assert target.valid_to is None
    assert admin_client.post(url, {"valid_to": today.isoformat(), "change_reason": "调整范围"}).status_code == 302
    target.refresh_from_db()
    assert target.valid_to == today
    event = CatalogueEvent.objects.get(action="item_retired")
    assert (event.subject_id, event.reason) == (target.pk, "调整范围")


def test_admin_keeps_a_grade_in_force_as_it_is_R7(admin_client):
    g = grade("1.1.2", "旋耕机 1.5—2m", "1.5m≤工作幅宽<2m")
    admin_client.post(
        reverse("admin:catalog_grade_change", args=[g.pk]),
        {"name": "改名", "change_reason": "x", "parameters-TOTAL_FORMS": "0", "parameters-INITIAL_FORMS": "0"},
    )
    g.refresh_from_db()
    assert g.name == "旋耕机 1.5—2m"
    assert [p.text for p in g.parameters.all()] == ["1.5m≤工作幅宽<2m"]


def test_admin_changes_to_a_manufacturers_users_are_recorded_R45(admin_client, cast):
    from catalog.models import Manufacturer

    company = Manufacturer.objects.create(name="某农机", credit_code="91110000600037343A")
    response = admin_client.post(
        reverse("admin:catalog_manufacturer_change", args=[company.pk]),
        {"name": "某农机", "credit_code": "91110000600037343A", "members": [cast["maker"].pk]},
    )
    assert response.status_code == 302
    event = CatalogueEvent.objects.get(action="members_changed")
    assert (event.subject_id, event.data["members"], event.actor.username) == (company.pk, ["m1"], "city-admin")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is proven on PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_keep_one_chain_R45(monkeypatch):
    """Eight threads set amounts at once; every event still follows the one before it."""
    import threading
    import time

    slow_hash = CatalogueEvent.content_hash

    def content_hash(self):  # widen the window between reading the last event and writing the next
        time.sleep(0.05)
        return slow_hash(self)

    monkeypatch.setattr(CatalogueEvent, "content_hash", content_hash)

    from django.db import connections

    from catalog.services import set_amount

    grades = [grade("1.1.2", f"旋耕机 档{n}", f"{n}m≤工作幅宽<{n + 1}m") for n in range(8)]
    prices = [record_market_price(grade=g, year=2023, average_price="6000", source="market_survey") for g in grades]
    errors = []

    def work(g, p):
        try:
            set_amount(grade=g, fund_source="central", amount="1000", ratio="0.30", market_price=p, valid_from=START)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=pair) for pair in zip(grades, prices, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Amount.objects.count() == 8
    assert verify_chain() is None


def test_admin_refuses_on_the_form_what_the_service_would_refuse_R41(admin_client, today):
    g = grade("1.1.2", "旋耕机 1.5—2m", "1.5m≤工作幅宽<2m")
    old = priced(g, FundSource.CENTRAL, "1800", price="6000")
    price = record_market_price(grade=g, year=2025, average_price="6000", source="market_survey")
    past = (today - timedelta(days=1)).isoformat()
    response = admin_client.post(
        reverse("admin:catalog_amount_add"),
        {
            "grade": g.pk,
            "fund_source": "central",
            "amount": "100",
            "ratio": "0.30",
            "market_price": price.pk,
            "valid_from": past,
            "reason": "",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "R41" in response.content.decode()
    response = admin_client.post(
        reverse("admin:catalog_ratioceiling_add"),
        {
            "fund_source": "central",
            "ratio_class": "general",
            "ceiling": "0.25",
            "rule": "R15",
            "valid_from": past,
            "note": "",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "R41" in response.content.decode()
    assert Amount.objects.get() == old
    assert RatioCeiling.objects.filter(fund_source="central", ratio_class="general").count() == 1
