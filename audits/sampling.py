"""Drawing a sampling run (抽查, R32, R38) and replaying it. The draw itself is ``draw.select``; this module
freezes the population and its risk scores, records the run with its tasks, and checks it later."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from catalog.models import CreditRecord
from workdays.calendar import add_working_days

from . import draw, events
from .errors import AuditError
from .models import AuditTask, Part, RiskFactor, RiskWeight, SamplingParameter, SamplingRun, Selection
from .signs import live_applications

CENT = Decimal("0.01")


def parameters_on(district, on: date) -> SamplingParameter:
    """The district's row in force, else the city's (a default row when none has been entered)."""
    rows = SamplingParameter.objects.filter(valid_from__lte=on).filter(Q(district=district) | Q(district=None))
    return rows.order_by("district_id", "-valid_from").first() or SamplingParameter(valid_from=on)


def weights_on(on: date) -> dict[str, Decimal]:
    weights = dict.fromkeys(RiskFactor.values, Decimal("0"))
    for row in RiskWeight.objects.filter(valid_from__lte=on).order_by("valid_from"):
        weights[row.factor] = row.weight
    return weights


def population_of(*, district, period_start: date, period_end: date, weights: dict) -> list[dict]:
    """The applications submitted in the district in the period (and still live), each with its 100% flag and
    its risk score: open warnings, the amount, a product new to the district, the manufacturer's credit record."""
    apps = list(
        live_applications()
        .filter(district=district, submitted_at__date__gte=period_start, submitted_at__date__lte=period_end)
        .annotate(open_warnings=Count("warnings", filter=Q(warnings__cleared_at__isnull=True)))
        .values(
            "id",
            "product_id",
            "product__manufacturer_id",
            "product__item__is_high_risk",
            "product__item__is_complete_set",
            "total_amount",
            "open_warnings",
        )
        .order_by("id")
    )
    known = set(
        live_applications()
        .filter(district=district, submitted_at__date__lt=period_start)
        .values_list("product_id", flat=True)
        .distinct()
    )
    credit = dict(
        CreditRecord.objects.filter(manufacturer__isnull=False)
        .values_list("manufacturer_id")
        .annotate(n=Count("id"))
        .values_list("manufacturer_id", "n")
    )
    rows = []
    for app in apps:
        factors = {
            RiskFactor.WARNINGS: app["open_warnings"],
            RiskFactor.AMOUNT: str(((app["total_amount"] or Decimal("0")) / 10000).quantize(CENT, ROUND_HALF_UP)),
            RiskFactor.NEW_PRODUCT: int(app["product_id"] not in known),
            RiskFactor.CREDIT: credit.get(app["product__manufacturer_id"], 0),
        }
        score = sum((weights[f] * Decimal(str(v)) for f, v in factors.items()), Decimal("0")).quantize(CENT)
        full = bool(app["product__item__is_high_risk"] or app["product__item__is_complete_set"])
        rows.append({"id": app["id"], "full": full, "score": score, "factors": {str(k): v for k, v in factors.items()}})
    return rows


def _ensure_may_draw(user, district) -> None:
    if user.role == Role.CITY_AGRICULTURE:
        return
    if user.role == Role.DISTRICT_AGRICULTURE and user.district_id == district.pk:
        return
    raise PermissionDenied(_("Only the municipal bureau or the district's agriculture office draws a sampling run."))


def _check_draw(*, district, period_start, period_end, seed, redraw_of, redraw_reason) -> str:
    seed = (seed or "").strip()
    if not seed:
        raise AuditError(_("Enter the random seed before the draw (for example the numbers of a public draw)."))
    if period_end < period_start:
        raise AuditError(_("The period ends before it starts."))
    same = SamplingRun.objects.filter(district=district, period_start=period_start, period_end=period_end)
    if redraw_of is None and same.exists():
        raise AuditError(_("This district and period already have a run. A redraw names that run and says why."))
    if redraw_of is not None and not (redraw_reason or "").strip():
        raise AuditError(_("Say why the run is drawn again; both runs stay visible."))
    return seed


def _parameters(district, today: date) -> tuple[SamplingParameter, dict]:
    params = parameters_on(district, today)
    weights = weights_on(today)
    recorded = {
        "share": str(params.share),
        "random_part": str(params.random_part),
        "weights": {k: str(v) for k, v in weights.items()},
    }
    return params, recorded


