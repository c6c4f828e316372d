"""Public data, no token (the same data and masking as /public/): the catalogue tree with its items and grades, the
amounts in force on a day, the public notices, and the working-day calendar's due dates.

Beneficiary lists and violation results are in ``disclosures``.
"""

from datetime import date
from typing import Annotated, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Query, Router, Schema
from pydantic import Field

from accounts.models import District
from applications.selectors import public_notices
from catalog import selectors as catalog
from catalog.models import FundSource
from workdays.calendar import due_date
from workdays.forms import FIRST_YEAR, LAST_YEAR, MAX_WORKING_DAYS

from .pagination import page
from .problems import Problem
from .schemas import PROBLEMS, Cursor, Limit, Money, money

router = Router(tags=["public"])

Day = Annotated[date | None, Field(description="the day asked about (YYYY-MM-DD); today when left out")]
ScopeChoice = Literal["central", "municipal"]


def _day(on: date | None) -> date:
    on = on or timezone.localdate()
    if not FIRST_YEAR <= on.year <= LAST_YEAR:
        raise Problem(400, _("Enter a date from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR})
    return on


# --- The catalogue ------------------------------------------------------------------------------------------


class GradeOut(Schema):
    id: int
    name: str
    parameters: list[str]
    is_key: bool
    is_demo: bool


class ItemOut(Schema):
    id: int
    code: str
    name: str
    is_key: bool
    grades: list[GradeOut]


class SubcategoryOut(Schema):
    code: str
    name: str
    items: list[ItemOut]


class CategoryOut(Schema):
    scope: ScopeChoice
    code: str
    name: str
    subcategories: list[SubcategoryOut]


class CatalogueOut(Schema):
    on: date
    categories: list[CategoryOut]


class CatalogueQuery(Schema):
    on: Day = None
    scope: ScopeChoice | None = None


@router.get("/catalogue", response={200: CatalogueOut, **PROBLEMS}, summary="The catalogue tree in force on a day")
def catalogue(request, filters: Query[CatalogueQuery]):
    on = _day(filters.on)
    grades: dict[int, list[GradeOut]] = {}
    for grade in catalog.grades_in_force(on=on):
        grades.setdefault(grade.item_id, []).append(
            GradeOut(
                id=grade.pk,
                name=grade.name,
                parameters=[p.text for p in grade.parameters.all()],
                is_key=grade.is_key,
                is_demo=grade.is_demo,
            )
        )
    categories = [
        CategoryOut(
            scope=category.scope,
            code=category.code,
            name=category.name,
            subcategories=[
                SubcategoryOut(
                    code=sub.code,
                    name=sub.name,
                    items=[
                        ItemOut(id=i.pk, code=i.code, name=i.name, is_key=i.is_key, grades=grades.get(i.pk, []))
                        for i in sub.items.all()
                    ],
                )
                for sub in category.subcategories.all()
            ],
        )
        for category in catalog.catalogue_tree(on=on, scope=filters.scope)
    ]
    return CatalogueOut(on=on, categories=categories)


class AmountOut(Schema):
    fund_source: Literal["central", "municipal", "district"]
    amount: Money
    ratio: str
    valid_from: date


class GradeAmountsOut(Schema):
    grade_id: int
    grade: str
    item_code: str
    item: str
    scope: ScopeChoice
    amounts: list[AmountOut]
    is_demo: bool


class AmountsPage(Schema):
    on: date
    items: list[GradeAmountsOut]
    next_cursor: str | None


class AmountsQuery(Schema):
    on: Day = None
    scope: ScopeChoice | None = None
    q: Annotated[str, Field(max_length=64, description="an item's code or part of its name")] = ""
    cursor: Cursor = None
    limit: Limit = 50


@router.get("/amounts", response={200: AmountsPage, **PROBLEMS}, summary="The amounts in force on a day (?on=)")
def amounts(request, filters: Query[AmountsQuery]):
    on = _day(filters.on)
    items = None
    if filters.q or filters.scope:
        items = catalog.search_items(on=on, query=filters.q, scope=filters.scope)
    grades, next_cursor = page(catalog.grades_in_force(on=on, items=items), cursor=filters.cursor, limit=filters.limit)
    rows = catalog.amount_table(on=on, grades=grades)
    return AmountsPage(
        on=on,
        items=[
            GradeAmountsOut(
                grade_id=row.grade.pk,
                grade=row.grade.name,
                item_code=row.grade.item.code,
                item=row.grade.item.name,
                scope=row.grade.item.scope,
                amounts=[
                    AmountOut(fund_source=fund, amount=money(a.amount), ratio=str(a.ratio), valid_from=a.valid_from)
                    for fund in FundSource.values
                    if (a := row.amounts.get(fund)) is not None
                ],
                is_demo=row.is_demo,
            )
            for row in rows
        ],
        next_cursor=next_cursor,
    )


# --- Public notices (R34): names masked, never an ID, telephone or account number ------------------------------


class NoticeOut(Schema):
    id: int
    number: str
    district: str
    buyer: str = Field(description="masked: 张* for a person; an organisation by name")
    item: str
    grade: str
    subsidy: Money | None
    notice_start: date | None
    notice_end: date | None


class NoticesPage(Schema):
    items: list[NoticeOut]
    next_cursor: str | None


class NoticesQuery(Schema):
    district: Annotated[str, Field(max_length=6, description="a district's code, e.g. 110108")] = ""
    cursor: Cursor = None
    limit: Limit = 50


@router.get("/notices", response={200: NoticesPage, **PROBLEMS}, summary="Applications in public notice")
def notices(request, filters: Query[NoticesQuery]):
    district = None
    if filters.district:
        district = District.objects.filter(active=True, code=filters.district).first()
        if district is None:
            raise Problem(404, _("No district has this code."))
    rows, next_cursor = page(
        public_notices(district=district.pk if district else None), cursor=filters.cursor, limit=filters.limit
    )
    return NoticesPage(
        items=[
            NoticeOut(
                id=app.pk,
                number=app.number or "",
                district=app.district.name,
                buyer=app.buyer.public_name,
                item=app.product.item.name if app.product else "",
                grade=app.product.grade.name if app.product else "",
                subsidy=money(app.total_amount),
                notice_start=app.notice_start,
                notice_end=app.notice_end,
            )
            for app in rows
        ],
        next_cursor=next_cursor,
    )


# --- The working-day calendar --------------------------------------------------------------------------------


class DueOut(Schema):
    start: date
    working_days: int
    due: date
    unconfirmed_years: list[int]
    warnings: list[str]


class DueQuery(Schema):
    start: date
    days: Annotated[int, Field(ge=0, le=MAX_WORKING_DAYS)]


@router.get("/workdays/due", response={200: DueOut, **PROBLEMS}, summary="The due date N working days after a day")
def workdays_due(request, filters: Query[DueQuery]):
    """Day 0 is ``start``, as in ``manage.py workdays due``; a year whose calendar is not confirmed is warned of
    (only weekends were counted as days off there)."""
    result = due_date(_day(filters.start), filters.days)
    years = "、".join(str(y) for y in result.unconfirmed_years)
    warnings = []
    if result.unconfirmed_years:
        warnings.append(
            ngettext(
                "The working-day calendar for %(years)s is not confirmed: only weekends were counted as days off, "
                "so the date may change.",
                "The working-day calendars for %(years)s are not confirmed: only weekends were counted as days "
                "off, so the date may change.",
                len(result.unconfirmed_years),
            )
            % {"years": years}
        )
    return DueOut(
        start=result.start,
        working_days=result.working_days,
        due=result.date,
        unconfirmed_years=list(result.unconfirmed_years),
        warnings=warnings,
    )
