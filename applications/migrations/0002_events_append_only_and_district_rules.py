"""Events are append-only on PostgreSQL (R45); every district starts with the default verification rules (R32)."""

import datetime

from django.db import migrations

from core.chain import AppendOnly


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
        AppendOnly(
            table="applications_applicationevent", function="applications_event_append_only", what="application events"
        ),
        migrations.RunPython(default_rules, migrations.RunPython.noop),
    ]