def _select_and_assign(run: SamplingRun, rows: list[dict], due: date) -> dict[int, str]:
    """Draw, record each selection with why, and make a task of it."""
    chosen = draw.select(
        seed=run.seed,
        population=run.population,
        share=run.parameters["share"],
        random_part=run.parameters["random_part"],
    )
    by_id = {r["id"]: r for r in rows}
    selections = Selection.objects.bulk_create(
        Selection(
            run=run,
            application_id=pk,
            part=part,
            ticket=draw.ticket(run.seed, pk),
            score=by_id[pk]["score"],
            factors=by_id[pk]["factors"],
        )
        for pk, part in sorted(chosen.items())
    )
    AuditTask.objects.bulk_create(
        AuditTask(selection=s, run=run, application_id=s.application_id, district=run.district, due_on=due)
        for s in selections
    )
    return chosen


def draw_run(
    *,
    district,
    period_start: date,
    period_end: date,
    seed: str,
    by,
    seed_source: str = "",
    redraw_of=None,
    redraw_reason: str = "",
) -> SamplingRun:
    """Freeze the population, record the seed, draw, and make a task of each selected application."""
    _ensure_may_draw(by, district)
    seed = _check_draw(
        district=district,
        period_start=period_start,
        period_end=period_end,
        seed=seed,
        redraw_of=redraw_of,
        redraw_reason=redraw_reason,
    )
    today = timezone.localdate()
    params, parameters = _parameters(district, today)
    with transaction.atomic():
        rows = population_of(
            district=district, period_start=period_start, period_end=period_end, weights=weights_on(today)
        )
        population = [[r["id"], r["full"], f"{r['score']:.2f}"] for r in rows]
        pop_hash = draw.population_hash(population)
        run = SamplingRun.objects.create(
            district=district,
            period_start=period_start,
            period_end=period_end,
            seed=seed,
            seed_source=(seed_source or "").strip(),
            method=draw.METHOD,
            version=draw.VERSION,
            parameters=parameters,
            population=population,
            population_hash=pop_hash,
            fingerprint=draw.fingerprint(
                method=draw.METHOD, version=draw.VERSION, seed=seed, population_hash=pop_hash, parameters=parameters
            ),
            redraw_of=redraw_of,
            redraw_reason=(redraw_reason or "").strip(),
            drawn_by=by,
            number=_next_number(district, today),
        )
        chosen = _select_and_assign(run, rows, add_working_days(today, params.due_working_days))
        events.record(
            run,
            action="run_drawn",
            actor=by,
            reason=run.redraw_reason,
            data={
                "seed": seed,
                "population": len(population),
                "population_hash": pop_hash,
                "selected": {p: sum(1 for v in chosen.values() if v == p) for p in Part.values},
                "redraw_of": redraw_of.number if redraw_of else None,
            },
        )
    return run


def _next_number(district, today: date) -> str:
    n = SamplingRun.objects.filter(district=district, drawn_at__year=today.year).count() + 1
    return f"CC-{today.year}-{district.code}-{n:03d}"


def replay(run: SamplingRun) -> list[str]:
    """The differences between what the run recorded and a recomputation from it; empty when it replays."""
    differences = []
    if draw.population_hash(run.population) != run.population_hash:
        differences.append(_("The recorded population does not match its hash: it was changed after the draw."))
    fingerprint = draw.fingerprint(
        method=run.method,
        version=run.version,
        seed=run.seed,
        population_hash=run.population_hash,
        parameters=run.parameters,
    )
    if fingerprint != run.fingerprint:
        differences.append(_("The seed, the method or the parameters were changed after the draw."))
    if (run.method, run.version) != (draw.METHOD, draw.VERSION):
        differences.append(
            _("Unknown method %(method)s version %(version)s.") % {"method": run.method, "version": run.version}
        )
        return differences
    expected = draw.select(
        seed=run.seed,
        population=run.population,
        share=run.parameters["share"],
        random_part=run.parameters["random_part"],
    )
    recorded = dict(run.selections.values_list("application_id", "part"))
    for pk in sorted(set(expected) - set(recorded)):
        differences.append(
            _("Application %(id)s should be selected (%(part)s) but is not.") % {"id": pk, "part": expected[pk]}
        )
    for pk in sorted(set(recorded) - set(expected)):
        differences.append(
            _("Application %(id)s is selected (%(part)s) but should not be.") % {"id": pk, "part": recorded[pk]}
        )
    for pk in sorted(set(expected) & set(recorded)):
        if expected[pk] != recorded[pk]:
            differences.append(
                _("Application %(id)s is in the %(recorded)s part but should be in the %(expected)s part.")
                % {"id": pk, "recorded": recorded[pk], "expected": expected[pk]}
            )
    return differences
