"""Uploaded certificate files: checked by their content, never by their name or the browser's word."""

from django.utils.translation import gettext as _

from .errors import CatalogueError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
]

EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}


def sniff(head: bytes) -> str | None:
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


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
        from PIL import Image

        try:
            with Image.open(upload) as image:
                image.verify()
        except Exception as exc:  # Pillow raises many kinds for a broken image
            raise CatalogueError(_("The image file is damaged."), rule="R26") from exc
        finally:
            upload.seek(0)
    # The stored name is chosen by the system; only the extension follows the content.
    upload.name = f"upload{EXTENSIONS[content_type]}"
    return content_type
