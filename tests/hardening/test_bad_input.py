"""The inputs the outside tester found answering 500 (issue 14, part 3), each answered now with a message or a
400 and nothing changed: a NUL byte in a search, non-numeric ids in batch forms, a return file that is not UTF-8
or not a workbook, an over-long reason to see personal numbers (R36, R45)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import PersonalDataAccess
from payments import services as payments
from payments.models import PaymentBatch, ReturnImport

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "who, url",
    [
        (None, "/public/catalogue/?q=%00"),
        (None, "/public/notices/?district=1%00"),
        ("officer", "/accounts/buyers/?page=%E5%BC%A0%00"),
        ("maker", "/filing/products/?q=a%00"),
        ("officer", "/office/applications/?q=%00"),
    ],
)
def test_a_nul_byte_in_a_search_is_a_400_not_a_500_R45(client, cast, who, url):
    if who:
        client.force_login(cast[who])
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_byte_in_a_form_is_a_400_and_nothing_is_saved_R45(login, cast):
    from applications import services

    draft = services.start_application(buyer=cast["buyer"], district=cast["buyer"].district)
    response = login(cast["buyer"]).post(
        reverse("apply:account", args=[draft.pk]),
        {"payee_name": "张三", "bank_name": "农商\x00银行", "account_number": "6228480010012345678"},
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.bank_name == ""


@pytest.mark.parametrize("ids", [["x"], ["²"], ["1e3", ""], ["99999999999999999999999"]])
def test_batch_forms_with_ids_that_are_not_numbers_refuse_without_a_500_R36(login, cast, haidian, fund, ids):
    fund(haidian)
    client = login(cast["finance"])
    client.raise_request_exception = False
    response = client.post(reverse("payments:build_batch"), {"ids": ids})
    assert response.status_code == 302 and PaymentBatch.objects.count() == 0
    client = login(cast["officer"])
    client.raise_request_exception = False
    assert client.post(reverse("office:batch_accept"), {"ids": ids}).status_code == 200


@pytest.mark.parametrize(
    "name, content",
    [
        ("return.csv", "批次号,申请编号\n甲,乙\n".encode("gb18030")),
        ("return.xlsx", b"PK\x03\x04 not a workbook at all"),
        ("return.csv", b"\xff\xfe\x00\x00garbage"),
    ],
)
def test_a_return_file_that_cannot_be_read_is_refused_with_a_message_R36(
    login, cast, haidian, fund, requested, second_finance, name, content
):
    fund(haidian)
    batch = payments.build_batch(officer=cast["finance"], application_ids=[requested().pk])
    payments.approve_batch(batch_id=batch.pk, officer=second_finance)
    payments.export_batch(batch_id=batch.pk, officer=cast["finance"], file_format="csv")
    client = login(cast["finance"])
    response = client.post(
        reverse("payments:import_return", args=[batch.pk]), {"file": SimpleUploadedFile(name, content)}, follow=True
    )
    assert response.status_code == 200
    assert "不是可读取的 XLSX 工作簿或 UTF-8 编码的 CSV 文件" in response.content.decode()
    assert ReturnImport.objects.count() == 0


def test_an_over_long_reason_to_see_personal_numbers_is_refused_with_a_message_R45(login, cast):
    client = login(cast["officer"])
    url = reverse("accounts:buyer_reveal", args=[cast["buyer"].pk])
    response = client.post(url, {"purpose": "核验" * 150}, follow=True)
    assert response.status_code == 200
    assert "200" in response.content.decode()
    assert PersonalDataAccess.objects.count() == 0
    client.post(url, {"purpose": "核验购机者身份"})
    assert PersonalDataAccess.objects.filter(purpose="核验购机者身份").exists()


@pytest.mark.django_db
def test_a_number_in_the_address_that_no_column_holds_is_ignored_never_a_500(login, cast):
    """"²" passes str.isdigit() but not int(), and 20 digits overflow PostgreSQL's integers (R45: bad input is
    answered, never a failure): the ledger's and the annual summaries' year, the beneficiaries' year."""
    for value in ("²", "99999999999999999999", "١٢"):
        assert login(cast["city_finance"]).get("/finance/ledger/", {"year": value}).status_code == 200, value
        assert login(cast["city"]).get("/office/summaries/", {"year": value}).status_code == 200, value
        assert login(cast["buyer"]).get("/public/beneficiaries/", {"year": value}).status_code == 200, value
