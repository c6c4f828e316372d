"""The six signs' city-wide thresholds (R38), from 2021: the municipal bureau replaces them in the admin with rows
from a later date."""

import datetime
from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    ("unit_subsidy", "50000", None, "A subsidy above 50,000 yuan for one unit"),
    ("product_volume", "30", 30, "More than 30 purchases of one product in a district within 30 days"),
    ("multi_unit", "2", None, "More than 2 units of one item for one buyer in a year"),
    ("burst_buyer", "5", 7, "More than 5 units by one buyer within 7 days"),
    ("burst_district", "100", 7, "More than 100 units in a district within 7 days"),
    ("repeat_years", "2", None, "Buying in more than 2 consecutive years"),
    ("scale", "3", None, "More than 3 units a year per standard unit of declared scale"),
]


def load(apps, schema_editor):
    WarningRule = apps.get_model("audits", "WarningRule")
    for sign, threshold, days, note in DEFAULTS:
        WarningRule.objects.get_or_create(
            sign=sign,
            item=None,
            district=None,
            valid_from=datetime.date(2021, 1, 1),
            defaults={"threshold": Decimal(threshold), "period_days": days, "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
