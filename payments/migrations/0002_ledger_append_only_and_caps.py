"""Ledger entries are append-only on PostgreSQL (R21, R45); the annual caps per buyer ship as rows (R24)."""

import datetime

from django.db import migrations

from core.chain import AppendOnly


def default_caps(apps, schema_editor):
    BuyerCap = apps.get_model("payments", "BuyerCap")
    for kind, amount in (("individual", "500000.00"), ("organisation", "5000000.00")):
        BuyerCap.objects.get_or_create(
            buyer_kind=kind, valid_from=datetime.date(2024, 1, 1), defaults={"amount": amount}
        )


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]
    operations = [
        AppendOnly(table="payments_ledgerentry", function="payments_ledger_append_only", what="ledger entries"),
        migrations.RunPython(default_caps, migrations.RunPython.noop),
    ]
