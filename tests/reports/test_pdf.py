"""The monthly report's PDF: Chinese text with the right figures (pdftotext), the Simplified Chinese font embedded
(pdffonts), PDF/A-3b with an output intent and the figures' XLSX embedded (pypdf)."""

import io
import subprocess

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import services
from reports.periods import Month
from tests.reports.scenario import build

OCTOBER = Month(2026, 10)


@pytest.fixture
def report(rows, haidian, changping, cast, tmp_path):
    build(rows, haidian, changping, cast)
    report, _ = services.generate_report(month=OCTOBER, district=haidian)
    path = tmp_path / "report.pdf"
    path.write_bytes(bytes(report.pdf))
    report.path = path
    return report


def _text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_pdftotext_shows_the_figures_in_chinese_R40(report):
    text = _text(report.path)
    assert "海淀区月度合规报告，2026-10" in text.replace(" ", "")
    assert "实施进度统计表" in text and "资金结算进度统计表" in text
    assert "1,000,000.00" in text  # central funds allocated
    assert report.figures_sha256[:16] in text.replace("\n", "")  # the footer's checksum
    assert "暂无数据" not in text and "抽查批次" in text  # the oversight sections are filled (R38)
    flow_line = next(line for line in text.splitlines() if line.strip().startswith("受理") and "2" in line)
    assert flow_line.split()[-2:] == ["2", "5"]  # accepted: 2 this month, 5 this year


def test_the_pdf_is_pdf_a_3b_with_the_xlsx_inside(report):
    reader = PdfReader(report.path)
    catalog = reader.trailer["/Root"]
    intents = catalog["/OutputIntents"]
    assert intents[0].get_object()["/S"] == "/GTS_PDFA1"
    metadata = catalog["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in metadata and 'pdfaid:conformance="B"' in metadata
    attachments = reader.attachments
    name = f"{report.file_stem}.xlsx"
    assert list(attachments) == [name]
    embedded = attachments[name][0]
    assert embedded == bytes(report.xlsx)
    assert "实施进度统计表" in load_workbook(io.BytesIO(embedded)).sheetnames
    assert len(reader.pages) >= 3


def test_the_simplified_chinese_font_is_embedded(report):
    fonts = subprocess.run(["pdffonts", str(report.path)], capture_output=True, check=True, text=True).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:] if line.strip()]
    assert any("Noto-Sans-CJK-SC" in name for name in names)
    assert not any("CJK-JP" in name for name in names)  # Japanese glyph shapes: a label fell back
    assert not any("Serif" in name for name in names)  # a text without the named font
