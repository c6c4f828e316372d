"""The trail's tables refuse TRUNCATE (issue 14, part 2; R45).

The row triggers of the events, the ledger and the role changes refuse UPDATE and DELETE, but TRUNCATE fires no
row trigger: it emptied a table and left `audit verify` saying "chain intact". A statement-level trigger refuses
it for every role but a database superuser (who can drop any trigger anyway, and whose test runs empty the
tables between tests). In production the application connects as an ordinary role that may not TRUNCATE or own
a table at all (deploy/postgres/roles.sql), and migrations run as the owner, which is no superuser either.
"""

from django.db import migrations

TABLES = [
    "applications_applicationevent",
    "payments_ledgerentry",
    "catalog_catalogueevent",
    "accounts_rolechange",
]

FUNCTION = """
CREATE OR REPLACE FUNCTION subsidy_refuse_truncate() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND rolsuper) THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def refuse_truncate(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION subsidy_refuse_truncate();",
            params=None,
        )


def allow_truncate(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS subsidy_refuse_truncate();")


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0010_objection_contact_encrypted"),
        ("payments", "0002_ledger_append_only_and_caps"),
        ("catalog", "0007_outside_base_min_supply"),
        ("accounts", "0007_reset_requests"),
    ]
    operations = [migrations.RunPython(refuse_truncate, allow_truncate)]
