"""Machine clients, with a client token issued by the municipal agriculture bureau, each bound to one
organisation: a manufacturer's or dealer's sales software posts its sales; a district finance's treasury
integration fetches an approved batch's export and posts the treasury's return file (the payments services the
finance pages call). Every POST carries an Idempotency-Key.

Monitoring platforms' work records (the application subsidy, R20) use the same client-token base, kind
``monitoring``; their endpoint lives with the records in ``usage/api.py``.
"""

import base64
import binascii
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field, field_validator

from catalog.sale import Sale
from catalog.sale_services import record_sale
from payments import selectors as payments
from payments import services as payment_services
from payments.models import BatchState

from .idempotency import HEADER, run_once
from .models import ClientKind
from .problems import Problem
from .schemas import POST_PROBLEMS, Money, money
from .tokens import ClientToken

sales = Router(tags=["machine clients: sales"], auth=ClientToken(ClientKind.SALES))
treasury = Router(tags=["machine clients: treasury"], auth=ClientToken(ClientKind.TREASURY))

IDEMPOTENCY = {
    "parameters": [
        {
            "name": HEADER,
            "in": "header",
            "required": True,
            "schema": {"type": "string", "minLength": 1, "maxLength": 100},
            "description": "any unique text; a repeat of the same request gets the first answer and changes nothing",
        }
    ]
}


# --- Sales -------------------------------------------------------------------------------------------------------


class SaleIn(Schema):
    product_id: int = Field(ge=1, le=2**31 - 1)
    serial_number: Annotated[str, Field(min_length=1, max_length=64)]
    invoice_number: Annotated[str, Field(min_length=1, max_length=40)]
    sold_on: date
    price: Money
    buyer_id_number: Annotated[str, Field(max_length=18)] = ""
    buyer_credit_code: Annotated[str, Field(max_length=18)] = ""
    buyer_mobile: Annotated[str, Field(min_length=11, max_length=11)]

    @field_validator("price")
    @classmethod
    def _price_fits(cls, value):
        if len(value.lstrip("-").split(".")[0]) > 10:
            raise ValueError(_("At most 10 digits before the decimal point."))
        return value


class SaleOut(Schema):
    id: int
    product_id: int
    serial_number: str
    invoice_number: str
    sold_on: date
    price: Money
    buyer_id_number: str = Field(description="masked")
    buyer_credit_code: str
    buyer_mobile: str = Field(description="masked")
    recorded_at: datetime


def _sale_out(sale: Sale) -> dict:
    return SaleOut(
        id=sale.pk,
        product_id=sale.product_id,
        serial_number=sale.serial_number,
        invoice_number=sale.invoice_number,
        sold_on=sale.sold_on,
        price=money(sale.price),
        buyer_id_number=sale.buyer_id_number_masked,
        buyer_credit_code=sale.buyer_credit_code,
        buyer_mobile=sale.buyer_mobile_masked,
        recorded_at=sale.recorded_at,
    ).model_dump(mode="json")


@sales.post("/sales", response={201: SaleOut, **POST_PROBLEMS}, openapi_extra=IDEMPOTENCY, summary="Report a sale")
def post_sale(request, sale: SaleIn):
    """R11, R26: a published product (a manufacturer's own), once per factory serial number; the buyer's numbers
    are stored encrypted and answered masked."""
    client = request.api_client
    return run_once(
        request,
        lambda: _sale_out(
            record_sale(
                seller=client.manufacturer or client.dealer,
                reported_by=client.name,
                product_id=sale.product_id,
                serial_number=sale.serial_number,
                invoice_number=sale.invoice_number,
                sold_on=sale.sold_on,
                price=Decimal(sale.price),
                buyer_mobile=sale.buyer_mobile,
                buyer_id_number=sale.buyer_id_number,
                buyer_credit_code=sale.buyer_credit_code,
            )
        ),
    )


@sales.get("/sales/{sale_id}", response={200: SaleOut, **POST_PROBLEMS}, summary="One sale this client reported")
def get_sale(request, sale_id: int):
    client = request.api_client
    seller = {"manufacturer": client.manufacturer} if client.manufacturer_id else {"dealer": client.dealer}
    sale = Sale.objects.filter(pk=sale_id, **seller).first()
    if sale is None:
        raise Http404
    return _sale_out(sale)


# --- Treasury -----------------------------------------------------------------------------------------------------


class BatchOut(Schema):
    id: int
    number: str
    state: str
    approved_at: datetime | None


@treasury.get("/treasury/batches", response={200: list[BatchOut], **POST_PROBLEMS}, summary="Approved batches")
def treasury_batches(request):
    """The district's batches a second officer approved (R36), newest first."""
    batches = payments.batches_for(request.user).filter(
        state__in=[BatchState.APPROVED, BatchState.EXPORTED, BatchState.CLOSED]
    )
    return [
        BatchOut(id=b.pk, number=b.number, state=b.state, approved_at=b.approved_at)
        for b in batches.order_by("-approved_at", "-pk")[:200]
    ]


class ExportQuery(Schema):
    file_format: Literal["csv", "xlsx"] = "csv"


EXPORT_DOC = {
    "responses": {
        "200": {
            "description": "the treasury's payment file (full account numbers; every export is recorded)",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}
                },
            },
        }
    }
}


@treasury.get(
    "/treasury/batches/{batch_id}/export",
    response={**POST_PROBLEMS},
    openapi_extra=EXPORT_DOC,
    summary="An approved batch's payment file",
)
def treasury_export(request, batch_id: int, filters: Query[ExportQuery]):
    batch = payments.batch_for(user=request.user, pk=batch_id)
    name, content, content_type = payment_services.export_batch(
        batch_id=batch.pk, officer=request.user, file_format=filters.file_format
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


class ReturnIn(Schema):
    file_name: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^/\\]+\.(csv|xlsx)$")]
    content_base64: Annotated[str, Field(min_length=1, description="the file, base64-encoded")]

    @field_validator("content_base64")
    @classmethod
    def _base64(cls, value):
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(_("This is not base64-encoded content.")) from None
        return value


#: What reading a file that is not a CSV or XLSX raises (payments.adapters reads it before anything is written).
UNREADABLE = (UnicodeDecodeError, zipfile.BadZipFile, KeyError, IndexError, ValueError, TypeError, OSError)


class ReturnOut(Schema):
    id: int
    batch: str
    file_name: str
    paid: int
    failed: int
    exceptions: int


@treasury.post(
    "/treasury/batches/{batch_id}/return",
    response={201: ReturnOut, **POST_PROBLEMS},
    openapi_extra=IDEMPOTENCY,
    summary="Post the treasury's return file",
)
def treasury_return(request, batch_id: int, returned: ReturnIn):
    """Paid rows pay, failed rows go back to the queue, the rest are reconciliation exceptions (R36): the same
    service as the finance page's import."""
    batch = payments.batch_for(user=request.user, pk=batch_id)

    def operation():
        try:
            record = payment_services.import_return(
                batch_id=batch.pk,
                officer=request.user,
                data=base64.b64decode(returned.content_base64),
                file_name=returned.file_name,
            )
        except UNREADABLE as exc:
            raise Problem(
                422, _("The file cannot be read: send the treasury's CSV (UTF-8) or XLSX."), rule="R36"
            ) from exc
        return ReturnOut(
            id=record.pk,
            batch=batch.number,
            file_name=record.file_name,
            paid=record.paid,
            failed=record.failed,
            exceptions=record.exceptions,
        ).model_dump()

    return run_once(request, operation)
