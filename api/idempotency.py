"""Every POST carries an ``Idempotency-Key``: the first answer is kept, and a repeat of the same request gets it
back and changes nothing. The answer is stored in the same transaction as the change it reports, so a change
without its answer, or two changes for one key, cannot be committed."""

import hashlib
import json

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from applications.services import ApplicationError
from catalog.errors import CatalogueError

from .models import IdempotentRequest
from .problems import PROBLEM_JSON, Problem, problem

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"


def _key(request) -> str:
    key = (request.headers.get(HEADER) or "").strip()
    if not key:
        raise Problem(400, _("Send an Idempotency-Key header with every POST (any unique text up to 100 characters)."))
    if len(key) > 100:
        raise Problem(400, _("The Idempotency-Key is at most 100 characters."))
    return key


def _answer(record: IdempotentRequest, *, replayed: bool) -> HttpResponse:
    response = HttpResponse(
        json.dumps(record.response, ensure_ascii=False), status=record.status, content_type=record.content_type
    )
    if replayed:
        response[REPLAYED] = "true"
    return response


def _refusal(exc: Exception) -> HttpResponse:
    if isinstance(exc, (ApplicationError, CatalogueError)):
        return problem(422, exc.message, rule=exc.rule)
    if isinstance(exc, PermissionDenied):
        return problem(403, str(exc))
    return problem(404)


def run_once(request, operation, *, status: int = 201) -> HttpResponse:
    """Run ``operation()`` (which returns a JSON-ready dict) once per client and key."""
    client, key = request.api_client, _key(request)
    digest = hashlib.sha256(request.body).hexdigest()
    first = IdempotentRequest.objects.filter(client=client, key=key).first()
    if first is not None:
        if (first.method, first.path, first.body_sha256) != (request.method, request.path, digest):
            raise Problem(409, _("This Idempotency-Key was used for another request; use a new key."))
        return _answer(first, replayed=True)
    record = IdempotentRequest(client=client, key=key, method=request.method, path=request.path[:300])
    record.body_sha256 = digest
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record.response, record.status = operation(), status
            except (ApplicationError, CatalogueError, PermissionDenied, Http404) as exc:
                refused = _refusal(exc)  # the change rolled back; the refusal is the first answer
                record.response, record.status = json.loads(refused.content), refused.status_code
                record.content_type = PROBLEM_JSON
            record.save()
    except IntegrityError:
        # The same key at the same moment: the other request's answer won; this one changed nothing.
        return _answer(IdempotentRequest.objects.get(client=client, key=key), replayed=True)
    return _answer(record, replayed=False)
