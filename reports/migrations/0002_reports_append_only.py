"""Generated reports are append-only on PostgreSQL: a correction is a new version, never an edit."""

from django.db import migrations

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION reports_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'generated reports are immutable: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reports_monthly_append_only BEFORE UPDATE OR DELETE ON reports_monthlyreport
  FOR EACH ROW EXECUTE FUNCTION reports_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS reports_monthly_append_only ON reports_monthlyreport;
DROP FUNCTION IF EXISTS reports_append_only();
"""


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


def drop_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(append_only, drop_append_only)]
