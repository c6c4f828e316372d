"""R26, R27, R43: filing, review, publication, false filings on the credit record, and closure."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.errors import CatalogueError
from catalog.models import CatalogueEvent, CertificateKind, Closure, CreditKind, CreditRecord, FilingState, Product
from catalog.selectors import may_name_product, products_open_for_application
from catalog.services import (
    accept_filing,
    add_certificate,
    close_product,
    create_filing,
    publish_filing,
    record_false_filing,
    reject_filing,
    reopen_product,
    submit_filing,
)
from tests.pdfs import blank_pdf

from .conftest import grade, item

pytestmark = pytest.mark.django_db

PDF = blank_pdf()


def pdf(name="cert.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def draft(cast, maker_company):
    g = grade("1.1.2", "旋耕机 幅宽1.5—2m", "1.5m≤工作幅宽<2m")
    return create_filing(
        manufacturer=maker_company,
        by=cast["maker"],
        item=item("1.1.2"),
        grade=g,
        name="旋耕机",
        model="1GQN-180",
        declared={"工作幅宽": "1.8m"},
    )


def file_and_submit(draft, cast):
    add_certificate(filing=draft, by=cast["maker"], kind=CertificateKind.TEST_APPRAISAL, upload=pdf(), number="2024-1")
    return submit_filing(filing=draft, by=cast["maker"])


@pytest.fixture
def published(draft, cast):
    file_and_submit(draft, cast)
    accept_filing(filing=draft, by=cast["city"])
    return publish_filing(filing=draft, by=cast["city"])


def test_an_unpublished_filing_cannot_be_named_R26(draft, cast, today):
    file_and_submit(draft, cast)
    accept_filing(filing=draft, by=cast["city"])
    assert list(products_open_for_application(on=today)) == []
    decision = may_name_product(product=draft.product, on=today)
    assert (decision.allowed, "R26" in decision.reason) == (False, True)


def test_a_published_filing_is_open_for_application_R26(published, today):
    product = Product.objects.get(pk=published.product_id)
    assert (published.state, product.published_on) == (FilingState.PUBLISHED, today)
    assert list(products_open_for_application(on=today)) == [product]
    assert may_name_product(product=product, on=today).allowed
    actions = list(CatalogueEvent.objects.filter(subject_type="filing").order_by("id").values_list("action", flat=True))
    assert actions == ["filing_created", "filing_submitted", "filing_accepted", "filing_published"]


def test_submitting_without_certificates_is_refused_R26(draft, cast):
    with pytest.raises(CatalogueError):
        submit_filing(filing=draft, by=cast["maker"])
    draft.refresh_from_db()
    assert draft.state == FilingState.DRAFT


def test_only_the_municipal_bureau_reviews_R26(draft, cast):
    file_and_submit(draft, cast)
    for user in (cast["maker"], cast["officer"]):
        with pytest.raises(PermissionDenied):
            accept_filing(filing=draft, by=user)
    draft.refresh_from_db()
    assert draft.state == FilingState.SUBMITTED


def test_another_manufacturer_cannot_file_for_this_one_R26(cast, maker_company):
    from accounts.models import Role
    from tests.conftest import make_user

    stranger = make_user("m2", Role.MANUFACTURER)
    with pytest.raises(PermissionDenied):
        create_filing(
            manufacturer=maker_company,
            by=stranger,
            item=item("1.1.2"),
            grade=grade("1.1.2", "g", "幅宽≥1m"),
            name="x",
            model="X-1",
        )


def test_rejection_needs_a_reason_R26(draft, cast):
    file_and_submit(draft, cast)
    with pytest.raises(CatalogueError):
        reject_filing(filing=draft, by=cast["city"], reason=" ")
    rejected = reject_filing(filing=draft, by=cast["city"], reason="证书与型号不符")
    assert (rejected.state, rejected.reason, rejected.decided_by) == (
        FilingState.REJECTED,
        "证书与型号不符",
        cast["city"],
    )
    assert CreditRecord.objects.count() == 0


def test_false_filing_is_recorded_and_a_repeat_is_marked_R26_R43(draft, cast, maker_company):
    file_and_submit(draft, cast)
    reject_filing(filing=draft, by=cast["city"], reason="低档高投", false_filing=CreditKind.FALSE_FILING_LOWER_GRADE)
    first = CreditRecord.objects.get()
    assert (first.manufacturer, first.kind, first.repeated, first.filing) == (
        maker_company,
        CreditKind.FALSE_FILING_LOWER_GRADE,
        False,
        draft,
    )
    second = record_false_filing(
        filing=draft, by=cast["city"], kind=CreditKind.FALSE_FILING_OUT_OF_SCOPE, reason="超范围投档"
    )
    assert second.repeated is True
    assert CatalogueEvent.objects.filter(action="false_filing_recorded").count() == 2


def test_a_closed_product_cannot_be_named_until_reopened_R27(published, cast, today):
    product = Product.objects.get(pk=published.product_id)
    close_product(product=product, by=cast["city"], reason="现场演示评价发现问题")
    assert list(products_open_for_application(on=today)) == []
    decision = may_name_product(product=product, on=today)
    assert (decision.allowed, "R27" in decision.reason) == (False, True)
    closure = Closure.objects.get()
    assert (closure.reason, closure.closed_by, closure.reopened_at) == ("现场演示评价发现问题", cast["city"], None)
    reopen_product(product=product, by=cast["city"], reason="调查结束,无问题")
    assert list(products_open_for_application(on=today)) == [product]
    events = CatalogueEvent.objects.filter(subject_type="product").order_by("id")
    assert [(e.action, e.actor, e.reason) for e in events] == [
        ("product_closed", cast["city"], "现场演示评价发现问题"),
        ("product_reopened", cast["city"], "调查结束,无问题"),
    ]


def test_closing_needs_a_reason_and_the_municipal_bureau_R27(published, cast):
    product = Product.objects.get(pk=published.product_id)
    with pytest.raises(CatalogueError):
        close_product(product=product, by=cast["city"], reason="")
    with pytest.raises(PermissionDenied):
        close_product(product=product, by=cast["officer"], reason="x")
    product.refresh_from_db()
    assert product.closed is False and Closure.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "not a JPEG, PNG or PDF"),
        ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "larger than 10 MB"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "damaged"),
    ],
)
def test_uploads_are_checked_by_content_R26(draft, cast, name, content, message):
    with pytest.raises(CatalogueError) as exc:
        add_certificate(
            filing=draft,
            by=cast["maker"],
            kind=CertificateKind.TEST_APPRAISAL,
            upload=SimpleUploadedFile(name, content),
        )
    assert message in str(exc.value)
    assert draft.product.certificates.count() == 0


def test_uploaded_file_is_stored_privately_under_a_system_name_R26(draft, cast, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    cert = add_certificate(filing=draft, by=cast["maker"], kind=CertificateKind.COMPULSORY, upload=pdf("我的证书.pdf"))
    assert cert.original_name == "我的证书.pdf"
    assert cert.content_type == "application/pdf"
    assert cert.file.name.startswith("catalog/certificates/") and cert.file.name.endswith(".pdf")
    assert "我的证书" not in cert.file.name
    assert (tmp_path / cert.file.name).read_bytes() == PDF
