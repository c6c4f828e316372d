"""The numbers the catalogue obeys, as rows in force on a date (R8, R9, R15–R18).

Read them through ``rules_in_force(on=D)`` only; the defaults ship in a data migration and the municipal bureau
changes them in the admin by adding a row from a later date.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .errors import CatalogueError
from .models import CatalogueLimit, LimitKind, RatioCeiling, RatioClass


@dataclass(frozen=True)
class Ceiling:
    value: Decimal
    rule: str
    row_id: int
    ratio_class: str


@dataclass
class RuleSet:
    on: object
    ceilings: dict  # (fund_source, ratio_class) -> RatioCeiling
    limits: dict  # kind -> CatalogueLimit

    def ceiling(self, *, fund_source: str, ratio_class: str) -> Ceiling:
        """The ceiling for a fund source and class; a fund source without a row for the class uses its general one."""
        row = self.ceilings.get((fund_source, ratio_class)) or self.ceilings.get((fund_source, RatioClass.GENERAL))
        if row is None:
            raise CatalogueError(
                _("No ratio ceiling is in force for %(fund)s on %(day)s.") % {"fund": fund_source, "day": self.on},
                rule="R15",
            )
        return Ceiling(value=row.ceiling, rule=row.rule, row_id=row.pk, ratio_class=row.ratio_class)

    def limit(self, kind: str) -> Decimal | None:
        row = self.limits.get(kind)
        return row.value if row else None

    def limit_row(self, kind: str):
        return self.limits.get(kind)

    def as_snapshot(self) -> dict:
        return {
            "ceilings": {f"{f}/{c}": str(r.ceiling) for (f, c), r in sorted(self.ceilings.items())},
            "ceiling_ids": sorted(r.pk for r in self.ceilings.values()),
            "limits": {k: str(r.value) for k, r in sorted(self.limits.items())},
        }


def innovation_central_ceiling(*, year: int, central_funds: Decimal) -> Decimal:
    """R9: the most central money innovation products may use in ``year``: a share of the year's central funds,
    or a fixed sum where the year's central funds are below a threshold."""
    from datetime import date

    from .money import yuan

    rules = rules_in_force(on=date(year, 1, 1))
    threshold = rules.limit(LimitKind.INNOVATION_SMALL_BUDGET)
    if threshold is not None and central_funds < threshold:
        return yuan(rules.limit(LimitKind.INNOVATION_SMALL_BUDGET_CAP))
    return yuan(central_funds * rules.limit(LimitKind.INNOVATION_CENTRAL_SHARE))


def rules_in_force(*, on) -> RuleSet:
    """Every ratio ceiling and limit in force on ``on`` (where two overlap, the later start wins)."""
    ceilings = {}
    for row in RatioCeiling.objects.in_force(on).order_by("valid_from", "id"):
        ceilings[(row.fund_source, row.ratio_class)] = row
    limits = {}
    for row in CatalogueLimit.objects.in_force(on).order_by("valid_from", "id"):
        limits[row.kind] = row
    return RuleSet(on=on, ceilings=ceilings, limits=limits)


__all__ = ["Ceiling", "LimitKind", "RuleSet", "innovation_central_ceiling", "rules_in_force"]
