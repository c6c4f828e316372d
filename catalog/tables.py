"""The amount table as a spreadsheet (XLSX): the public download and the municipal bureau's import (R14, R25)."""

import io
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from core.spreadsheets import xlsx_append

from .errors import CatalogueError
from .models import FundSource, Grade, PriceSource, Scope

FUNDS = [FundSource.CENTRAL, FundSource.MUNICIPAL, FundSource.DISTRICT]


def amount_columns() -> list[str]:
    return [
        _("Catalogue"),
        _("Item code"),
        _("Item"),
        _("Grade"),
        _("Key parameters"),
        _("Average market price of the previous year (yuan)"),
        _("Price source"),
        _("Third-party assessments (yuan, separated by /)"),
        _("Central amount (yuan)"),
        _("Central ratio"),
        _("Municipal amount (yuan)"),
        _("Municipal ratio"),
        _("District amount (yuan)"),
        _("District ratio"),
        _("Demo data"),
        _("In force from"),
    ]


AMOUNT_COLUMNS = amount_columns  # the header is translated when it is built


def amount_workbook(*, on: date, rows) -> bytes:
    """The amount table in force on ``on`` (amounts per grade, never per product, R14)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "amounts"
    xlsx_append(ws, amount_columns())
    for row in rows:
        grade = row.grade
        price = next((a.market_price for a in row.amounts.values()), None)
        cells = [
            grade.item.scope,
            grade.item.code,
            grade.item.name,
            grade.name,
            grade.parameters_text(),
            price.average_price if price else None,
            price.source if price else "",
            "",
        ]
        for fund in FUNDS:
            amount = row.amounts.get(fund)
            cells += [amount.amount if amount else None, amount.ratio if amount else None]
        starts = [a.valid_from for a in row.amounts.values()]
        cells += [_("yes") if row.is_demo else "", max(starts) if starts else None]
        xlsx_append(ws, cells)  # a grade's name or parameters never become a formula
    for column, width in zip(
        "ABCDEFGHIJKLMNOP", (10, 10, 24, 36, 48, 16, 14, 18, 12, 8, 12, 8, 12, 8, 8, 12), strict=True
    ):
        ws.column_dimensions[column].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read_amount_rows(upload) -> list[tuple[int, list]]:
    """(line number, cells) of every non-empty row after the header."""
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise CatalogueError(_("The file is not an XLSX workbook."), rule="R14") from exc
    ws = wb.worksheets[0]
    rows = []
    for line, cells in enumerate(ws.iter_rows(values_only=True), start=1):
        if line == 1:
            continue
        cells = list(cells) + [None] * (16 - len(cells))
        if all(c in (None, "") for c in cells[:14]):
            continue
        rows.append((line, cells))
    return rows


SCOPE_WORDS = {"central": Scope.CENTRAL, "中央": Scope.CENTRAL, "municipal": Scope.MUNICIPAL, "市级": Scope.MUNICIPAL}
SOURCE_WORDS = {
    **{v: v for v in PriceSource.values},
    "上年补贴数据": PriceSource.SUBSIDY_DATA,
    "市场调查": PriceSource.MARKET_SURVEY,
    "第三方评估": PriceSource.THIRD_PARTY,
}


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _number(value, what: str) -> Decimal:
    try:
        text = _text(value).replace(",", "").replace("¥", "")
        if text.endswith("%"):
            return Decimal(text[:-1]) / 100
        return Decimal(text)
    except InvalidOperation as exc:
        raise CatalogueError(
            _("%(what)s is not a number: “%(value)s”.") % {"what": what, "value": value}, rule="R14"
        ) from exc


def resolve_amount_row(cells: list, *, valid_from: date) -> dict:
    """One row of an amount table, resolved to its grade and checked for shape; the rules are checked by
    ``set_amount`` itself."""
    scope = SCOPE_WORDS.get(_text(cells[0]).lower()) or SCOPE_WORDS.get(_text(cells[0]))
    if scope is None:
        raise CatalogueError(_("Catalogue must be central or municipal."), rule="R6")
    code, item_name, grade_name = _text(cells[1]), _text(cells[2]), _text(cells[3])
    grades = list(
        Grade.objects.in_force(valid_from)
        .select_related("item")
        .filter(item__scope=scope, item__code=code, name=grade_name)
    )
    if not grades:
        raise CatalogueError(
            _("No grade “%(grade)s” of item %(code)s is in force on %(day)s.")
            % {"grade": grade_name, "code": code, "day": valid_from},
            rule="R6",
        )
    if len(grades) > 1:
        raise CatalogueError(_("More than one grade has this name."), rule="R6")
    grade = grades[0]
    if item_name and item_name != grade.item.name:
        raise CatalogueError(
            _("Item %(code)s is “%(name)s”, not “%(given)s”.")
            % {"code": code, "name": grade.item.name, "given": item_name},
            rule="R6",
        )
    source = SOURCE_WORDS.get(_text(cells[6]))
    if source is None:
        raise CatalogueError(_("Price source must be subsidy_data, market_survey or third_party."), rule="R14")
    assessments = [
        (f"{_('assessment')} {n}", _number(v, _("Assessment")))
        for n, v in enumerate((x for x in _text(cells[7]).split("/") if x.strip()), start=1)
    ]
    amounts, ratios = {}, {}
    for n, fund in enumerate(FUNDS):
        amount_cell, ratio_cell = cells[8 + 2 * n], cells[9 + 2 * n]
        if _text(amount_cell) == "":
            continue
        if _text(ratio_cell) == "":
            raise CatalogueError(
                _("%(fund)s: give the calculation ratio with the amount.") % {"fund": FundSource(fund).label},
                rule="R14",
            )
        amounts[fund] = _number(amount_cell, _("Amount"))
        ratios[fund] = _number(ratio_cell, _("Ratio"))
    if not amounts:
        raise CatalogueError(_("The row has no amount."), rule="R14")
    return {
        "grade": grade,
        "year": valid_from.year - 1,
        "average_price": _number(cells[5], _("Average market price")),
        "price_source": source,
        "assessments": assessments,
        "amounts": amounts,
        "ratios": ratios,
        "valid_from": valid_from,
    }
