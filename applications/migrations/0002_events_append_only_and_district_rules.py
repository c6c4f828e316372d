"""Events are append-only on PostgreSQL (R45); every district starts with the default verification rules (R32)."""

import datetime

from django.db import migrations

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION applications_event_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'application events are append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER applications_event_append_only BEFORE UPDATE OR DELETE ON applications_applicationevent
  FOR EACH ROW EXECUTE FUNCTION applications_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS applications_event_append_only ON applications_applicationevent;
DROP FUNCTION IF EXISTS applications_event_append_only();
"""


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


def drop_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


def default_rules(apps, schema_editor):
    District = apps.get_model("accounts", "District")
    DistrictRule = apps.get_model("applications", "DistrictRule")
    for district in District.objects.all():
        DistrictRule.objects.get_or_create(
            district=district,
            valid_from=datetime.date(2024, 1, 1),
            defaults={"sample_ratio": "0.100", "high_amount": "50000.00", "document": "默认值（京政农发〔2024〕70号）"},
        )


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial"), ("accounts", "0002_districts")]
    operations = [
        migrations.RunPython(append_only, drop_append_only),
        migrations.RunPython(default_rules, migrations.RunPython.noop),
    ]
