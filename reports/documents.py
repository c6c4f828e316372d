"""The monthly report's files: the XLSX of its figures and the PDF that carries it, both in Chinese."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import charts, pdf, xlsx
from .tables import tables


def title_of(report) -> str:
    return _("%(scope)s monthly compliance report, %(year)s-%(month)02d") % {
        "scope": report.scope_name,
        "year": report.year,
        "month": report.month,
    }


def _cover(report) -> list[tuple[str, str]]:
    return [
        (_("Report"), title_of(report)),
        (_("District"), report.scope_name),
        (_("Month"), f"{report.year}-{report.month:02d}"),
        (_("Version"), str(report.version)),
        (_("Generated at"), timezone.localtime(report.generated_at).strftime("%Y-%m-%d %H:%M")),
        (_("Figures checksum"), f"SHA-256 {report.figures_sha256}"),
        (_("Why corrected"), report.correction_reason or "—"),
    ]


def render_files(report) -> tuple[bytes, bytes]:
    """(xlsx, pdf) of an unsaved report whose figures and figures checksum are set."""
    with translation.override("zh-hans"):
        layout = tables(report.figures)
        workbook = xlsx.workbook(layout, _cover(report))
        title = title_of(report)
        context = {
            "title": title,
            "report": report,
            "figures": report.figures,
            "tables": layout,
            "charts": charts.charts(report.figures),
            "generated_at": timezone.localtime(report.generated_at).strftime("%Y-%m-%d %H:%M"),
            "footer": f"{title} · v{report.version} · SHA-256 {report.figures_sha256}",
            "empty": _("None"),
        }
        document = pdf.render(
            "reports/monthly_pdf.html", context, attachment=workbook, attachment_name=f"{report.file_stem}.xlsx"
        )
    return workbook, document
