"""The admin reads the ledger and payments and never changes them (R45); caps are added as new rows (R24)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_lists_the_ledger_read_only_and_caps_as_rows_R24_R45(client, cast, haidian, fund):
    fund(haidian)
    admin = cast["city"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    assert client.get(reverse("admin:payments_ledgerentry_changelist")).status_code == 200
    assert client.get(reverse("admin:payments_ledgerentry_add")).status_code == 403
    assert client.get(reverse("admin:payments_buyercap_changelist")).status_code == 200
    assert client.get(reverse("admin:payments_buyercap_add")).status_code == 200
