"""The officers' decisions on work records are append-only on PostgreSQL (R45), as the application events are."""

from django.db import migrations

from core.chain import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("usage", "0001_pilot_kinds_and_work_records")]
    operations = [
        AppendOnly(table="usage_recordevent", function="usage_record_event_append_only", what="work record events"),
    ]
