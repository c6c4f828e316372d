"""Errors in one format: ``application/problem+json`` (RFC 9457), in the caller's language (the locale middleware
reads Accept-Language; Chinese by default), with the rule a refusal enforces and, for invalid input, each field's
error.

    {"type": "about:blank", "title": "…", "status": 422, "detail": "…", "rule": "R11",
     "errors": [{"field": "body.price", "message": "…"}]}
"""

import json
from http import HTTPStatus

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, HttpError, ValidationError

from applications.services import ApplicationError
from catalog.errors import CatalogueError

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: gettext_lazy("The request is not valid."),
    401: gettext_lazy("A valid token is needed."),
    403: gettext_lazy("Your role may not do this."),
    404: gettext_lazy("Not found."),
    405: gettext_lazy("This method is not allowed here."),
    409: gettext_lazy("This conflicts with what is recorded."),
    413: gettext_lazy("The request body is too large."),
    422: gettext_lazy("The request could not be carried out."),
    429: gettext_lazy("Too many requests."),
}


class Problem(Exception):
    """Raised by the API's own code for a refusal that is neither a domain error nor a validation error."""

    def __init__(self, status: int, detail="", *, rule: str = "", headers: dict | None = None):
        super().__init__(str(detail))
        self.status, self.detail, self.rule, self.headers = status, detail, rule, headers or {}


def problem(status: int, detail="", *, rule: str = "", errors: list | None = None, headers=None) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": str(TITLES.get(status) or HTTPStatus(status).phrase),
        "status": status,
        "detail": str(detail or TITLES.get(status) or HTTPStatus(status).phrase),
    }
    if rule:
        body["rule"] = rule
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# --- Field errors, translated: pydantic's messages are English, so each error type has our message ---------------

FIELD_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "string_too_long": gettext_lazy("At most %(max_length)s characters."),
    "string_too_short": gettext_lazy("At least %(min_length)s characters."),
    "string_type": gettext_lazy("Enter text."),
    "string_pattern_mismatch": gettext_lazy("This value does not have the expected form."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "greater_than": gettext_lazy("Enter a number greater than %(gt)s."),
    "greater_than_equal": gettext_lazy("Enter a number of at least %(ge)s."),
    "less_than": gettext_lazy("Enter a number less than %(lt)s."),
    "less_than_equal": gettext_lazy("Enter a number of at most %(le)s."),
    "date_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_type": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "bool_type": gettext_lazy("Enter true or false."),
    "literal_error": gettext_lazy("Choose one of: %(expected)s."),
    "enum": gettext_lazy("Choose one of: %(expected)s."),
    "json_invalid": gettext_lazy("The body is not valid JSON."),
    "model_attributes_type": gettext_lazy("The body must be a JSON object."),
    "dict_type": gettext_lazy("The body must be a JSON object."),
    "list_type": gettext_lazy("Enter a list."),
}


def field_message(error: dict) -> str:
    ctx = error.get("ctx") or {}
    if error.get("type") == "value_error" and ctx.get("error"):
        return str(ctx["error"]).removeprefix("Value error, ")  # our own validators raise translated text
    template = FIELD_MESSAGES.get(error.get("type", ""))
    if template is None:
        return _("This value is not valid.")
    values = {key: str(value) for key, value in ctx.items()}
    if "expected" in values:  # pydantic writes "'a', 'b' or 'c'": no English word in a Chinese message
        values["expected"] = values["expected"].replace("' or '", "', '")
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return _("This value is not valid.")


def field_errors(errors: list[dict]) -> list[dict]:
    return [
        {"field": ".".join(str(part) for part in error.get("loc", ())), "message": field_message(error)}
        for error in errors
    ]


# --- Handlers the API registers -------------------------------------------------------------------------------


def install(api) -> None:
    """Every refusal the API can meet, as a problem."""

    def handle(exc_class, make):
        api.add_exception_handler(exc_class, lambda request, exc: make(exc))

    handle(ValidationError, lambda exc: problem(422, _("Some fields are not valid."), errors=field_errors(exc.errors)))
    handle(Http404, lambda exc: problem(404))
    handle(PermissionDenied, lambda exc: problem(403, str(exc) or TITLES[403]))
    handle(ApplicationError, lambda exc: problem(422, exc.message, rule=exc.rule))
    handle(CatalogueError, lambda exc: problem(422, exc.message, rule=exc.rule))
    handle(Problem, lambda exc: problem(exc.status, exc.detail, rule=exc.rule, headers=exc.headers))
    handle(RequestDataTooBig, lambda exc: problem(413))
    handle(
        AuthenticationError,
        lambda exc: problem(
            401, _("Give a valid, unexpired token: Authorization: Bearer …"), headers={"WWW-Authenticate": "Bearer"}
        ),
    )
    handle(HttpError, lambda exc: problem(exc.status_code))
