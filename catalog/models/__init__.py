"""The subsidy catalogue (机具种类范围, R6–R18), products and their filing (投档, R26) and closure (封闭, R27).

Everything that changes over time carries an effective period ``[valid_from, valid_to)``: ``valid_to`` is the
first day it no longer applies (empty: still open). "What applied on day D" is ``in_force(D)``, and rows that
were in force are never edited afterwards: a change is a new row (R7, R41).

By subject: ``catalogue`` (the tree, grades, prices, amounts, ratio ceilings, limits, innovation listings),
``trail`` (the chained events), ``products`` (manufacturers, dealers, credit, products, certificates, filings,
closures). Every name is importable from ``catalog.models``.
"""

from .catalogue import (
    MONEY,
    RATIO,
    SCOPE_SHORT,
    Amount,
    AmountInForce,
    CatalogueLimit,
    Category,
    FundSource,
    Grade,
    GradeParameter,
    InnovationKind,
    InnovationListing,
    Item,
    ItemKind,
    LimitKind,
    MarketPrice,
    ParameterKind,
    Period,
    PeriodQuerySet,
    PriceAssessment,
    PriceSource,
    QualificationKind,
    RatioCeiling,
    RatioClass,
    Scope,
    Subcategory,
    code_sort_key,
)
from .products import (
    CONVENTIONAL_CERTIFICATES,
    Certificate,
    CertificateKind,
    Closure,
    CreditKind,
    CreditRecord,
    Dealer,
    Filing,
    FilingState,
    Manufacturer,
    PrivateStorage,
    Product,
    certificate_path,
    private_storage,
)
from .search import SearchSynonym
from .trail import ACTION_LABELS, CatalogueEvent

__all__ = [
    "ACTION_LABELS",
    "Amount",
    "AmountInForce",
    "CONVENTIONAL_CERTIFICATES",
    "CatalogueEvent",
    "CatalogueLimit",
    "Category",
    "Certificate",
    "CertificateKind",
    "Closure",
    "CreditKind",
    "CreditRecord",
    "Dealer",
    "Filing",
    "FilingState",
    "FundSource",
    "Grade",
    "GradeParameter",
    "InnovationKind",
    "InnovationListing",
    "Item",
    "ItemKind",
    "LimitKind",
    "MONEY",
    "Manufacturer",
    "MarketPrice",
    "ParameterKind",
    "Period",
    "PeriodQuerySet",
    "PriceAssessment",
    "PriceSource",
    "PrivateStorage",
    "Product",
    "QualificationKind",
    "RATIO",
    "RatioCeiling",
    "SCOPE_SHORT",
    "SearchSynonym",
    "RatioClass",
    "Scope",
    "Subcategory",
    "certificate_path",
    "code_sort_key",
    "private_storage",
]

# Sales reported by manufacturers and dealers (issue 16), a module of their own beside the models.
from ..sale import Sale  # noqa: E402, F401
