"""The six warning signs of R38, measured the same way on submission (a few counting queries) and in the nightly
scan (one pass over the subsidy year in memory). A sign is raised when its figure is above the threshold of the
rule row in force; it never refuses anything (R39). The scan is idempotent: a sign already raised on an
application with the same figures is not raised again."""

import hashlib
import json
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from applications.models import Application
from applications.warnings import raise_warning, raise_warnings_in_bulk
from applications.workflow import NOT_LIVE

from .models import BuyerScale, RiskWarning, Sign, WarningRule

CODE_PREFIX = "r38_"

MESSAGES = {
    Sign.UNIT_SUBSIDY: gettext_noop(
        "A subsidy of %(amount)s yuan for one unit, above the threshold of %(threshold)s yuan."
    ),
    Sign.PRODUCT_VOLUME: gettext_noop(
        "%(count)s purchases of this product in the district within %(days)s days, above the threshold of "
        "%(threshold)s."
    ),
    Sign.MULTI_UNIT: gettext_noop(
        "The buyer has %(count)s units of this item this year, above the threshold of %(threshold)s."
    ),
    Sign.BURST_BUYER: gettext_noop(
        "The buyer bought %(count)s units within %(days)s days, above the threshold of %(threshold)s."
    ),
    Sign.BURST_DISTRICT: gettext_noop(
        "%(count)s units were bought in the district within %(days)s days, above the threshold of %(threshold)s."
    ),
    Sign.REPEAT_YEARS: gettext_noop(
        "The buyer has bought in %(count)s consecutive years, above the threshold of %(threshold)s."
    ),
    Sign.SCALE: gettext_noop(
        "The buyer has %(count)s units this year for a declared scale of %(scale)s standard units (100 mu, 100 "
        "head or 1,000 m² each): %(ratio)s units per standard unit, above the threshold of %(threshold)s."
    ),
}


@dataclass(frozen=True)
class Facts:
    """What the signs read of one application."""

    id: int
    buyer_id: int
    district_id: int
    product_id: int
    item_id: int
    year: int
    amount: Decimal
    at: datetime
    day: date  # the day of submission in the local time zone


FACT_FIELDS = (
    "id",
    "buyer_id",
    "district_id",
    "product_id",
    "product__item_id",
    "year",
    "total_amount",
    "submitted_at",
)


def live_applications():
    """Applications that count for the signs: purchases submitted and neither withdrawn nor rejected (an incentive
    of the application subsidy, R20, names a machine already counted as its purchase)."""
    return Application.objects.exclude(state__in=NOT_LIVE).filter(
        submitted_at__isnull=False, product__isnull=False, kind="purchase"
    )


def facts_of(rows) -> list[Facts]:
    zone = timezone.get_current_timezone()  # once: the per-row look-up cost more than the whole measure
    return [
        Facts(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or Decimal("0"), r[7], r[7].astimezone(zone).date())
        for r in rows
    ]


def standard_scale(scale: BuyerScale | None) -> Decimal | None:
    """100 mu, 100 head or 1,000 m² make one standard unit of scale; None when nothing is declared."""
    if scale is None:
        return None
    parts = [
        (scale.land_mu or Decimal("0")) / 100,
        Decimal(scale.herd_head or 0) / 100,
        (scale.facility_m2 or Decimal("0")) / 1000,
    ]
    total = sum(parts, Decimal("0"))
    return total.quantize(Decimal("0.01"), ROUND_HALF_UP) if total > 0 else None


# --- The rule rows -------------------------------------------------------------------------------------------


class Rules:
    """Every rule row, resolved per application: the item's row, else the district's, else the city's, each the
    latest in force on the day of submission."""

    def __init__(self, rows=None):
        self.rows: dict[tuple, list[WarningRule]] = defaultdict(list)
        for row in rows if rows is not None else WarningRule.objects.order_by("-valid_from", "-id"):
            key = ("item", row.item_id) if row.item_id else ("district", row.district_id) if row.district_id else ()
            self.rows[(row.sign, *key)].append(row)
        self._cache: dict[tuple, WarningRule | None] = {}

    def row(self, sign: str, facts: Facts) -> WarningRule | None:
        on = facts.day
        key = (sign, facts.item_id, facts.district_id, on)
        if key not in self._cache:
            self._cache[key] = next(
                (
                    row
                    for candidates in (
                        self.rows.get((sign, "item", facts.item_id), []),
                        self.rows.get((sign, "district", facts.district_id), []),
                        self.rows.get((sign,), []),
                    )
                    for row in candidates
                    if row.valid_from <= on
                ),
                None,
            )
        return self._cache[key]


