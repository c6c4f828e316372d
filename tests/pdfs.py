"""Real PDF files for upload tests, made with pypdf (an upload must parse and have pages, R26)."""

import io

from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def blank_pdf(*, pages: int = 1, javascript: str = "", attachment: bytes = b"") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if javascript:  # an action run when the document opens
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(javascript)}
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    if attachment:
        writer.add_attachment("data.txt", attachment)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
