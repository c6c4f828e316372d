"""The trail of role changes is chained like the other trails, and a change of a user's groups or permissions in
the admin lands in it too (issue 14 §2 and §5; R45)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from accounts.models import Role, RoleChange
from core import chain


@pytest.fixture
def user_admin(new_user):
    return new_user("ua", Role.USER_ADMIN, is_staff=True)


def change_form(user, **changes) -> dict:
    """What the admin's change form posts for ``user`` as it is, with ``changes``."""
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "organisation": user.organisation,
        "role": user.role,
        "district": user.district_id or "",
        "buyer_kind": user.buyer_kind,
        "credit_code": user.credit_code,
        "is_active": "on",
        "groups": [],
        "user_permissions": [],
        "_save": "1",
    }
    data.update(changes)
    return data


def test_a_change_of_groups_or_permissions_in_the_admin_is_in_the_trail_R45(client, cast, user_admin):
    officer = cast["officer"]
    reviewers = Group.objects.create(name="目录审核")
    perm = Permission.objects.get(codename="view_checkpoint")
    client.force_login(user_admin)
    before = RoleChange.objects.filter(user=officer).count()
    url = reverse("admin:accounts_user_change", args=[officer.pk])
    response = client.post(url, change_form(officer, groups=[reviewers.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    change = RoleChange.objects.filter(user=officer).order_by("-id").first()
    assert RoleChange.objects.filter(user=officer).count() == before + 1
    assert (change.groups, change.permissions, change.by) == ("目录审核", "", user_admin)
    assert change.role_before == change.role == Role.DISTRICT_AGRICULTURE

    response = client.post(url, change_form(officer, groups=[reviewers.pk], user_permissions=[perm.pk]))
    assert response.status_code == 302
    change = RoleChange.objects.filter(user=officer).order_by("-id").first()
    assert change.permissions == "core.view_checkpoint"

    response = client.post(url, change_form(officer, groups=[reviewers.pk], user_permissions=[perm.pk]))
    assert RoleChange.objects.filter(user=officer).count() == before + 2  # nothing changed, nothing written


def test_role_changes_form_a_chain_per_user_R45(cast, changping):
    officer = cast["officer"]
    officer.district = changping
    officer.save()
    rows = list(RoleChange.objects.filter(user=officer).order_by("id"))
    assert [r.prev_hash for r in rows] == ["", rows[0].hash]
    assert rows[1].hash == rows[1].content_hash() and chain.first_broken(RoleChange) is None


def test_a_role_change_rewritten_by_an_insider_is_found_R45(cast, capsys):
    change = RoleChange.objects.filter(user=cast["finance"]).get()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off (superuser only)
        cursor.execute("UPDATE accounts_rolechange SET by_id = %s WHERE id = %s", [cast["finance"].pk, change.pk])
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    with pytest.raises(SystemExit):
        call_command("audit", "verify")
    assert f"role changes: row {change.pk}, chain {cast['finance'].pk}" in capsys.readouterr().err
