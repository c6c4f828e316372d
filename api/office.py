"""Officials, with their personal token: the district's application queue (the filters of /office/), one
application with its events, deadlines and documents' metadata, the finance queue and the ledger balances.

Every read goes through the selectors the pages use, which start from accounts.scope: another district's
application is not found (404); a role that does not work in that area is refused (403), as on the pages.
Decisions stay on the pages, where the four-eyes and confirmation steps are. Personal numbers are masked.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Query, Router, Schema
from pydantic import Field

from accounts.scope import Workspace, ensure_may_enter
from applications import selectors as applications
from applications.workflow import OFFICE_LABELS, State
from payments import selectors as payments

from .pagination import page
from .schemas import AUTHED_PROBLEMS, Cursor, Limit, Money, money
from .tokens import OfficialToken

router = Router(tags=["officials"], auth=OfficialToken())

OfficeState = Literal[tuple(s.value for s in State if s != State.DRAFT)]  # type: ignore[valid-type]


class QueueRow(Schema):
    id: int
    number: str | None
    state: str
    state_label: str
    district: str
    town: str | None
    buyer: str
    item: str | None
    grade: str | None
    manufacturer: str | None
    model: str | None
    serial_number: str
    subsidy: Money | None
    submitted_at: datetime | None
    next_due: date | None
    open_warnings: int


class QueuePage(Schema):
    items: list[QueueRow]
    next_cursor: str | None


class QueueQuery(Schema):
    state: OfficeState | Literal["all"] | None = Field(None, description="one state, or all; open work if left out")
    item: int | None = None
    due: Literal["overdue", "soon"] | None = None
    q: Annotated[str, Field(max_length=64, description="buyer, serial or application number")] = ""
    warnings: bool = False
    district: int | None = Field(None, description="the municipal bureau only: one district")
    town: int | None = None
    cursor: Cursor = None
    limit: Limit = 50


def _row(app) -> QueueRow:
    product = app.product
    return QueueRow(
        id=app.pk,
        number=app.number,
        state=app.state,
        state_label=str(OFFICE_LABELS.get(app.state, app.state)),
        district=app.district.name,
        town=app.town.name if app.town else None,
        buyer=app.buyer.display_name or app.buyer.username,
        item=product.item.name if product else None,
        grade=product.grade.name if product else None,
        manufacturer=product.manufacturer.name if product else None,
        model=product.model if product else None,
        serial_number=app.serial_number,
        subsidy=money(app.total_amount),
        submitted_at=app.submitted_at,
        next_due=getattr(app, "next_due", None),
        open_warnings=getattr(app, "open_warnings", 0) or 0,
    )


@router.get("/office/applications", response={200: QueuePage, **AUTHED_PROBLEMS}, summary="The office's queue")
def office_queue(request, filters: Query[QueueQuery]):
    """Next due date first, as on /office/applications/; a district sees its own, the municipal bureau all."""
    ensure_may_enter(request.user, Workspace.OFFICE)
    queue = applications.office_queue(
        user=request.user,
        state=filters.state,
        item=filters.item,
        due=filters.due,
        q=filters.q,
        warnings=filters.warnings,
        district=filters.district,
        town=filters.town,
    )
    rows, next_cursor = page(applications.with_open_warnings(queue), cursor=filters.cursor, limit=filters.limit)
    return QueuePage(items=[_row(app) for app in rows], next_cursor=next_cursor)


class EventOut(Schema):
    at: datetime
    action: str
    from_state: str
    to_state: str
    actor: str | None
    reason: str


class DeadlineOut(Schema):
    step: str
    started_on: date
    working_days: int
    due_on: date | None
    met_at: datetime | None
    overdue_at: datetime | None


class DocumentOut(Schema):
    id: int
    kind: str
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime


class BuyerOut(Schema):
    name: str
    kind: str
    id_number: str = Field(description="masked")
    mobile: str = Field(description="masked")


class ApplicationOut(QueueRow):
    buyer_detail: BuyerOut
    purchase_date: date | None
    invoice_number: str
    invoice_price: Money | None
    amounts: dict[str, Money | None]
    events: list[EventOut]
    deadlines: list[DeadlineOut]
    documents: list[DocumentOut]


@router.get(
    "/office/applications/{application_id}",
    response={200: ApplicationOut, **AUTHED_PROBLEMS},
    summary="One application with its events, deadlines and documents' metadata",
)
def office_application(request, application_id: int):
    ensure_may_enter(request.user, Workspace.OFFICE)
    app = applications.application_for(user=request.user, pk=application_id)
    history = applications.timeline(application=app)
    buyer = app.buyer
    return ApplicationOut(
        **_row(app).model_dump(),
        buyer_detail=BuyerOut(
            name=buyer.display_name or buyer.username,
            kind=buyer.buyer_kind,
            id_number=buyer.id_number_masked,
            mobile=buyer.mobile_masked,
        ),
        purchase_date=app.purchase_date,
        invoice_number=app.invoice_number,
        invoice_price=money(app.invoice_price),
        amounts={
            "central": money(app.central_amount),
            "municipal": money(app.municipal_amount),
            "district": money(app.district_amount),
        },
        events=[
            EventOut(
                at=e.at,
                action=e.action,
                from_state=e.from_state,
                to_state=e.to_state,
                actor=str(e.actor) if e.actor else None,
                reason=e.reason,
            )
            for e in history["events"]
        ],
        deadlines=[
            DeadlineOut(
                step=d.step,
                started_on=d.started_on,
                working_days=d.working_days,
                due_on=d.due_on,
                met_at=d.met_at,
                overdue_at=d.overdue_at,
            )
            for d in history["deadlines"]
        ],
        documents=[
            DocumentOut(
                id=d.pk,
                kind=d.kind,
                file_name=d.original_name,
                content_type=d.content_type,
                size=d.size,
                uploaded_at=d.uploaded_at,
            )
            for d in applications.documents_of(app).order_by("uploaded_at", "pk")
        ],
    )


# --- Finance --------------------------------------------------------------------------------------------------


class PaymentRow(Schema):
    id: int
    number: str | None
    district: str
    buyer: str
    subsidy: Money | None
    pay_due: date | None
    was_deferred: bool
    ratio_alert: bool
    carried_from: int | None


class PaymentPage(Schema):
    items: list[PaymentRow]
    next_cursor: str | None


class PageQuery(Schema):
    cursor: Cursor = None
    limit: Limit = 50


@router.get("/finance/queue", response={200: PaymentPage, **AUTHED_PROBLEMS}, summary="The finance queue (R36)")
def finance_queue(request, filters: Query[PageQuery]):
    """Requested payments not yet in a batch, those that waited first, as on /finance/queue/."""
    ensure_may_enter(request.user, Workspace.FINANCE)
    rows, next_cursor = page(payments.payment_queue(user=request.user), cursor=filters.cursor, limit=filters.limit)
    return PaymentPage(
        items=[
            PaymentRow(
                id=app.pk,
                number=app.number,
                district=app.district.name,
                buyer=app.buyer.display_name or app.buyer.username,
                subsidy=money(app.total_amount),
                pay_due=app.pay_due,
                was_deferred=app.was_deferred,
                ratio_alert=app.ratio_alert,
                carried_from=app.carried_from,
            )
            for app in rows
        ],
        next_cursor=next_cursor,
    )


class BalanceOut(Schema):
    fund_id: int | None
    district: str
    year: int
    source: str
    received: Money
    reserved: Money
    paid: Money
    advanced: Money
    settled: Money
    recovered: Money
    available: Money


class BalancesQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


@router.get("/finance/balances", response={200: list[BalanceOut], **AUTHED_PROBLEMS}, summary="Ledger balances")
def finance_balances(request, filters: Query[BalancesQuery]):
    """Each fund's balance, summed from the append-only ledger (the district's own; the municipality's all)."""
    ensure_may_enter(request.user, Workspace.FINANCE)
    names = {fund.district_id: fund.district.name for fund in payments.funds_for(request.user)}
    return [
        BalanceOut(
            fund_id=b.fund_id,
            district=names.get(b.district_id, ""),
            year=b.year,
            source=b.source,
            **{
                field: money(getattr(b, field))
                for field in ("received", "reserved", "paid", "advanced", "settled", "recovered", "available")
            },
        )
        for b in payments.balances_for(request.user, year=filters.year)
    ]
