"""Ledger entries are append-only on PostgreSQL (R21, R45); the annual caps per buyer ship as rows (R24)."""

import datetime

from django.db import migrations

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION payments_ledger_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER payments_ledger_append_only BEFORE UPDATE OR DELETE ON payments_ledgerentry
  FOR EACH ROW EXECUTE FUNCTION payments_ledger_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS payments_ledger_append_only ON payments_ledgerentry;
DROP FUNCTION IF EXISTS payments_ledger_append_only();
"""


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


def drop_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


def default_caps(apps, schema_editor):
    BuyerCap = apps.get_model("payments", "BuyerCap")
    for kind, amount in (("individual", "500000.00"), ("organisation", "5000000.00")):
        BuyerCap.objects.get_or_create(
            buyer_kind=kind, valid_from=datetime.date(2024, 1, 1), defaults={"amount": amount}
        )


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]
    operations = [
        migrations.RunPython(append_only, drop_append_only),
        migrations.RunPython(default_caps, migrations.RunPython.noop),
    ]
