"""Public disclosures as JSON, no token (the same rows and masking as /public/): each district's beneficiaries of
the last three years (R42, from ``reports.public``) and the decided violation cases (R42, from ``audits.public``).
Names are masked as the pages mask them (张* for a person); never an ID, telephone or account number."""

from datetime import date
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from accounts.models import District
from audits.public import decided_violations
from reports.public import beneficiaries, first_year_shown, row_of

from .pagination import page
from .problems import Problem
from .schemas import PROBLEMS, Cursor, Limit, Money, money

router = Router(tags=["public"])

DistrictCode = Annotated[str, Field(max_length=6, description="a district's code, e.g. 110108")]


def _district(code: str) -> District | None:
    if not code:
        return None
    found = District.objects.filter(active=True, code=code).first()
    if found is None:
        raise Problem(404, _("No district has this code."))
    return found


class BeneficiaryOut(Schema):
    name: str = Field(description="masked: 张* for a person; an organisation by name")
    district: str
    town: str
    item: str
    manufacturer: str
    model: str
    quantity: int
    subsidy: Money
    paid_on: date


class BeneficiariesPage(Schema):
    first_year: int = Field(description="the oldest year still published (the last three years)")
    items: list[BeneficiaryOut]
    next_cursor: str | None


class BeneficiariesQuery(Schema):
    district: DistrictCode = ""
    year: Annotated[int | None, Field(ge=2000, le=2100)] = None
    q: Annotated[str, Field(max_length=64, description="part of an item's, manufacturer's, model's or town's name")] = (
        ""
    )
    cursor: Cursor = None
    limit: Limit = 50


@router.get(
    "/beneficiaries",
    response={200: BeneficiariesPage, **PROBLEMS},
    summary="Beneficiaries of the last three years (R42), newest payment first",
)
def beneficiary_list(request, filters: Query[BeneficiariesQuery]):
    rows = beneficiaries(district=_district(filters.district), query=filters.q, year=filters.year)
    found, next_cursor = page(rows, cursor=filters.cursor, limit=filters.limit)
    items = []
    for payment in found:
        row = row_of(payment)
        items.append(BeneficiaryOut(**{**row, "subsidy": money(row["subsidy"])}))
    return BeneficiariesPage(first_year=first_year_shown(), items=items, next_cursor=next_cursor)


class ViolationOut(Schema):
    number: str = Field(description="the decision's number")
    decided_on: date | None
    district: str
    kind: str = Field(description="the kind of violation, in the caller's language")
    item: str
    manufacturer: str
    model: str
    buyer: str = Field(description="masked: 张* for a person; an organisation by name")


class ViolationsPage(Schema):
    items: list[ViolationOut]
    next_cursor: str | None


class ViolationsQuery(Schema):
    district: DistrictCode = ""
    cursor: Cursor = None
    limit: Limit = 50


@router.get(
    "/violations", response={200: ViolationsPage, **PROBLEMS}, summary="Decided violation cases (R42), newest first"
)
def violation_list(request, filters: Query[ViolationsQuery]):
    rows = decided_violations()
    if (district := _district(filters.district)) is not None:
        rows = rows.filter(investigation__district=district)
    found, next_cursor = page(rows, cursor=filters.cursor, limit=filters.limit)
    items = []
    for case in found:
        app = case.investigation.application
        product = app.product
        items.append(
            ViolationOut(
                number=case.number,
                decided_on=case.decided_on,
                district=case.investigation.district.name,
                kind=str(case.get_kind_display()),
                item=product.item.name if product else "",
                manufacturer=product.manufacturer.name if product else "",
                model=product.model if product else "",
                buyer=app.buyer.public_name,
            )
        )
    return ViolationsPage(items=items, next_cursor=next_cursor)
