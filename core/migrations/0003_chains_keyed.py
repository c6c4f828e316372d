"""Every trail's hash becomes keyed (issue 14 §2; R45): HMAC-SHA256 with CHAIN_KEY (core/chain.py).

The rows written before are rehashed here, chain by chain in order, with the key in force when the migration runs
(production: CHAIN_KEY from the environment), so an existing database stays verifiable. The fields hashed are
frozen below, as the models' ``CHAIN`` says them today. The append-only triggers are off for each table while it is
rewritten (the migration runs as the tables' owner) and on again after. The checkpoints' table is append-only too.
"""

from django.db import migrations

from core.chain import AppendOnly, Link, rehash

LINKS = {
    ("applications", "ApplicationEvent"): Link(
        name="application events",
        fields=("application_id", "action", "from_state", "to_state", "actor_id", "reason", "data", "at", "prev_hash"),
        chain_by="application_id",
    ),
    ("payments", "LedgerEntry"): Link(
        name="ledger entries",
        fields=(
            "fund_id",
            "kind",
            "amount",
            "application_id",
            "batch_id",
            "pair",
            "actor_id",
            "reason",
            "document",
            "at",
            "prev_hash",
        ),
        chain_by="fund_id",
    ),
    ("catalog", "CatalogueEvent"): Link(
        name="catalogue events",
        fields=("prev_hash", "at", "actor_id", "action", "subject_type", "subject_id", "reason", "data"),
    ),
    ("audits", "AuditEvent"): Link(
        name="oversight events",
        fields=(
            "action",
            "subject_type",
            "subject_id",
            "application_id",
            "actor_id",
            "reason",
            "data",
            "at",
            "prev_hash",
        ),
    ),
    ("reports", "SummaryEvent"): Link(
        name="summary events",
        fields=("summary_id", "action", "actor_id", "reason", "at", "prev_hash"),
        chain_by="summary_id",
    ),
    ("accounts", "RoleChange"): Link(
        name="role changes",
        fields=(
            "user_id",
            "by_id",
            "at",
            "role_before",
            "role",
            "district_before",
            "district",
            "rights",
            "groups",
            "permissions",
            "prev_hash",
        ),
        chain_by="user_id",
    ),
}


def rehash_all(apps, schema_editor):
    for (app_label, model_name), link in LINKS.items():
        rehash(schema_editor.connection, apps.get_model(app_label, model_name), link)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_trail_checkpoints"),
        ("accounts", "0008_role_changes_chained_with_groups"),
        ("applications", "0011_warning_data"),
        ("payments", "0002_ledger_append_only_and_caps"),
        ("catalog", "0010_sale"),
        ("audits", "0005_investigations_and_cases"),
        ("reports", "0004_summary_events_append_only"),
    ]
    operations = [
        migrations.RunPython(rehash_all, migrations.RunPython.noop, elidable=False),
        AppendOnly(table="core_checkpoint", function="core_checkpoint_append_only", what="trail checkpoints"),
    ]
