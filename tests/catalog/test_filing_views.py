"""Filing pages (R26): a manufacturer files and attaches certificates; the municipal bureau reviews and publishes.
Another manufacturer's filing is not found; other roles do not enter."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from catalog.models import CertificateKind, CreditRecord, Filing, FilingState, Manufacturer, Product
from catalog.selectors import products_open_for_application
from tests.conftest import make_user

from .conftest import grade

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, format="PNG")
    return buffer.getvalue()


PNG_1PX = _png()


@pytest.fixture
def rotary():
    return grade("1.1.2", "旋耕机 幅宽1.5—2m", "1.5m≤工作幅宽<2m")


def file_product(client, rotary, model="1GQN-180"):
    response = client.post(
        reverse("catalog:filing_new"),
        {"grade": rotary.pk, "name": "旋耕机", "model": model, "declared": "工作幅宽=1.8m"},
    )
    assert response.status_code == 302
    return Filing.objects.get(product__model=model)


def test_manufacturer_files_attaches_and_submits_R26(login, cast, maker_company, rotary):
    client = login(cast["maker"])
    filing = file_product(client, rotary)
    assert (filing.state, filing.manufacturer, filing.product.declared) == (
        FilingState.DRAFT,
        maker_company,
        {"工作幅宽": "1.8m"},
    )
    response = client.post(
        reverse("catalog:filing_add_certificate", args=[filing.pk]),
        {
            "kind": CertificateKind.TEST_APPRAISAL,
            "number": "DG2024-001",
            "valid_from": "2024-01-01",
            "valid_until": "2028-12-31",
            "file": SimpleUploadedFile("证书.png", PNG_1PX, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    cert = filing.product.certificates.get()
    assert (cert.number, cert.content_type, str(cert.valid_until)) == ("DG2024-001", "image/png", "2028-12-31")
    assert client.post(reverse("catalog:filing_submit", args=[filing.pk])).status_code == 302
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED
    file_response = client.get(reverse("catalog:certificate_file", args=[cert.pk]))
    assert (file_response.status_code, file_response["Content-Type"]) == (200, "image/png")
    assert b"".join(file_response.streaming_content) == PNG_1PX


def test_a_disguised_upload_is_refused_and_shown_R26(login, cast, maker_company, rotary):
    client = login(cast["maker"])
    filing = file_product(client, rotary)
    response = client.post(
        reverse("catalog:filing_add_certificate", args=[filing.pk]),
        {"kind": CertificateKind.TEST_APPRAISAL, "file": SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "not a JPEG, PNG or PDF" in response.content.decode()
    assert filing.product.certificates.count() == 0


def test_bureau_reviews_and_publishes_then_the_product_is_open_R26(login, cast, maker_company, rotary, client, today):
    maker = login(cast["maker"])
    filing = file_product(maker, rotary)
    maker.post(
        reverse("catalog:filing_add_certificate", args=[filing.pk]),
        {"kind": CertificateKind.COMPULSORY, "file": SimpleUploadedFile("c.png", PNG_1PX)},
    )
    maker.post(reverse("catalog:filing_submit", args=[filing.pk]))
    bureau = login(cast["city"])
    queue = bureau.get(reverse("catalog:filing_list")).content.decode()
    assert f"#{filing.pk}" in queue
    bureau.post(reverse("catalog:filing_review", args=[filing.pk]), {"action": "accept"})
    assert list(products_open_for_application(on=today)) == []
    bureau.post(reverse("catalog:filing_review", args=[filing.pk]), {"action": "publish"})
    filing.refresh_from_db()
    assert filing.state == FilingState.PUBLISHED
    assert list(products_open_for_application(on=today)) == [filing.product]


def test_bureau_rejects_a_false_filing_onto_the_credit_record_R26_R43(login, cast, maker_company, rotary):
    maker = login(cast["maker"])
    filing = file_product(maker, rotary)
    maker.post(
        reverse("catalog:filing_add_certificate", args=[filing.pk]),
        {"kind": CertificateKind.COMPULSORY, "file": SimpleUploadedFile("c.png", PNG_1PX)},
    )
    maker.post(reverse("catalog:filing_submit", args=[filing.pk]))
    bureau = login(cast["city"])
    bureau.post(reverse("catalog:filing_review", args=[filing.pk]), {"action": "reject", "reason": ""})
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED
    bureau.post(
        reverse("catalog:filing_review", args=[filing.pk]),
        {"action": "reject", "reason": "实为1.2m幅宽,低档高投", "false_filing": "false_lower_grade"},
    )
    filing.refresh_from_db()
    assert (filing.state, filing.reason) == (FilingState.REJECTED, "实为1.2m幅宽,低档高投")
    record = CreditRecord.objects.get()
    assert (record.manufacturer, record.kind, record.repeated) == (maker_company, "false_lower_grade", False)


def test_another_manufacturers_filing_is_not_found(login, cast, maker_company, rotary):
    filing = file_product(login(cast["maker"]), rotary)
    cert_filing_product = Product.objects.get(pk=filing.product_id)
    other_company = Manufacturer.objects.create(name="别家农机", credit_code="91110000600037342X")
    stranger = make_user("m2", Role.MANUFACTURER)
    other_company.members.add(stranger)
    client = login(stranger)
    for name in ("catalog:filing_detail",):
        assert client.get(reverse(name, args=[filing.pk])).status_code == 404
    for name in ("catalog:filing_submit", "catalog:filing_add_certificate"):
        assert client.post(reverse(name, args=[filing.pk])).status_code == 404
    assert f"#{filing.pk}" not in client.get(reverse("catalog:filing_list")).content.decode()
    assert cert_filing_product.manufacturer == maker_company


def test_manufacturer_first_finds_the_item_then_sees_only_its_grades_R26(login, cast, maker_company, rotary):
    client = login(cast["maker"])
    url = reverse("catalog:filing_new")
    picker = client.get(url, {"q": "旋耕机"}).content.decode()
    assert "?item=central:1.1.2" in picker
    other = grade("2.2.3", "4行单粒播种机", "行数=4")
    form = client.get(url, {"item": "central:1.1.2"}).content.decode()
    assert rotary.name in form and other.name not in form
    assert client.get(url, {"item": "central:99.9"}).status_code == 404


def test_a_manufacturer_cannot_review(login, cast, maker_company, rotary):
    client = login(cast["maker"])
    filing = file_product(client, rotary)
    assert client.post(reverse("catalog:filing_review", args=[filing.pk]), {"action": "accept"}).status_code == 403


@pytest.mark.parametrize("role", ["buyer", "officer", "finance"])
def test_other_roles_do_not_enter_filing(login, cast, role):
    assert login(cast[role]).get(reverse("catalog:filing_list")).status_code == 403


def test_anonymous_is_asked_to_sign_in(client):
    response = client.get(reverse("catalog:filing_list"))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_certificate_file_of_another_manufacturer_is_not_found(login, cast, maker_company, rotary):
    client = login(cast["maker"])
    filing = file_product(client, rotary)
    client.post(
        reverse("catalog:filing_add_certificate", args=[filing.pk]),
        {"kind": CertificateKind.COMPULSORY, "file": SimpleUploadedFile("c.png", PNG_1PX)},
    )
    cert = filing.product.certificates.get()
    stranger = make_user("m3", Role.MANUFACTURER)
    assert login(stranger).get(reverse("catalog:certificate_file", args=[cert.pk])).status_code == 404


def test_filing_queue_keeps_a_constant_number_of_queries(login, cast, maker_company, rotary):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    maker = login(cast["maker"])
    url = reverse("catalog:filing_list")
    counts = []
    for size in (2, 12):
        for n in range(Filing.objects.count(), size):
            file_product(maker, rotary, model=f"A-{n}")
        with CaptureQueriesContext(connection) as queries:
            assert maker.get(url).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_a_false_filing_found_after_publication_is_recorded_and_repeats_marked_R26_R43(
    login, cast, maker_company, rotary
):
    from catalog.services import accept_filing, add_certificate, publish_filing, submit_filing

    filing = file_product(login(cast["maker"]), rotary)
    add_certificate(
        filing=filing, by=cast["maker"], kind=CertificateKind.COMPULSORY, upload=SimpleUploadedFile("c.png", PNG_1PX)
    )
    submit_filing(filing=filing, by=cast["maker"])
    accept_filing(filing=filing, by=cast["city"])
    publish_filing(filing=filing, by=cast["city"])
    bureau = login(cast["city"])
    url = reverse("catalog:filing_review", args=[filing.pk])
    bureau.post(url, {"action": "false", "reason": "", "false_filing": "false_out_of_scope"})
    assert CreditRecord.objects.count() == 0
    for _ in range(2):
        bureau.post(url, {"action": "false", "reason": "核验发现超范围", "false_filing": "false_out_of_scope"})
    assert list(CreditRecord.objects.order_by("id").values_list("repeated", flat=True)) == [False, True]
    filing.refresh_from_db()
    assert filing.state == FilingState.PUBLISHED


def test_the_review_queue_shows_a_manufacturers_credit_marks_R43(login, cast, maker_company, rotary):
    from catalog.services import add_certificate, record_false_filing, submit_filing

    filing = file_product(login(cast["maker"]), rotary)
    add_certificate(
        filing=filing, by=cast["maker"], kind=CertificateKind.COMPULSORY, upload=SimpleUploadedFile("c.png", PNG_1PX)
    )
    submit_filing(filing=filing, by=cast["maker"])
    record_false_filing(filing=filing, by=cast["city"], kind="false_out_of_scope", reason="超范围")
    body = login(cast["city"]).get(reverse("catalog:filing_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 credit mark" in body


def test_a_user_of_several_manufacturers_chooses_which_one_files_R26(login, cast, maker_company, rotary):
    second = Manufacturer.objects.create(name="北京第二农机有限公司", credit_code="91110000600037342X")
    second.members.add(cast["maker"])
    stranger = Manufacturer.objects.create(name="外单位农机公司", credit_code="91110000600037343Y")
    client = login(cast["maker"])
    url = reverse("catalog:filing_new")
    asked = client.get(url)
    assert {m.pk for m in asked.context["manufacturers"]} == {maker_company.pk, second.pk}
    assert stranger.name not in asked.content.decode()
    # A manufacturer the user does not belong to is not chosen: the question comes back.
    assert client.get(url, {"manufacturer": stranger.pk}).context["manufacturers"]

    picker = client.get(url, {"manufacturer": second.pk, "q": "旋耕机"}).content.decode()
    assert f"?item=central:1.1.2&amp;manufacturer={second.pk}" in picker
    response = client.post(
        f"{url}?item=central:1.1.2&manufacturer={second.pk}",
        {"grade": rotary.pk, "name": "旋耕机", "model": "1GQN-200", "declared": "工作幅宽=1.8m"},
    )
    assert response.status_code == 302
    assert Filing.objects.get(product__model="1GQN-200").manufacturer == second
    # Without a choice, nothing is filed.
    client.post(url, {"grade": rotary.pk, "name": "旋耕机", "model": "1GQN-201", "declared": "工作幅宽=1.8m"})
    assert not Filing.objects.filter(product__model="1GQN-201").exists()
