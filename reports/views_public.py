"""Public pages (/public/): each district's beneficiaries of the last three years (R42), masked, searchable,
paginated and as XLSX; and each district's funds and progress in brief (R25)."""

import io

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from accounts.models import District
from core.inputs import plain_int

from .public import EXPORT_LIMIT, beneficiaries, district_briefs, first_year_shown, row_of
from .xlsx import put

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ["name", "district", "town", "item", "manufacturer", "model", "quantity", "subsidy", "paid_on"]


def _filters(request):
    district = None
    if request.GET.get("district"):
        district = get_object_or_404(District, code=request.GET["district"], active=True)
    shown = range(first_year_shown(), timezone.localdate().year + 1)  # the years published (R42); others: all
    year = plain_int(request.GET.get("year"), digits=4)
    year = year if year in shown else None
    return district, (request.GET.get("q") or "")[:50], year


def beneficiary_list(request):
    district, query, year = _filters(request)
    rows = beneficiaries(district=district, query=query, year=year)
    if request.GET.get("format") == "xlsx":
        return _xlsx(rows[:EXPORT_LIMIT])
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    first = first_year_shown()
    context = {
        "workspace": "public",
        "page": page,
        "rows": [row_of(p) for p in page.object_list],
        "districts": District.objects.filter(active=True),
        "district": district,
        "query": query,
        "year": year,
        "years": list(range(timezone.localdate().year, first - 1, -1)),
        "first_year": first,
        "params": _params(request),
    }
    return render(request, "reports/public_beneficiaries.html", context)


def _params(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()


def _xlsx(rows) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Beneficiaries")
    headers = [_("Buyer"), _("District"), _("Town"), _("Item"), _("Manufacturer"), _("Model"), _("Quantity"),
               _("Subsidy (yuan)"), _("Paid on")]  # fmt: skip
    for column, header in enumerate(headers, start=1):
        put(sheet, 1, column, header)
    for r, payment in enumerate(rows.iterator(chunk_size=2000), start=2):
        values = row_of(payment)
        for column, key in enumerate(COLUMNS, start=1):
            put(sheet, r, column, values[key])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="beneficiaries.xlsx"'
    return response


def district_progress(request):
    year = timezone.localdate().year
    context = {"workspace": "public", "year": year, "rows": district_briefs(year=year)}
    return render(request, "reports/public_progress.html", context)
