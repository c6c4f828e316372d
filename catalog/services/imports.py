"""Amount tables from XLSX: many amounts at once, each checked as ``set_amount`` checks one."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import CatalogueError
from ..events import lock_trail
from .amounts import record_market_price, set_amount
from .common import ensure_municipal


@dataclass
class ImportResult:
    imported: list = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_amounts(*, rows, by, valid_from: date) -> ImportResult:
    """Import an amount table: every row is checked, and nothing is kept unless every row is good."""
    from ..tables import resolve_amount_row

    ensure_municipal(by)
    result = ImportResult()
    with transaction.atomic():
        lock_trail()
        for line, row in rows:
            sid = transaction.savepoint()
            try:
                values = resolve_amount_row(row, valid_from=valid_from)
                price = record_market_price(
                    grade=values["grade"],
                    year=values["year"],
                    average_price=values["average_price"],
                    source=values["price_source"],
                    assessments=values["assessments"],
                    by=by,
                )
                for fund, amount in values["amounts"].items():
                    result.imported.append(
                        set_amount(
                            grade=values["grade"],
                            fund_source=fund,
                            amount=amount,
                            ratio=values["ratios"][fund],
                            market_price=price,
                            valid_from=values["valid_from"],
                            by=by,
                            reason=_("Imported amount table"),
                        )
                    )
                transaction.savepoint_commit(sid)
            except CatalogueError as exc:
                transaction.savepoint_rollback(sid)
                result.errors.append((line, str(exc)))
        if result.errors:
            transaction.set_rollback(True)
            result.imported = []
    return result
