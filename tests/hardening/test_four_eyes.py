"""Four-eyes cannot be defeated by one account (issue 14, part 5; R36, R45): the admin has a user administrator
of its own, every change of a role or district is in the trail, and a finance approval is refused to an account
created or given its role by the batch's builder or only within the cooling-off period."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts import demo
from accounts.models import Role, RoleChange, User
from payments import services as payments
from payments.models import BatchState
from payments.services import PaymentError
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(cast, haidian, fund, requested):
    fund(haidian)
    return payments.build_batch(officer=cast["finance"], application_ids=[requested().pk])


def refused_approval(batch, approver) -> str:
    with pytest.raises(PaymentError) as refused:
        payments.approve_batch(batch_id=batch.pk, officer=approver)
    batch.refresh_from_db()
    assert batch.state == BatchState.BUILT and batch.approved_by is None
    return refused.value.message


def test_an_approver_created_by_the_batchs_builder_is_refused_R36(cast, haidian, batch):
    shadow = User(username="shadow", role=Role.DISTRICT_FINANCE, district=haidian, display_name="影子")
    shadow.date_joined = timezone.now() - timedelta(days=200)  # however long ago
    shadow.changed_by = cast["finance"]
    shadow.save()
    assert "由本批次的编制人创建或授予" in refused_approval(batch, shadow)


def test_an_account_within_the_cooling_off_period_is_refused_then_may_approve_R36(cast, haidian, batch, settings):
    settings.FOUR_EYES_COOLING_OFF_HOURS = 72
    fresh = make_user("fresh", Role.DISTRICT_FINANCE, haidian, date_joined=timezone.now())
    assert "72 小时" in refused_approval(batch, fresh)
    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        payments.approve_batch(batch_id=batch.pk, officer=fresh)
    batch.refresh_from_db()
    assert batch.state == BatchState.APPROVED and batch.approved_by == fresh


def test_an_old_account_given_the_finance_role_lately_is_refused_R36(cast, haidian, batch):
    officer = make_user("moved", Role.DISTRICT_AGRICULTURE, haidian)  # 90 days ago
    officer.role = Role.DISTRICT_FINANCE
    officer.save()
    assert "72 小时" in refused_approval(batch, officer)


def test_every_change_of_role_or_district_is_in_the_trail_R45(cast, changping):
    officer = cast["officer"]
    officer.changed_by = cast["city"]
    officer.district = changping
    officer.save()
    officer.role = Role.DISTRICT_FINANCE
    officer.save()
    officer.display_name = "王丽"  # not a role change
    officer.save()
    rows = list(
        RoleChange.objects.filter(user=officer)
        .order_by("id")
        .values_list("role_before", "role", "district_before", "district", "by")
    )
    assert rows == [
        ("", "district_agriculture", "", "110108", None),  # made
        ("district_agriculture", "district_agriculture", "110108", "110114", cast["city"].pk),
        ("district_agriculture", "district_finance", "110114", "110114", cast["city"].pk),
    ]


def test_role_changes_are_never_edited_R45(cast):
    from django.db import DatabaseError, transaction

    change = RoleChange.objects.filter(user=cast["finance"]).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        RoleChange.objects.filter(pk=change.pk).update(role="city_finance")
    with pytest.raises(DatabaseError), transaction.atomic():
        RoleChange.objects.filter(pk=change.pk).delete()


def add_finance_officer(client, district):
    """The admin's form for a new account: a finance officer of ``district``."""
    data = {"username": "f9", "display_name": "新财政", "role": "district_finance", "district": district.pk}
    password = {"password1": "long-pass-9753", "password2": "long-pass-9753", "_save": "1"}
    return client.post(reverse("admin:accounts_user_add"), {**data, **password})


@pytest.fixture
def bureau(db):
    """The municipal agriculture bureau as the demo makes it: staff, not a superuser, with its group."""
    demo.seed()
    return User.objects.get(username="city-agri")


def test_the_municipal_bureau_is_no_superuser_and_cannot_create_or_change_users_R36(client, bureau, haidian):
    assert not bureau.is_superuser and bureau.is_staff
    client.force_login(bureau)
    assert client.get(reverse("admin:catalog_item_changelist")).status_code == 200  # its own work
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    response = add_finance_officer(client, haidian)
    assert response.status_code == 403 and not User.objects.filter(username="f9").exists()


def test_the_user_administrator_creates_an_official_and_the_trail_names_them_R36_R45(client, bureau, haidian):
    admin = User.objects.get(username="user-admin")
    assert admin.role == Role.USER_ADMIN and not admin.is_superuser
    client.force_login(admin)
    response = add_finance_officer(client, haidian)
    assert response.status_code == 302
    made = User.objects.get(username="f9")
    assert RoleChange.objects.get(user=made).by == admin
    # The administrator acts on no application and no money, and cannot change their own role.
    assert client.get(reverse("core:office")).status_code == 403
    assert client.get(reverse("payments:queue")).status_code == 403
    page = client.get(reverse("admin:accounts_user_change", args=[admin.pk])).content.decode()
    assert 'name="role"' not in page
