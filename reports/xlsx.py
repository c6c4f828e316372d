"""The report's figures as an XLSX workbook: a cover sheet, then one sheet per table; numbers as numbers, and no
cell ever a formula (text that looks like one is written as text)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .tables import Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def put(sheet, row: int, column: int, value) -> None:
    c = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        c.data_type = "s"  # never a formula, whatever the text starts with
    elif hasattr(value, "as_tuple"):  # Decimal money
        c.number_format = "#,##0.00"


def _sheet_name(title: str, used: set) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28]
    base, n = name, 2
    while name in used:
        name, n = f"{base[:26]}{n}", n + 1
    used.add(name)
    return name


def workbook(tables: list[Table], cover: list[tuple[str, str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Cover")
    for i, (label, value) in enumerate(cover, start=1):
        put(sheet, i, 1, label)
        put(sheet, i, 2, value)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 70
    used = {sheet.title}
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.title, used))
        for column, header in enumerate(table.headers, start=1):
            put(sheet, 1, column, header)
            sheet.cell(row=1, column=column).font = Font(bold=True)
            sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = 16
        for r, values in enumerate(table.rows, start=2):
            for column, value in enumerate(values, start=1):
                put(sheet, r, column, value)
        if table.note:
            put(sheet, len(table.rows) + 3, 1, table.note)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
