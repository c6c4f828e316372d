"""Shapes shared by the API's endpoints: money as a decimal string exact to the fen, dates in ISO 8601, a page of a
cursor-paginated list, and the problem document (RFC 9457)."""

from typing import Annotated

from ninja import Schema
from pydantic import Field

from catalog.money import yuan

#: Money in yuan as a decimal string with exactly two decimals ("15300.00"): never a float.
Money = Annotated[str, Field(pattern=r"^-?\d+\.\d{2}$", examples=["15300.00"])]


def money(value) -> str | None:
    return None if value is None else str(yuan(value))


class FieldError(Schema):
    field: str
    message: str


class ProblemOut(Schema):
    """application/problem+json (RFC 9457), in the caller's language, with the rule enforced."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    rule: str | None = None
    errors: list[FieldError] | None = None


#: The answers every endpoint may give besides its own, all as problems.
PROBLEMS = {400: ProblemOut, 404: ProblemOut, 422: ProblemOut}
AUTHED_PROBLEMS = {**PROBLEMS, 401: ProblemOut, 403: ProblemOut, 429: ProblemOut}
POST_PROBLEMS = {**AUTHED_PROBLEMS, 409: ProblemOut, 413: ProblemOut}

Cursor = Annotated[str | None, Field(max_length=2000, description="next_cursor of the previous page")]
Limit = Annotated[int, Field(ge=1, le=200, description="rows per page (at most 200)")]
