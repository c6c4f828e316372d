"""PDF rendering with WeasyPrint: A4, Chinese with the CJK fonts, page numbers and a footer with the checksum,
PDF/A-3b with the figures' XLSX attached inside so the document carries its own data (STACK-NOTES)."""

import io

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render(template: str, context: dict, *, attachment: bytes | None = None, attachment_name: str = "") -> bytes:
    """Render ``template`` to PDF/A-3b; ``attachment`` (an XLSX) is embedded as the document's data."""
    from weasyprint import HTML, Attachment  # imported when a PDF is made, not by every process that loads the urls

    context = {**context, "charts": [mark_safe(svg) for svg in context.get("charts", [])]}  # noqa: S308 - our SVG
    html = render_to_string(template, context)
    attachments = []
    if attachment is not None:
        attachments.append(
            Attachment(
                file_obj=io.BytesIO(attachment),
                name=attachment_name,
                description="figures",
                relationship="Data",
            )
        )
    return HTML(string=html).write_pdf(pdf_variant="pdf/a-3b", attachments=attachments)
