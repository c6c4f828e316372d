"""The versioned JSON API, /api/v1/: its OpenAPI document (/api/v1/openapi.json) is generated from the typed
endpoints, and its documentation page (/api/v1/docs) serves Swagger UI from the app's own static files ("ninja"
is in INSTALLED_APPS; nothing is loaded from a CDN)."""

from ninja import NinjaAPI, Swagger

from . import problems
from .clients import sales as sales_router
from .clients import treasury as treasury_router
from .disclosures import router as disclosures_router
from .office import router as office_router
from .public import router as public_router


def _monitoring_router():
    """The application subsidy's monitoring platforms (R20) live with their records in ``usage``."""
    from usage.api import router

    return router


DESCRIPTION = """The Beijing agricultural-machinery subsidy system as JSON.

* Errors are `application/problem+json` (RFC 9457) in the language of `Accept-Language` (Chinese by default),
  with `rule` (the rule enforced, R1–R45) and, for invalid input, `errors` (one message per field).
* Lists are paginated by cursor: pass `next_cursor` back as `cursor`; `null` means the last page.
* Dates are ISO 8601 (YYYY-MM-DD); money is a decimal string in yuan, exact to the fen ("15300.00").
* Officials send their personal token, machine clients their client token: `Authorization: Bearer sbt_…`.
  Each token may make a limited number of requests a minute (then 429 with `Retry-After`).
* Every POST carries an `Idempotency-Key` header: a repeat gets the first answer and changes nothing.
"""


class SubsidyAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """Stable operation ids (the endpoint's function name) that a client written from the document can use."""
        return operation.view_func.__name__


api = SubsidyAPI(
    title="北京市农机购置与应用补贴 API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url="/docs",
    # Swagger UI would show a badge fetched from validator.swagger.io: nothing at run time reaches the internet.
    docs=Swagger(settings={"validatorUrl": None}),
    openapi_url="/openapi.json",
)
problems.install(api)
api.add_router("/", public_router)
api.add_router("/", disclosures_router)
api.add_router("/", office_router)
api.add_router("/", sales_router)
api.add_router("/", treasury_router)
api.add_router("/", _monitoring_router())
