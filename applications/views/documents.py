"""A document's file, for everyone who may see the application: the buyer and the officials of its scope."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from catalog.uploads import sniff

from .. import selectors


@login_required
@require_GET
@xframe_options_sameorigin  # the office's viewer shows PDFs in place, in a frame of the same site
def document(request, pk):
    """A document's file (the resized copy of a photo by default, ``?original=1`` for the original), only
    through ``selectors.document_for``: outside the user's scope it does not exist (404). Officials use it too."""
    doc = selectors.document_for(user=request.user, pk=pk)
    original = request.GET.get("original") == "1" or not doc.resized
    stored = doc.original if original else doc.resized
    if not stored:
        raise Http404
    handle = stored.open("rb")
    head = handle.read(16)
    handle.seek(0)
    content_type = doc.content_type if original else (sniff(head) or doc.content_type)
    suffix = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}.get(content_type, "")
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="document-{doc.pk}{"" if original else "-small"}{suffix}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
