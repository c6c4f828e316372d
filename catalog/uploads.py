"""Uploaded files (certificates, application documents): checked by their content, never by their name or the
browser's word, and checked completely before anything is stored.

- An image's size in pixels is read from its header and refused above ``MAX_IMAGE_PIXELS`` (a phone photo has
  12 to 50 million) before a single pixel is decoded: a small file of 12,000 x 12,000 pixels would take seconds
  and gigabytes of a web worker. Then the image is decoded in full, so a truncated JPEG or a corrupt PNG is
  refused here, not after the original was saved.
- A PDF must parse, have at least one page, and carry no JavaScript, no automatic action and no embedded file.
"""

import io
import warnings
from contextlib import contextmanager

from django.utils.translation import gettext as _
from PIL import Image, ImageFile

from .errors import CatalogueError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 50_000_000  # about 8,660 x 5,770: more than any phone camera; 8 bytes a pixel at most 400 MB
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS  # Pillow's own guard, everywhere it opens an image (twice this: an error)

SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
]

EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}
PDF_ACTIVE = ("/JavaScript", "/JS", "/EmbeddedFiles", "/EmbeddedFile", "/Launch", "/OpenAction", "/AA", "/RichMedia")


def sniff(head: bytes) -> str | None:
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def image_too_large(width: int, height: int) -> bool:
    return width * height > MAX_IMAGE_PIXELS


@contextmanager
def _truncated_images_refused():
    """WeasyPrint, once imported (the reports' PDFs), tells Pillow to pad truncated images instead of failing; an
    upload is decoded with Pillow's own default, failing, and the setting is put back after (one request at a time
    per process: gunicorn's and Celery's workers are processes)."""
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def check_image(upload) -> None:
    """Refuse an image larger than the cap (from its header) or one that does not decode completely."""
    too_large = CatalogueError(
        _("The image has too many pixels (more than 50 million): take the photo again at a lower size."), rule="R26"
    )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # refused just below
            image = Image.open(upload)  # reads the header only
        with image, _truncated_images_refused():
            if image_too_large(*image.size):
                raise too_large
            image.load()  # every pixel: a truncated or corrupt file fails here
    except CatalogueError:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own guard, from the header too
        raise too_large from exc
    except Exception as exc:  # Pillow raises many kinds for a broken image (OSError, SyntaxError, ValueError...)
        raise CatalogueError(_("The image file is damaged."), rule="R26") from exc
    finally:
        upload.seek(0)


def _pdf_objects(reader):
    """Every object of the document, resolved, those inside object streams too."""
    from pypdf.generic import IndirectObject

    numbers = [(number, generation) for generation, entries in reader.xref.items() for number in entries]
    numbers += [(number, 0) for number in reader.xref_objStm]
    for number, generation in numbers:
        obj = reader.get_object(IndirectObject(number, generation, reader))
        if obj is not None:
            yield obj


def _active_content(reader) -> bool:
    """JavaScript, an automatic action, a launch or an embedded file anywhere in the document."""
    from pypdf.generic import DictionaryObject

    for obj in _pdf_objects(reader):
        if isinstance(obj, DictionaryObject) and any(key in obj for key in PDF_ACTIVE):
            return True
        if isinstance(obj, DictionaryObject) and obj.get("/S") in ("/JavaScript", "/Launch"):
            return True
    return False


def check_pdf(upload) -> None:
    from pypdf import PdfReader

    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = len(reader.pages)
        active = _active_content(reader)
    except Exception as exc:  # pypdf raises many kinds for a broken file
        raise CatalogueError(_("The PDF file is damaged."), rule="R26") from exc
    if pages == 0:
        raise CatalogueError(_("The PDF file has no pages."), rule="R26")
    if active:
        raise CatalogueError(_("The PDF file carries scripts or embedded files: print it to a plain PDF."), rule="R26")


def check_upload(upload) -> str:
    """The content type of an acceptable upload (JPEG, PNG or PDF, at most 10 MB); refused otherwise."""
    if upload is None:
        raise CatalogueError(_("Choose a file to upload."), rule="R26")
    if upload.size > MAX_UPLOAD_BYTES:
        raise CatalogueError(_("The file is larger than 10 MB."), rule="R26")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise CatalogueError(_("The file is not a JPEG, PNG or PDF."), rule="R26")
    if content_type.startswith("image/"):
        check_image(upload)
    else:
        check_pdf(upload)
    # The stored name is chosen by the system; only the extension follows the content.
    upload.name = f"upload{EXTENSIONS[content_type]}"
    return content_type
