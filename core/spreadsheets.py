"""Spreadsheets written for others (XLSX and CSV): no cell ever becomes a formula.

openpyxl stores a string that starts with ``=`` as a formula, and a spreadsheet program runs a CSV cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as one (CSV injection). Every writer in the system goes
through this module:

- ``xlsx_append(sheet, values)`` appends a row whose strings are text cells (never formulas), marked with the quote
  prefix so a spreadsheet program keeps them text when the cell is edited; numbers, amounts and dates stay typed;
- ``csv_cell(value)`` neutralises one CSV cell as OWASP advises (a leading ``'``); a plain number such as ``-12.50``
  is left as it is;
- ``csv_bytes(rows)`` and ``xlsx_bytes(rows)`` write a whole table (CSV in UTF-8 with a BOM, so spreadsheet
  programs read Chinese).
"""

import csv
import io
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def csv_cell(value) -> str:
    """The cell as CSV text that no spreadsheet program reads as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([csv_cell(value) for value in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_append(sheet, values) -> None:
    """Append a row; every string is a text cell, whatever it starts with."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl set "f" for a string starting with "=": undo it
            if cell.value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True


def xlsx_bytes(rows, title: str = "sheet") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in rows:
        xlsx_append(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
