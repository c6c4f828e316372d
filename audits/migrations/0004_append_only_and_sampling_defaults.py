"""The oversight trail and the drawn runs are append-only on PostgreSQL (R45: a seed cannot be changed after its
draw); the city-wide sampling parameters (10% checked, a quarter of it at random) and risk weights from 2021."""

import datetime
from decimal import Decimal

from django.db import migrations

TABLES = ["audits_auditevent", "audits_samplingrun", "audits_selection"]

FUNCTION = """
CREATE OR REPLACE FUNCTION audits_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audits_append_only();",
            params=None,
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};", params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS audits_append_only();", params=None)


WEIGHTS = {"warnings": "10", "amount": "1", "new_product": "5", "credit": "5"}


def defaults(apps, schema_editor):
    since = datetime.date(2021, 1, 1)
    apps.get_model("audits", "SamplingParameter").objects.get_or_create(
        district=None, valid_from=since, defaults={"share": Decimal("0.100"), "random_part": Decimal("0.250")}
    )
    RiskWeight = apps.get_model("audits", "RiskWeight")
    for factor, weight in WEIGHTS.items():
        RiskWeight.objects.get_or_create(factor=factor, valid_from=since, defaults={"weight": Decimal(weight)})


class Migration(migrations.Migration):
    dependencies = [("audits", "0003_sampling_and_tasks")]
    operations = [
        migrations.RunPython(append_only, drop),
        migrations.RunPython(defaults, migrations.RunPython.noop),
    ]
