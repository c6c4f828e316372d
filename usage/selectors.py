"""Reads of the application subsidy (R20), each starting from the user's scope (``accounts.scope``): what another
district's officer or another buyer asks for is not found (404)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts import scope
from applications.models import Application, Kind
from applications.workflow import NOT_LIVE

from . import rules
from .models import PilotKind, RecordStatus, WorkRecord


def pilot_kinds(year: int):
    """The year's published pilot kinds with their targets (the public list)."""
    return (
        PilotKind.objects.filter(year=year, published=True)
        .select_related("item")
        .prefetch_related("measures")
        .order_by("item__sort_key")
    )


def _taking_part(machines, year: int):
    items = PilotKind.objects.filter(year=year, published=True).values("item_id")
    return machines.filter(product__item_id__in=items)


def buyer_machines(user) -> list[tuple[Application, object]]:
    """The buyer's machines taking part in the application subsidy, each with its progress (work year by work year:
    one aggregate per pilot kind)."""
    machines = list(
        Application.objects.filter(buyer=user, kind=Kind.PURCHASE, state__in=rules.PAID_STATES)
        .select_related("product__item", "payment")
        .order_by("-payment__paid_on", "pk")
    )
    by_year: dict[int, list] = {}
    for m in machines:
        by_year.setdefault(rules.work_year(m), []).append(m)
    progress = {}
    for year, group in by_year.items():
        progress.update(rules.progress_of(group, year))
    return [(m, progress[m.pk]) for m in machines if m.pk in progress]


def machine_for_buyer(*, user, pk: int) -> Application:
    """The buyer's own paid machine (another buyer's: 404)."""
    return get_object_or_404(
        Application.objects.select_related("product__item", "payment", "district"),
        pk=pk,
        buyer=user,
        kind=Kind.PURCHASE,
        state__in=rules.PAID_STATES,
    )


def machine_for_office(*, user, pk: int) -> Application:
    machines = scope.scoped(user, Application.objects.filter(kind=Kind.PURCHASE, state__in=rules.PAID_STATES))
    machine = machines.select_related("product__item", "payment", "district", "buyer").filter(pk=pk).first()
    if machine is None:
        raise Http404
    return machine


def office_machines(*, user, year: int) -> list[tuple[Application, object]]:
    """The machines of the officer's scope working in ``year`` (paid the year before, of a pilot kind), with their
    progress and any claim."""
    machines = _taking_part(scope.scoped(user, rules.machines_of_year(year)), year).select_related("buyer")
    machines = list(machines.order_by("number")[:500])
    progress = rules.progress_of(machines, year)
    claims = {
        c.incentive_for_id: c
        for c in Application.objects.filter(incentive_for__in=machines, kind=Kind.INCENTIVE).exclude(state__in=NOT_LIVE)
    }
    return [(m, progress[m.pk], claims.get(m.pk)) for m in machines if m.pk in progress]


def records_of(machine: Application):
    return WorkRecord.objects.filter(machine=machine).order_by("-started_at", "-id").prefetch_related("evidence")


def flagged_records(user):
    """The flagged records of the officer's scope, waiting for a check, oldest first."""
    return (
        scope.scoped(user, WorkRecord.objects.filter(status=RecordStatus.FLAGGED), district="machine__district")
        .select_related("machine__product__item", "machine__buyer")
        .order_by("created_at", "id")
    )


def claim_of(machine: Application) -> Application | None:
    return machine.incentives.exclude(state__in=NOT_LIVE).first()
