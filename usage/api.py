"""Monitoring platforms post work records (R20) to ``POST /api/v1/work-records``, with a machine-client token of
kind ``monitoring`` issued by the municipal bureau (``api.tokens``: stored hashed, revocable). Each record carries
the platform's own record number: a repeat is answered ``duplicate`` and changes nothing. Like every POST of the
API it carries an ``Idempotency-Key``, so a repeated request gets the first answer back."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field, model_validator

from api.clients import IDEMPOTENCY
from api.idempotency import run_once
from api.models import ClientKind
from api.schemas import POST_PROBLEMS
from api.tokens import ClientToken

from .services import Incoming, post_platform_records

router = Router(tags=["machine clients: monitoring platforms"], auth=ClientToken(ClientKind.MONITORING))

MAX_RECORDS = 1000
Measure = Annotated[Decimal, Field(max_digits=12, decimal_places=2)]
Degrees = Annotated[Decimal, Field(ge=-180, le=180, max_digits=9, decimal_places=5)]


class RecordIn(Schema):
    id: Annotated[str, Field(min_length=1, max_length=100, description="the platform's own record number")]
    terminal: Annotated[str, Field(max_length=64, description="the terminal's number (or give serial_number)")] = ""
    serial_number: Annotated[str, Field(max_length=64, description="the machine's factory serial number")] = ""
    started_at: datetime
    ended_at: datetime
    volume: Annotated[Measure, Field(ge=0, description="work done, in the pilot kind's unit (亩, hours…)")]
    latitude: Degrees
    longitude: Degrees
    quality: dict[Annotated[str, Field(max_length=60)], Measure] = Field(
        default_factory=dict, description="measured value of each quality measure, by its name (e.g. 耕深)"
    )

    @model_validator(mode="after")
    def _machine_named(self):
        if not self.terminal and not self.serial_number:
            raise ValueError(_("Name the machine: its terminal or its factory serial number."))
        return self


class BatchIn(Schema):
    records: Annotated[list[RecordIn], Field(min_length=1, max_length=MAX_RECORDS)]


class ResultOut(Schema):
    id: str
    result: Literal["accepted", "duplicate", "refused"]
    reason: str | None = None
    flags: list[str] = Field(default_factory=list, description="plausibility flags; a flagged record waits for a check")


class BatchOut(Schema):
    accepted: int
    duplicate: int
    refused: int
    results: list[ResultOut]


@router.post(
    "/work-records",
    response={200: BatchOut, **POST_PROBLEMS},
    openapi_extra=IDEMPOTENCY,
    summary="Post a batch of work records",
)
def post_work_records(request, batch: BatchIn):
    """R20: up to 1,000 records a request, each answered accepted (with any plausibility flags), duplicate (its
    record number was taken before) or refused with the reason (machine not found, sold on, or of another
    platform)."""
    incoming = [
        Incoming(
            external_id=r.id,
            terminal_id=r.terminal,
            serial_number=r.serial_number,
            started_at=r.started_at,
            ended_at=r.ended_at,
            volume=r.volume,
            latitude=r.latitude,
            longitude=r.longitude,
            quality=dict(r.quality),
        )
        for r in batch.records
    ]

    def operation():
        results = post_platform_records(platform=request.api_client, records=incoming)
        counts = {k: sum(1 for r in results if r["result"] == k) for k in ("accepted", "duplicate", "refused")}
        return BatchOut(**counts, results=[ResultOut(**r) for r in results]).model_dump(mode="json")

    return run_once(request, operation, status=200)
