"""The files exchanged with the treasury's centralised-payment system / 一卡通 platform (R36).

A ``Layout`` says which columns a payment file has and how a return file is read. The default layout below is the
one the system ships; a district whose bank takes another layout adds a ``Layout`` to ``LAYOUTS`` (its column titles,
their order, and the words its return file uses for paid and failed) and chooses it by name. Nothing else changes.

Payment file (one row per application; XLSX or CSV in UTF-8 with a BOM, so spreadsheet programs read Chinese)::

    批次号 batch | 申请编号 application | 收款人 payee | 账号 account (complete) | 开户行 bank |
    中央资金 central | 市级资金 municipal | 区级资金 district | 合计 total | 用途 purpose

Return file (the treasury's answer, one row per payment; XLSX or CSV)::

    批次号 batch | 申请编号 application | 金额 amount | 结果 status (成功/失败 or paid/failed) | 凭证号 voucher |
    失败原因 reason
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from catalog.money import yuan
from core.spreadsheets import csv_bytes, xlsx_bytes


@dataclass(frozen=True)
class Layout:
    name: str
    payment_columns: tuple[tuple[str, str], ...]  # (key, title)
    return_columns: dict[str, tuple[str, ...]]  # key -> titles accepted
    paid_words: tuple[str, ...] = ("成功", "paid", "success", "ok")
    failed_words: tuple[str, ...] = ("失败", "failed", "fail", "error")
    purpose: str = "农机购置与应用补贴"


DEFAULT = Layout(
    name="default",
    payment_columns=(
        ("batch", "批次号"),
        ("application", "申请编号"),
        ("payee", "收款人"),
        ("account", "账号"),
        ("bank", "开户行"),
        ("central", "中央资金"),
        ("municipal", "市级资金"),
        ("district", "区级资金"),
        ("total", "合计"),
        ("purpose", "用途"),
    ),
    return_columns={
        "batch": ("批次号", "batch"),
        "application": ("申请编号", "application"),
        "amount": ("金额", "amount", "合计"),
        "status": ("结果", "status"),
        "voucher": ("凭证号", "voucher"),
        "reason": ("失败原因", "reason"),
    },
)

LAYOUTS = {DEFAULT.name: DEFAULT}


def layout_named(name: str) -> Layout:
    return LAYOUTS.get(name or DEFAULT.name, DEFAULT)


def payment_rows(layout: Layout, batch, items) -> list[list[str]]:
    """The payment file's rows, header first. ``items`` are BatchItems with their applications."""
    rows = [[title for _, title in layout.payment_columns]]
    for item in items:
        app = item.application
        values = {
            "batch": batch.number,
            "application": app.number,
            "payee": app.payee_name,
            "account": app.account_number,  # complete in the file only; every export is recorded
            "bank": app.bank_name,
            "central": f"{item.central:.2f}",
            "municipal": f"{item.municipal:.2f}",
            "district": f"{item.district_amount:.2f}",
            "total": f"{item.total:.2f}",
            "purpose": layout.purpose,
        }
        rows.append([values[key] for key, _ in layout.payment_columns])
    return rows


def to_csv(rows: list[list[str]]) -> bytes:
    """No cell starts a formula: a payee name such as ``=HYPERLINK(...)`` stays text (core.spreadsheets)."""
    return csv_bytes(rows)


def to_xlsx(rows: list[list[str]], title: str = "payments") -> bytes:
    # Strings, written as text cells: an account number never becomes a number in scientific notation, and a
    # name never a formula.
    return xlsx_bytes(rows, title)


@dataclass
class ReturnRow:
    number: int
    batch: str = ""
    application: str = ""
    amount: Decimal | None = None
    status: str = ""  # "paid", "failed" or "" (unreadable)
    voucher: str = ""
    reason: str = ""
    raw: dict = field(default_factory=dict)


def _table(data: bytes, name: str) -> list[list[str]]:
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        return [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
    text = data.decode("utf-8-sig")
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def readable(data: bytes, name: str) -> bool:
    """Whether a return file can be read at all (a corrupt workbook or a CSV in another encoding cannot)."""
    try:
        _table(data, name)
    except Exception:  # openpyxl and zipfile raise many kinds; decoding raises UnicodeDecodeError
        return False
    return True


def read_return(layout: Layout, data: bytes, name: str) -> list[ReturnRow]:
    """Read a treasury return file into rows; a row that cannot be read has ``status`` empty."""
    table = [row for row in _table(data, name) if any(row)]
    if not table:
        return []
    header = [h.strip().lower() for h in table[0]]
    index = {}
    for key, titles in layout.return_columns.items():
        for title in titles:
            if title.lower() in header:
                index[key] = header.index(title.lower())
                break
    rows = []
    for n, cells in enumerate(table[1:], start=2):

        def cell(key, cells=cells):
            i = index.get(key)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        row = ReturnRow(
            number=n,
            batch=cell("batch"),
            application=cell("application"),
            voucher=cell("voucher"),
            reason=cell("reason"),
            raw={h: (cells[i] if i < len(cells) else "") for i, h in enumerate(table[0])},
        )
        try:
            row.amount = yuan(cell("amount")) if cell("amount") else None
        except InvalidOperation:
            row.amount = None
        status = cell("status").lower()
        if status in [w.lower() for w in layout.paid_words]:
            row.status = "paid"
        elif status in [w.lower() for w in layout.failed_words]:
            row.status = "failed"
        rows.append(row)
    return rows


def return_rows(layout: Layout, rows: list[dict]) -> list[list[str]]:
    """A return file as the treasury would write it, from dicts (for tests and the demo)."""
    keys = ["batch", "application", "amount", "status", "voucher", "reason"]
    out = [[layout.return_columns[k][0] for k in keys]]
    for row in rows:
        out.append([str(row.get(k, "")) for k in keys])
    return out
