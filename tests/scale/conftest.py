"""A world for the query-count tests (issue 15): the demo data set (every state, with its events, deadlines,
documents, ledger entries, batches and payments, walked through the real services) loaded once for the module and
rolled back after it; ``grow(times)`` clones each demo application ``times`` over, with every row that belongs to
it, so a page can be read at two sizes."""

import copy as copying
from itertools import count

import pytest
from django.db import transaction
from django.db.models.base import ModelState

from accounts import demo as accounts_demo
from applications import demo as applications_demo
from applications.models import (
    Application,
    ApplicationEvent,
    Deadline,
    Document,
    Objection,
    Verification,
    Warning,
)
from audits import demo as audits_demo
from audits.models import AuditTask, Investigation, RiskWarning, Selection
from catalog import demo as catalog_demo
from payments import demo as payments_demo
from payments.models import BatchItem, Deferral, LedgerEntry, Payment

#: The rows that belong to an application and are cloned with it (ledger entries apart: chained by fund).
ROWS = [
    ApplicationEvent,
    Deadline,
    Document,
    Warning,
    Verification,
    Objection,
    Payment,
    BatchItem,
    Deferral,
    Selection,
    AuditTask,
    RiskWarning,
    Investigation,
]


class Rollback(Exception):
    pass


def fresh(instance):
    """A copy of ``instance`` to be inserted as a new row."""
    copy = copying.copy(instance)
    copy._state = ModelState()
    copy.pk = None
    return copy


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo data set, for this module only."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                for seed in (
                    accounts_demo.seed,
                    catalog_demo.seed,
                    applications_demo.seed,
                    payments_demo.seed,
                    audits_demo.seed,
                ):
                    seed()
                yield list(Application.objects.order_by("pk").values_list("pk", flat=True))
                raise Rollback
        except Rollback:
            pass


@pytest.fixture
def grow(world, db):
    """``grow(times)``: clone every demo application ``times`` over (rolled back with the test)."""
    serial = count()

    def _grow(times: int) -> None:
        templates = list(Application.objects.filter(pk__in=world).order_by("pk"))
        rows = {model: list(model.objects.filter(application_id__in=world).order_by("pk")) for model in ROWS}
        entries = list(LedgerEntry.objects.filter(application_id__in=world).order_by("pk"))
        heads = {}
        for _ in range(times):
            clones = {}
            for template in templates:
                n = next(serial)
                clone = fresh(template)
                clone.number = f"{template.number}-C{n}" if template.number else None
                clone.serial_key = clone.serial_number = f"CLONE-{n}"
                clones[template.pk] = clone
            Application.objects.bulk_create(clones.values())
            copied = {}  # model -> {template row's pk: its copy's}, for the rows that point at each other
            for model in ROWS:
                copies = []
                links = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model in copied]
                for row in rows[model]:
                    copy = fresh(row)
                    copy.application_id = clones[row.application_id].pk
                    for link in links:
                        value = getattr(row, link.attname)
                        setattr(copy, link.attname, copied[link.related_model].get(value, value))
                    if model is Payment:
                        copy.voucher = f"{row.voucher}-C{next(serial)}"
                    copies.append(copy)
                if model is ApplicationEvent:
                    last = {}
                    for event in copies:
                        event.prev_hash = last.get(event.application_id, "")
                        event.hash = last[event.application_id] = event.content_hash()
                model.objects.bulk_create(copies)
                copied[model] = {row.pk: copy.pk for row, copy in zip(rows[model], copies, strict=True)}
            copies = []
            for entry in entries:
                copy = fresh(entry)
                copy.application_id = clones[entry.application_id].pk
                if copy.fund_id not in heads:
                    heads[copy.fund_id] = LedgerEntry.objects.filter(fund_id=copy.fund_id).latest("id").hash
                copy.prev_hash = heads[copy.fund_id]
                copy.hash = heads[copy.fund_id] = copy.content_hash()
                copies.append(copy)
            LedgerEntry.objects.bulk_create(copies)

    return _grow