# --- Counting: the same questions, asked of the database or of the year in memory ----------------------------


class DatabaseCounts:
    """For one application at submission: a few counting queries."""

    def __init__(self):
        self.live = live_applications()

    def _window(self, facts: Facts, days: int, **group) -> int:
        since = facts.at - timedelta(days=days)
        return self.live.filter(submitted_at__gt=since, submitted_at__lte=facts.at, **group).count()

    def product_window(self, facts: Facts, days: int) -> int:
        return self._window(facts, days, product_id=facts.product_id, district_id=facts.district_id)

    def buyer_window(self, facts: Facts, days: int) -> int:
        return self._window(facts, days, buyer_id=facts.buyer_id)

    def district_window(self, facts: Facts, days: int) -> int:
        return self._window(facts, days, district_id=facts.district_id)

    def buyer_item_year(self, facts: Facts) -> int:
        mine = self.live.filter(buyer_id=facts.buyer_id, year=facts.year, submitted_at__lte=facts.at)
        return mine.filter(product__item_id=facts.item_id).count()

    def buyer_units_year(self, facts: Facts) -> int:
        return self.live.filter(buyer_id=facts.buyer_id, year=facts.year, submitted_at__lte=facts.at).count()

    def years_of(self, facts: Facts) -> set[int]:
        return set(self.live.filter(buyer_id=facts.buyer_id).values_list("year", flat=True).distinct())

    def scale(self, facts: Facts) -> Decimal | None:
        return standard_scale(BuyerScale.objects.filter(buyer_id=facts.buyer_id).first())


class MemoryCounts:
    """For the nightly scan: the year's applications in sorted lists, each question a bisection or a look-up."""

    def __init__(self, facts: list[Facts], buyer_years: dict[int, set[int]], scales: dict[int, Decimal | None]):
        self.times: dict[tuple, list[datetime]] = defaultdict(list)
        for f in facts:
            self.times[("p", f.product_id, f.district_id)].append(f.at)
            self.times[("b", f.buyer_id)].append(f.at)
            self.times[("d", f.district_id)].append(f.at)
            self.times[("bi", f.buyer_id, f.item_id, f.year)].append(f.at)
            self.times[("by", f.buyer_id, f.year)].append(f.at)
        for times in self.times.values():
            times.sort()
        self.buyer_years, self.scales = buyer_years, scales

    def _window(self, key: tuple, facts: Facts, days: int) -> int:
        times = self.times[key]
        return bisect_right(times, facts.at) - bisect_right(times, facts.at - timedelta(days=days))

    def product_window(self, facts: Facts, days: int) -> int:
        return self._window(("p", facts.product_id, facts.district_id), facts, days)

    def buyer_window(self, facts: Facts, days: int) -> int:
        return self._window(("b", facts.buyer_id), facts, days)

    def district_window(self, facts: Facts, days: int) -> int:
        return self._window(("d", facts.district_id), facts, days)

    def buyer_item_year(self, facts: Facts) -> int:
        return bisect_right(self.times[("bi", facts.buyer_id, facts.item_id, facts.year)], facts.at)

    def buyer_units_year(self, facts: Facts) -> int:
        return bisect_right(self.times[("by", facts.buyer_id, facts.year)], facts.at)

    def years_of(self, facts: Facts) -> set[int]:
        return self.buyer_years.get(facts.buyer_id, set())

    def scale(self, facts: Facts) -> Decimal | None:
        return self.scales.get(facts.buyer_id)


# --- Measuring ------------------------------------------------------------------------------------------------


def _streak(years: set[int], year: int) -> int:
    n = 0
    while year - n in years:
        n += 1
    return n


def _unit_subsidy(facts: Facts, counts, days):
    return facts.amount, lambda: {"amount": f"{facts.amount:,.2f}"}


def _multi_unit(facts: Facts, counts, days):
    n = counts.buyer_item_year(facts)
    return n, lambda: {"count": n, "year": facts.year}


def _repeat_years(facts: Facts, counts, days):
    n = _streak(counts.years_of(facts), facts.year)
    return n, lambda: {"count": n, "year": facts.year}


def _scale(facts: Facts, counts, days):
    scale = counts.scale(facts)
    if scale is None:
        return None, None
    n = counts.buyer_units_year(facts)
    ratio = (Decimal(n) / scale).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return ratio, lambda: {"count": n, "scale": str(scale), "ratio": str(ratio), "year": facts.year}


