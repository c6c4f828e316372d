"""Bad input answered as bad input, never as a server error (a 500).

- ``RejectNulMiddleware``: a NUL byte cannot be stored or searched in PostgreSQL (psycopg refuses it), and no
  person types one, so any request whose path, query parameters or form fields carry one is answered 400 at once,
  before a view or form sees it. One place for every search, filter and form.
- ``plain_int(value)``: one such number from a query string, or None.
- ``ids_from(values)``: the ids ticked in a batch form, keeping only plain numbers (``int("²")`` or ``int("x")``
  would raise).
"""

import json
import re

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

PLAIN_ID = re.compile(r"^[0-9]{1,18}$")


def plain_int(value, *, digits: int = 9) -> int | None:
    """A number typed in ASCII digits that any integer column holds (``"²".isdigit()`` is true, ``int("²")`` fails,
    and 20 digits overflow PostgreSQL's integers); None otherwise."""
    value = (value or "").strip() if isinstance(value, str) else ""
    return int(value) if PLAIN_ID.match(value) and len(value) <= digits else None


def ids_from(values) -> list[int]:
    return [int(value) for value in values if isinstance(value, str) and PLAIN_ID.match(value.strip())]


def _carries_nul(querydict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in querydict.lists())


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _carries_nul(request.GET):
            return self.refuse(request)
        machine = request.path.startswith(tuple(settings.PROBLEM_JSON_PATHS))  # its JSON bodies are its own to check
        if request.method == "POST" and not machine and _carries_nul(request.POST):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request):
        """As text on the pages; as an RFC 9457 problem where machines read the answers (``PROBLEM_JSON_PATHS``)."""
        detail = _("The request carries a character that text cannot hold (NUL). Retype it and try again.")
        if request.path.startswith(tuple(settings.PROBLEM_JSON_PATHS)):
            body = {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": str(detail)}
            return HttpResponseBadRequest(json.dumps(body, ensure_ascii=False), content_type="application/problem+json")
        return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")
