"""Reports as the user may see them: a district's officials their district's, the municipal bureaus all (the
city's included). Anything else is simply not found (404)."""

from accounts.scope import get_or_404, scoped

from .models import MonthlyReport


def reports_for(user):
    """Reports without their file contents (read only on download), newest month first."""
    rows = MonthlyReport.objects.select_related("district", "generated_by").defer("pdf", "xlsx", "figures")
    return scoped(user, rows, district="district")


def report_for(user, pk: int) -> MonthlyReport:
    return get_or_404(scoped(user, MonthlyReport.objects.select_related("district", "generated_by")), pk=pk)


def versions_of(report: MonthlyReport):
    return (
        MonthlyReport.objects.filter(district=report.district, year=report.year, month=report.month)
        .defer("pdf", "xlsx", "figures")
        .order_by("version")
    )
