"""Annex 2 of 京政农发〔2024〕70号 (both catalogues, from the copy in catalog/data/), the default flags, the ratio
ceilings and limits that ship (R6, R8, R9, R15–R18), and the PostgreSQL guards on amounts and events (R7, R45)."""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "catalogue.csv"
START = date(2024, 1, 1)

# Default flags the municipal bureau may change later (each change is recorded as an event).
WHEELED_TRACTOR = {"16.1.1"}
RAISED = {"16.1.2", "6.1.1"}  # crawler tractors; assisted-driving (specific-signal) systems (R17)
DRONE = {"3.2.2"}
PLATE_LICENCE = {"16.1.1", "16.1.2", "5.1.2", "5.1.3"}
INSTALLATION_CENTRAL = {
    "14.1.2",
    "15.1.1",
    "15.1.4",
    "10.1.2",
    "10.1.3",
    "19.1.1",
    "19.1.2",
    "11.1.3",
    "11.1.4",
    "11.2.1",
}
INSTALLATION_MUNICIPAL = {"1.1.2", "1.1.11", "2.2.1", "5.1.1", "5.1.3", "5.2.1", "8.1.2", "3.1.1", "3.1.2"}

CEILINGS = [
    ("central", "general", "0.30", "R15"),
    ("central", "key", "0.35", "R17"),
    ("central", "raised", "0.40", "R17"),
    ("central", "oversupplied", "0.20", "R18"),
    ("central", "wheeled_tractor", "0.15", "R18"),
    ("central", "wheeled_tractor_oversupplied", "0.10", "R18"),
    ("municipal", "general", "0.35", "R15"),
    ("municipal", "oversupplied", "0.20", "R18"),
    ("district", "general", "0.35", "R15"),
    ("district", "oversupplied", "0.20", "R18"),
]
LIMITS = [
    ("key_items", "10", "R8"),
    ("key_grades", "20", "R8"),
    ("innovation_items", "10", "R9"),
    ("complete_set_central", "600000", "R16"),
]


def sort_key(code):
    return ".".join(part.zfill(4) for part in code.split("."))


def load(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    Subcategory = apps.get_model("catalog", "Subcategory")
    Item = apps.get_model("catalog", "Item")
    RatioCeiling = apps.get_model("catalog", "RatioCeiling")
    CatalogueLimit = apps.get_model("catalog", "CatalogueLimit")
    categories, subcategories = {}, {}
    with DATA.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            scope = row["scope"]
            key = (scope, row["category_code"])
            if key not in categories:
                categories[key] = Category.objects.create(
                    scope=scope,
                    code=row["category_code"],
                    name=row["category_name"],
                    sort_key=sort_key(row["category_code"]),
                    valid_from=START,
                )
            sub_key = (scope, row["subcategory_code"])
            if sub_key not in subcategories:
                subcategories[sub_key] = Subcategory.objects.create(
                    category=categories[key],
                    code=row["subcategory_code"],
                    name=row["subcategory_name"],
                    sort_key=sort_key(row["subcategory_code"]),
                    valid_from=START,
                )
            code, central = row["item_code"], scope == "central"
            qualification = ("drone" if code in DRONE else "conventional") if central else "municipal"
            Item.objects.create(
                subcategory=subcategories[sub_key],
                scope=scope,
                code=code,
                name=row["item_name"],
                note=row["note"] or "",
                sort_key=sort_key(code),
                valid_from=START,
                kind="wheeled_tractor"
                if central and code in WHEELED_TRACTOR
                else "raised"
                if central and code in RAISED
                else "ordinary",
                qualification=qualification,
                plate_licence=central and code in PLATE_LICENCE,
                is_installation=code in (INSTALLATION_CENTRAL if central else INSTALLATION_MUNICIPAL),
                is_complete_set="成套" in row["item_name"] or "成套" in row["subcategory_name"],
            )
    for fund, klass, value, rule in CEILINGS:
        RatioCeiling.objects.create(
            fund_source=fund, ratio_class=klass, ceiling=Decimal(value), rule=rule, valid_from=START
        )
    for kind, value, rule in LIMITS:
        CatalogueLimit.objects.create(kind=kind, value=Decimal(value), rule=rule, valid_from=START)


def unload(apps, schema_editor):
    for name in ("CatalogueLimit", "RatioCeiling", "Item", "Subcategory", "Category"):
        apps.get_model("catalog", name).objects.all().delete()


GUARDS = """
CREATE OR REPLACE FUNCTION catalog_amount_guard() RETURNS trigger AS $$
DECLARE today date := (now() AT TIME ZONE 'Asia/Shanghai')::date;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'R7: subsidy amounts are never deleted';
  END IF;
  IF OLD.valid_from <= today AND
     (NEW.grade_id, NEW.fund_source, NEW.amount, NEW.ratio, NEW.market_price_id, NEW.valid_from)
     IS DISTINCT FROM
     (OLD.grade_id, OLD.fund_source, OLD.amount, OLD.ratio, OLD.market_price_id, OLD.valid_from) THEN
    RAISE EXCEPTION 'R7: an amount in force is never edited; set a new amount from a later date';
  END IF;
  IF OLD.valid_from <= today AND NEW.valid_to IS DISTINCT FROM OLD.valid_to
     AND (NEW.valid_to IS NULL OR NEW.valid_to < today) THEN
    RAISE EXCEPTION 'R7: the period of an amount in force is closed only from today on';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER catalog_amount_guard BEFORE UPDATE OR DELETE ON catalog_amount
  FOR EACH ROW EXECUTE FUNCTION catalog_amount_guard();

CREATE OR REPLACE FUNCTION catalog_event_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'R45: catalogue events are append-only';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER catalog_event_append_only BEFORE UPDATE OR DELETE ON catalog_catalogueevent
  FOR EACH ROW EXECUTE FUNCTION catalog_event_append_only();
"""

DROP_GUARDS = """
DROP TRIGGER IF EXISTS catalog_amount_guard ON catalog_amount;
DROP FUNCTION IF EXISTS catalog_amount_guard();
DROP TRIGGER IF EXISTS catalog_event_append_only ON catalog_catalogueevent;
DROP FUNCTION IF EXISTS catalog_event_append_only();
"""


def add_guards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARDS)


def drop_guards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_GUARDS)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.RunPython(load, unload),
        migrations.RunPython(add_guards, drop_guards),
    ]
