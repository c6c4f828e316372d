"""Generating the monthly compliance report (write operations; one transaction each).

A report is generated once per scope (a district, or the city) and month; generating again is a no-op, so the beat
task may run daily and twice at once. A correction recomputes the figures, and is refused when nothing changed;
it is a new version naming the figures that changed and why. Nothing is ever updated or deleted.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import District

from . import figures as fig
from .documents import render_files
from .errors import ReportError
from .models import MonthlyReport
from .notify import report_ready
from .periods import Month


def _latest(district, month: Month) -> MonthlyReport | None:
    return (
        MonthlyReport.objects.filter(district=district, year=month.year, month=month.month).order_by("-version").first()
    )


def _build(*, district, month: Month, by, version: int, supersedes=None, reason="", changed=None) -> MonthlyReport:
    figures = fig.compute(month=month, district=district)
    report = MonthlyReport(
        district=district,
        year=month.year,
        month=month.month,
        version=version,
        figures=figures,
        figures_sha256=fig.checksum(fig.canonical(figures)),
        generated_by=by if by is not None and getattr(by, "is_authenticated", False) else None,
        generated_at=timezone.now(),
        supersedes=supersedes,
        correction_reason=reason,
        changed_figures=changed or [],
    )
    if supersedes is not None:
        report.changed_figures = fig.changed_figures(supersedes.figures, figures)
        if not report.changed_figures:
            raise ReportError(_("No figure has changed since version %(v)s: nothing to correct.") % {
                "v": supersedes.version
            })  # fmt: skip
    report.xlsx, report.pdf = render_files(report)
    report.xlsx_sha256 = fig.checksum(report.xlsx)
    report.pdf_sha256 = fig.checksum(report.pdf)
    return report


def _ensure_past(month: Month) -> None:
    if not month.is_past():
        raise ReportError(_("A report is generated for a month that has ended."), rule="R40")


def generate_report(*, month: Month, district: District | None = None, by=None) -> tuple[MonthlyReport, bool]:
    """The month's report of ``district`` (None: the city), generated now unless it exists. Returns (report,
    created)."""
    _ensure_past(month)
    existing = _latest(district, month)
    if existing is not None:
        return existing, False
    report = _build(district=district, month=month, by=by, version=1)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # generated at the same moment by another worker: theirs stands
        return _latest(district, month), False
    transaction.on_commit(lambda: report_ready(report_id=report.pk))
    return report, True


def correct_report(*, report_id: int, by, reason: str) -> MonthlyReport:
    """A new version of the report with its figures recomputed, naming the figures that changed and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ReportError(_("Say why the report is corrected."), rule="R45")
    old = MonthlyReport.objects.select_related("district").get(pk=report_id)
    latest = _latest(old.district, Month(old.year, old.month))
    if latest.pk != old.pk:
        raise ReportError(_("Only the latest version can be corrected; version %(v)s is the latest.") % {
            "v": latest.version
        })  # fmt: skip
    report = _build(
        district=old.district, month=Month(old.year, old.month), by=by, version=old.version + 1, supersedes=old,
        reason=reason,
    )  # fmt: skip
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        raise ReportError(_("Another correction of this report was saved at the same moment.")) from exc
    transaction.on_commit(lambda: report_ready(report_id=report.pk))
    return report


def generate_month(*, month: Month, by=None) -> list[MonthlyReport]:
    """The city's report and every active district's, for ``month``; the ones that exist are left as they are.
    Returns the reports created now."""
    created = []
    for district in [None, *District.objects.filter(active=True)]:
        report, new = generate_report(month=month, district=district, by=by)
        if new:
            created.append(report)
    return created
