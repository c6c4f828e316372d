"""The trail cannot be emptied (issue 14, part 2; R45): TRUNCATE of the events, the ledger and the role changes is
refused by a statement-level trigger to every ordinary role, the owner included; and the runtime role of the
production shape (deploy/postgres/10-roles.sh) may not TRUNCATE, disable or drop a trigger, or rewrite a row."""

import re
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.models import RoleChange
from applications.models import ApplicationEvent

pytestmark = pytest.mark.django_db

TRAIL = ["applications_applicationevent", "payments_ledgerentry", "catalog_catalogueevent", "accounts_rolechange"]
ROLES_SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "postgres" / "10-roles.sh"


def refused(cursor, sql: str) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        cursor.execute(sql)
    return str(error.value)


@pytest.fixture
def trail(cast, submitted):
    submitted()  # application events, and the cast's role changes
    return {"events": ApplicationEvent.objects.count(), "roles": RoleChange.objects.count()}


def test_truncate_of_the_trail_is_refused_even_to_the_tables_owner_R45(trail):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the rows just written are checked: no pending events
        cursor.execute("CREATE ROLE hardening_test_owner NOLOGIN NOSUPERUSER")
        for table in TRAIL:
            cursor.execute(f"ALTER TABLE {table} OWNER TO hardening_test_owner")
        cursor.execute("SET ROLE hardening_test_owner")
        try:
            for table in TRAIL:
                assert "TRUNCATE refused" in refused(cursor, f"TRUNCATE {table} CASCADE")
        finally:
            cursor.execute("RESET ROLE")
    assert ApplicationEvent.objects.count() == trail["events"] > 0
    assert RoleChange.objects.count() == trail["roles"] > 0


def test_the_runtime_role_cannot_truncate_disable_or_drop_a_trigger_or_rewrite_the_trail_R45(trail, cast):
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE hardening_test_app NOLOGIN NOSUPERUSER")
        # The runtime role's rights, as deploy/postgres/10-roles.sh grants them on the owner's tables.
        cursor.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO hardening_test_app")
        cursor.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO hardening_test_app")
        cursor.execute("SET ROLE hardening_test_app")
        try:
            for table in TRAIL:
                assert "permission denied" in refused(cursor, f"TRUNCATE {table}")
                assert "must be owner" in refused(cursor, f"ALTER TABLE {table} DISABLE TRIGGER ALL")
            assert "must be owner" in refused(
                cursor, "DROP TRIGGER applications_event_append_only ON applications_applicationevent"
            )
            assert "append-only" in refused(cursor, "UPDATE applications_applicationevent SET reason = 'x'")
            assert "append-only" in refused(cursor, "DELETE FROM accounts_rolechange")
            # ...while the site's ordinary work goes on.
            cursor.execute("UPDATE accounts_user SET display_name = 'x' WHERE id = %s", [cast["buyer"].pk])
            assert cursor.rowcount == 1
        finally:
            cursor.execute("RESET ROLE")
    assert ApplicationEvent.objects.count() == trail["events"]


def test_the_shipped_roles_script_gives_the_runtime_role_rows_only_R45():
    script = ROLES_SCRIPT.read_text()
    assert 'CREATE ROLE :"app" LOGIN NOSUPERUSER' in script and 'CREATE ROLE :"owner" LOGIN NOSUPERUSER' in script
    to_app = [line for line in script.splitlines() if re.search(r'TO :"app"', line)]
    assert to_app and all("TRUNCATE" not in line and " ALL " not in line for line in to_app)
    assert not re.search(r'OWNER TO :"app"', script)
    granted = re.findall(r"GRANT ([A-Z, ]+) ON TABLES TO :\"app\"", script)
    assert granted == ["SELECT, INSERT, UPDATE, DELETE"]