def _window(name: str):
    def figure(facts: Facts, counts, days):
        days = days or 30
        n = getattr(counts, name)(facts, days)
        return n, lambda: {"count": n, "days": days}

    return figure


#: sign -> (facts, counts, period days) -> (the figure compared with the threshold, the figures shown with it)
FIGURES = {
    str(Sign.UNIT_SUBSIDY): _unit_subsidy,
    str(Sign.PRODUCT_VOLUME): _window("product_window"),
    str(Sign.MULTI_UNIT): _multi_unit,
    str(Sign.BURST_BUYER): _window("buyer_window"),
    str(Sign.BURST_DISTRICT): _window("district_window"),
    str(Sign.REPEAT_YEARS): _repeat_years,
    str(Sign.SCALE): _scale,
}


@dataclass(frozen=True)
class Hit:
    sign: str
    rule: WarningRule
    figures: dict

    @property
    def key(self) -> str:
        content = json.dumps([self.sign, self.figures], sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(content.encode()).hexdigest()

    @property
    def data(self) -> dict:
        return {**self.figures, "threshold": _plain(self.rule.threshold)}


def _plain(value: Decimal) -> str:
    return f"{value.normalize():,f}" if value == value.to_integral() else f"{value:,.2f}"


def measure(facts: Facts, counts, rules: Rules) -> list[Hit]:
    """The signs raised on one application: each whose figure is above its threshold. Every count is of the
    applications submitted up to this one, so the scan measures what the submission measured."""
    hits = []
    for sign, figure in FIGURES.items():
        rule = rules.row(sign, facts)
        if rule is None:
            continue
        value, figures = figure(facts, counts, rule.period_days)
        if value is not None and value > rule.threshold:
            hits.append(Hit(sign, rule, figures()))
    return hits


# --- Raising ----------------------------------------------------------------------------------------------------


def on_submission(application: Application) -> list[RiskWarning]:
    """The hook run in the submission's transaction (``applications.hooks``): measure and raise; never refuse."""
    if application.product_id is None:
        return []
    row = live_applications().filter(pk=application.pk).values_list(*FACT_FIELDS).first()
    if row is None:
        return []
    facts = facts_of([row])[0]
    raised = []
    for hit in measure(facts, DatabaseCounts(), Rules()):
        if RiskWarning.objects.filter(application_id=facts.id, sign=hit.sign, figures_key=hit.key).exists():
            continue
        warning = raise_warning(
            application=application, code=CODE_PREFIX + hit.sign, rule="R38", message=MESSAGES[hit.sign], data=hit.data
        )
        raised.append(
            RiskWarning.objects.create(
                application_id=facts.id,
                warning=warning,
                sign=hit.sign,
                rule=hit.rule,
                threshold=hit.rule.threshold,
                figures=hit.figures,
                figures_key=hit.key,
                source="submission",
            )
        )
    return raised


def scan(*, year: int | None = None) -> int:
    """The nightly scan over a subsidy year (default: this year's): how many warnings it raised."""
    year = year or timezone.localdate().year
    live = live_applications()
    facts = facts_of(live.filter(year=year).values_list(*FACT_FIELDS).order_by("id").iterator(chunk_size=5000))
    buyer_years: dict[int, set[int]] = defaultdict(set)
    for buyer_id, y in live.filter(year__lte=year).values_list("buyer_id", "year").distinct():
        buyer_years[buyer_id].add(y)
    scales = {s.buyer_id: standard_scale(s) for s in BuyerScale.objects.all()}
    counts, rules = MemoryCounts(facts, buyer_years, scales), Rules()
    seen = set(RiskWarning.objects.filter(application__year=year).values_list("application_id", "sign", "figures_key"))
    hits = [(f, hit) for f in facts for hit in measure(f, counts, rules) if (f.id, hit.sign, hit.key) not in seen]
    if not hits:
        return 0
    with transaction.atomic():
        warnings = raise_warnings_in_bulk(
            [(f.id, CODE_PREFIX + hit.sign, "R38", MESSAGES[hit.sign], hit.data) for f, hit in hits]
        )
        RiskWarning.objects.bulk_create(
            [
                RiskWarning(
                    application_id=f.id,
                    warning=warnings[(f.id, CODE_PREFIX + hit.sign)],
                    sign=hit.sign,
                    rule=hit.rule,
                    threshold=hit.rule.threshold,
                    figures=hit.figures,
                    figures_key=hit.key,
                    source="scan",
                )
                for f, hit in hits
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
    return len(hits)
