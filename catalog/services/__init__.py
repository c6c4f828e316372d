"""Changing the catalogue: each function is one business operation in one transaction, recorded as an event (R45).
By audience: ``amounts`` (grades, prices, amounts, ratio ceilings, limits), ``flags`` (flags with limits, innovation
listings, closure), ``filing`` (投档), ``imports`` (amount tables from XLSX); ``common`` (the bureau's role check).

Refusals raise ``CatalogueError`` with a translated message and the rule it enforces; a refused change leaves
nothing behind. Every name below is importable from ``catalog.services``.
"""

from .amounts import (
    check_amount,
    check_amount_period,
    check_new_period,
    create_grade,
    record_market_price,
    set_amount,
    set_limit,
    set_ratio_ceiling,
)
from .common import FALSE_FILING_KINDS, ensure_municipal, ensure_municipal_if_named, pct
from .filing import (
    accept_filing,
    add_certificate,
    create_filing,
    declared_grade_warning,
    filings_suspended,
    publish_filing,
    record_false_filing,
    record_violation,
    reject_filing,
    submit_filing,
)
from .flags import (
    GRADE_FLAGS,
    ITEM_FLAGS,
    check_innovation_room,
    check_key_limits,
    close_product,
    list_innovation_product,
    reopen_product,
    set_grade_flags,
    set_item_flags,
)
from .imports import ImportResult, import_amounts

__all__ = [
    "FALSE_FILING_KINDS",
    "GRADE_FLAGS",
    "ITEM_FLAGS",
    "ImportResult",
    "accept_filing",
    "add_certificate",
    "check_amount",
    "check_amount_period",
    "check_innovation_room",
    "check_key_limits",
    "check_new_period",
    "close_product",
    "create_filing",
    "create_grade",
    "declared_grade_warning",
    "ensure_municipal",
    "ensure_municipal_if_named",
    "import_amounts",
    "list_innovation_product",
    "pct",
    "publish_filing",
    "filings_suspended",
    "record_false_filing",
    "record_violation",
    "record_market_price",
    "reject_filing",
    "reopen_product",
    "set_amount",
    "set_grade_flags",
    "set_item_flags",
    "set_limit",
    "set_ratio_ceiling",
    "submit_filing",
]
