"""Summary events are append-only on PostgreSQL (R45)."""

from django.db import migrations

APPEND_ONLY = """
CREATE TRIGGER reports_summary_event_append_only BEFORE UPDATE OR DELETE ON reports_summaryevent
  FOR EACH ROW EXECUTE FUNCTION reports_append_only();
"""
DROP = "DROP TRIGGER IF EXISTS reports_summary_event_append_only ON reports_summaryevent;"


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


def drop_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_annual_summary")]

    operations = [migrations.RunPython(append_only, drop_append_only)]
