"""No upload stalls a worker or leaves a file behind (R26, R29): the pixel count is capped from the header before
decoding, a truncated or corrupt image is refused before anything is stored, and a PDF must parse, have pages
and carry no script or embedded file."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from applications import services
from applications.models import Document, DocumentKind
from applications.services import ApplicationError
from catalog.errors import CatalogueError
from catalog.uploads import check_upload
from tests.pdfs import blank_pdf

pytestmark = pytest.mark.django_db


def png(width, height) -> bytes:
    """A PNG of ``width`` x ``height`` pixels that compresses to little (one colour, 1 bit a pixel)."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def never_decoded(monkeypatch):
    """Fails the test if any image is decoded (its pixels loaded)."""
    decoded = []

    def load(self):
        decoded.append(self.size)
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return decoded


def stored_files(settings) -> list:
    root = settings.PRIVATE_MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("size", [(12_000, 12_000), (9_000, 6_000)])
def test_a_pixel_bomb_is_refused_from_its_header_without_decoding_R26(never_decoded, size):
    content = png(*size)
    assert len(content) < 10 * 1024 * 1024
    with pytest.raises(CatalogueError) as refused:
        check_upload(SimpleUploadedFile("bomb.png", content))
    assert "图片像素过多" in refused.value.message
    assert never_decoded == []


def test_a_12000_pixel_square_photo_is_refused_with_a_message_and_nothing_stored_R29(cast, settings):
    draft = services.start_application(buyer=cast["buyer"], district=cast["buyer"].district)
    with pytest.raises(ApplicationError) as refused:
        services.add_document(
            application_id=draft.pk,
            user=cast["buyer"],
            kind=DocumentKind.MACHINE,
            upload=SimpleUploadedFile("bomb.png", png(12_000, 12_000)),
        )
    assert refused.value.rule == "R29" and "图片像素过多" in refused.value.message
    assert Document.objects.count() == 0 and stored_files(settings) == []


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((800, 600), 64).convert("RGB").save(out, format="JPEG")
    return out.getvalue()


def _corrupt_png() -> bytes:
    data = bytearray(png(400, 300))
    idat = data.index(b"IDAT")
    data[idat + 6 : idat + 20] = b"\x00" * 14  # the compressed pixels, broken; the header is intact
    return bytes(data)


@pytest.mark.parametrize(
    "content",
    [_jpeg()[:4000], _corrupt_png()],
    ids=["truncated-jpeg", "corrupt-png"],
)
def test_a_truncated_or_corrupt_image_is_refused_before_anything_is_stored_R29(cast, settings, content):
    draft = services.start_application(buyer=cast["buyer"], district=cast["buyer"].district)
    with pytest.raises(ApplicationError) as refused:
        services.add_document(
            application_id=draft.pk,
            user=cast["buyer"],
            kind=DocumentKind.MACHINE,
            upload=SimpleUploadedFile("photo.jpg", content),
        )
    assert "已损坏" in refused.value.message
    assert Document.objects.count() == 0 and stored_files(settings) == []


def test_a_whole_photo_is_still_accepted_R29(cast, settings):
    draft = services.start_application(buyer=cast["buyer"], district=cast["buyer"].district)
    document = services.add_document(
        application_id=draft.pk,
        user=cast["buyer"],
        kind=DocumentKind.MACHINE,
        upload=SimpleUploadedFile("p.jpg", _jpeg()),
    )
    assert document.content_type == "image/jpeg" and document.resized


@pytest.mark.parametrize(
    "content, message",
    [
        (b"%PDF-1.4\n%%EOF\n", "PDF 文件已损坏"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "PDF 文件已损坏"),
        (blank_pdf(pages=0), "没有页面"),
        (blank_pdf(javascript="app.alert(1)"), "含有脚本或嵌入文件"),
        (blank_pdf(attachment=b"MZ payload"), "含有脚本或嵌入文件"),
    ],
    ids=["no-body", "no-catalogue", "no-pages", "javascript", "embedded-file"],
)
def test_a_pdf_must_parse_have_pages_and_carry_no_script_or_file_R26(content, message):
    with pytest.raises(CatalogueError) as refused:
        check_upload(SimpleUploadedFile("scan.pdf", content))
    assert message in refused.value.message


def test_a_plain_pdf_is_accepted_R26():
    assert check_upload(SimpleUploadedFile("scan.pdf", blank_pdf(pages=2))) == "application/pdf"
