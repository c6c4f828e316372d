"""What the public may read of oversight (R25, R42): sampling runs with masked names, and the data file from
which ``scripts/replay_sampling.py`` recomputes a run."""

from django.db.models import Count, QuerySet

from .models import Case, Decision, SamplingRun, Selection


def public_runs() -> QuerySet[SamplingRun]:
    return (
        SamplingRun.objects.select_related("district", "redraw_of")
        .annotate(selected=Count("selections"))
        .defer("population")
    )


def public_selections(run: SamplingRun) -> QuerySet[Selection]:
    return run.selections.select_related("application__buyer", "application__product__item").order_by(
        "part", "application_id"
    )


def run_data(run: SamplingRun) -> dict:
    """Everything an outsider needs to recompute the run, and nothing personal: ids, flags, scores, masked names."""
    return {
        "run": run.number,
        "district": run.district.display_name,
        "period": [run.period_start.isoformat(), run.period_end.isoformat()],
        "drawn_at": run.drawn_at.isoformat(),
        "method": run.method,
        "version": run.version,
        "seed": run.seed,
        "seed_source": run.seed_source,
        "parameters": {"share": run.parameters["share"], "random_part": run.parameters["random_part"]},
        "population_hash": run.population_hash,
        "population": run.population,
        "selection": [
            {
                "id": s.application_id,
                "part": s.part,
                "number": s.application.number,
                "buyer": s.application.buyer.public_name,
                "item": s.application.product.item.name if s.application.product else "",
            }
            for s in public_selections(run)
        ],
        "redraw_of": run.redraw_of.number if run.redraw_of else None,
    }


def decided_violations() -> QuerySet[Case]:
    """R42: decided violation cases, newest first, with what may be published (no personal data)."""
    return (
        Case.objects.filter(decision=Decision.VIOLATION)
        .select_related(
            "investigation__district",
            "investigation__application__product__item",
            "investigation__application__product__manufacturer",
            "investigation__application__buyer",
        )
        .order_by("-decided_on", "-id")
    )
