"""Submission (R1, R5, R10, R11, R26–R29, R39, R41): only a violation stops it; what applied is stored with it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import override

from applications import services
from applications.commitment import commitment_letter
from applications.models import Application, ApplicationEvent, Deadline, DocumentKind, PaymentMethod, Step, Warning
from applications.services import ApplicationError
from applications.workflow import State
from catalog.models import Amount, Certificate, LimitKind
from catalog.services import close_product, record_market_price, set_amount, set_limit

pytestmark = pytest.mark.django_db


def draft_of(cast, district=None):
    buyer = cast["buyer"]
    return services.start_application(buyer=buyer, district=district or buyer.district)


def test_submission_stores_catalogue_amounts_and_rules_in_force_R41(cast, submitted):
    app = submitted()
    assert app.state == State.SUBMITTED
    assert (app.central_amount, app.municipal_amount, app.district_amount, app.total_amount) == (
        Decimal("15300.00"),
        Decimal("3000.00"),
        Decimal("0.00"),
        Decimal("18300.00"),
    )
    assert app.snapshot["item"]["code"] == "16.1.1"
    assert app.snapshot["grade"]["name"] == "55—60马力两轮驱动拖拉机"
    assert app.snapshot["rules"]  # the ratio rules in force that day
    assert app.number == f"{timezone.localdate().year}-110108-{app.pk:07d}"


def test_a_later_amount_change_does_not_touch_a_submitted_application_R7_R41(cast, submitted, product):
    app = submitted()
    tomorrow = timezone.localdate() + timedelta(days=1)
    price = record_market_price(
        grade=product.grade, year=tomorrow.year - 1, average_price=Decimal("70000"), source="subsidy_data"
    )
    set_amount(
        grade=product.grade,
        fund_source="central",
        amount=Decimal("9000"),
        ratio=Decimal("0.15"),
        market_price=price,
        valid_from=tomorrow,
    )
    assert Amount.objects.filter(grade=product.grade, fund_source="central").count() == 2
    app.refresh_from_db()
    assert app.central_amount == Decimal("15300.00")
    assert app.snapshot["amounts"]["central"]["amount"] == "15300.00"


def test_subsidy_year_is_the_year_of_submission_R1(cast, submitted):
    assert submitted().year == timezone.localdate().year


@time_machine.travel("2026-09-30 10:00 +0800", tick=False)
def test_acceptance_is_due_within_two_working_days_over_national_day_R30(cast, submitted):
    app = submitted()
    accept = Deadline.objects.get(application=app, step=Step.ACCEPT)
    # 10-01..10-07 are off: the 1st working day after 09-30 is 10-08, the 2nd is 10-09.
    assert (accept.started_on, accept.due_on) == (date(2026, 9, 30), date(2026, 10, 9))


def test_a_serial_number_is_subsidised_once_R11(cast, submitted):
    submitted(serial="SN-7788")
    other = cast["other_buyer"]
    with pytest.raises(ApplicationError) as refused:
        submitted(other, serial=" sn-7788 ")
    assert refused.value.rule == "R11"
    assert Application.objects.filter(buyer=other, state=State.DRAFT).count() == 1


def test_the_database_refuses_a_second_live_application_for_a_serial_R11(cast, submitted):
    first = submitted(serial="SN-9")
    second = Application.objects.create(
        buyer=cast["other_buyer"], district=first.district, manufacturer=first.manufacturer, serial_key=first.serial_key
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=second.pk).update(state=State.SUBMITTED)


def test_a_withdrawn_applications_serial_may_be_used_again_R11(cast, submitted):
    first = submitted(serial="SN-10")
    services.withdraw_application(application_id=first.pk, buyer=cast["buyer"])
    assert submitted(cast["other_buyer"], serial="SN-10").state == State.SUBMITTED


def test_a_closed_product_cannot_be_named_R27(cast, product, fill):
    close_product(product=product, by=cast["city"], reason="抽查发现质量问题")
    draft = fill(draft_of(cast), product)
    with pytest.raises(ApplicationError) as refused:
        services.submit_application(application_id=draft.pk, buyer=cast["buyer"], accept_commitment=True)
    assert refused.value.rule == "R27"
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and not ApplicationEvent.objects.filter(application=draft, action="submit")


def test_an_unpublished_product_cannot_be_named_R26(cast, product, fill):
    type(product).objects.filter(pk=product.pk).update(published_on=None)
    draft = fill(draft_of(cast), product)
    with pytest.raises(ApplicationError) as refused:
        services.submit_application(application_id=draft.pk, buyer=cast["buyer"], accept_commitment=True)
    assert refused.value.rule == "R26"


def test_a_certificate_expired_before_the_purchase_is_refused_R10(cast, product, fill):
    Certificate.objects.filter(product=product).update(valid_until=timezone.localdate() - timedelta(days=30))
    draft = fill(draft_of(cast), product)
    with pytest.raises(ApplicationError) as refused:
        services.submit_application(application_id=draft.pk, buyer=cast["buyer"], accept_commitment=True)
    assert refused.value.rule == "R10"
    assert Application.objects.get(pk=draft.pk).state == State.DRAFT


def test_cash_above_5000_yuan_is_flagged_not_refused_R28(cast, submitted):
    app = submitted(payment_method=PaymentMethod.CASH)
    assert app.state == State.SUBMITTED
    assert list(Warning.objects.filter(application=app).values_list("rule", "code")) == [("R28", "cash_over_5000")]


def test_cash_at_or_below_5000_yuan_is_not_flagged_R28(cast, submitted):
    app = submitted(payment_method=PaymentMethod.CASH, invoice_price=Decimal("5000.00"))
    assert not Warning.objects.filter(application=app, code="cash_over_5000").exists()


def test_the_commitment_letter_is_stored_as_signed_R29(cast, submitted):
    app = submitted()
    assert app.commitment_version == "2024-1"
    with override("zh-hans"):  # the buyer's language: the exact text shown is the text stored
        assert app.commitment_text == commitment_letter()[1]
    assert app.commitment_signed_at is not None
    event = ApplicationEvent.objects.get(application=app, action="submit")
    assert event.actor == cast["buyer"] and event.data["commitment_version"] == "2024-1"


def test_no_submission_without_signing_the_letter_R29(cast, product, fill):
    draft = fill(draft_of(cast), product)
    with pytest.raises(ApplicationError) as refused:
        services.submit_application(application_id=draft.pk, buyer=cast["buyer"], accept_commitment=False)
    assert refused.value.rule == "R29"
    assert Application.objects.get(pk=draft.pk).commitment_signed_at is None


def test_an_incomplete_draft_says_what_is_missing_R29(cast, product):
    draft = draft_of(cast)
    services.update_draft(application_id=draft.pk, buyer=cast["buyer"], product=product)
    with pytest.raises(ApplicationError) as refused:
        services.submit_application(application_id=draft.pk, buyer=cast["buyer"], accept_commitment=True)
    assert refused.value.rule == "R29"
    missing = services.missing_for_submission(Application.objects.get(pk=draft.pk))
    assert len(missing) == 13  # 9 fields and 4 documents


def test_a_base_outside_beijing_needs_an_organisation_and_its_proof_R5(cast, product, fill, photo):
    coop = cast["other_buyer"]
    coop.buyer_kind = "cooperative"
    coop.save()
    draft = services.start_application(buyer=coop, district=coop.district)
    fill(
        draft,
        product,
        outside_base=True,
        outside_base_address="河北省涿州市某镇自有基地",
        annual_supply_tonnes=Decimal("800"),
    )
    with pytest.raises(ApplicationError) as refused, override("en"):
        services.submit_application(application_id=draft.pk, buyer=coop, accept_commitment=True)
    assert refused.value.rule == "R29"
    assert "proof of production" in refused.value.message
    services.add_document(application_id=draft.pk, user=coop, kind=DocumentKind.BASE_PROOF, upload=photo())
    app = services.submit_application(application_id=draft.pk, buyer=coop, accept_commitment=True)
    assert app.state == State.SUBMITTED and app.annual_supply_tonnes == Decimal("800.00")


def test_a_base_below_the_published_minimum_supply_is_refused_R5(cast, product, fill, photo):
    """No minimum ships (the municipality publishes it later); once its row is in force, a base declaring less is
    refused with both numbers, and one declaring enough is submitted."""
    coop = cast["other_buyer"]
    coop.buyer_kind = "cooperative"
    coop.save()
    draft = services.start_application(buyer=coop, district=coop.district)
    fill(draft, product, outside_base=True, outside_base_address="河北省涿州市某镇自有基地", annual_supply_tonnes=800)
    services.add_document(application_id=draft.pk, user=coop, kind=DocumentKind.BASE_PROOF, upload=photo())
    assert services.minimum_supply(on=timezone.localdate()) is None
    set_limit(
        kind=LimitKind.OUTSIDE_BASE_MIN_SUPPLY, value=1000, rule="R5", valid_from=timezone.localdate(), by=cast["city"]
    )
    with pytest.raises(ApplicationError) as refused, override("en"):
        services.submit_application(application_id=draft.pk, buyer=coop, accept_commitment=True)
    assert refused.value.rule == "R5"
    assert "at least 1000 tonnes" in refused.value.message and "800 tonnes are declared" in refused.value.message
    assert Application.objects.get(pk=draft.pk).state == State.DRAFT
    services.update_draft(application_id=draft.pk, buyer=coop, annual_supply_tonnes=Decimal("1000"))
    app = services.submit_application(application_id=draft.pk, buyer=coop, accept_commitment=True)
    assert app.state == State.SUBMITTED
    assert app.snapshot["rules"]["limits"]["outside_base_min_supply"] == "1000.00"  # R41: kept with the application


def test_an_individual_cannot_apply_for_a_base_outside_beijing_R5(cast, product, fill, photo):
    draft = fill(
        draft_of(cast), product, outside_base=True, outside_base_address="河北某地", annual_supply_tonnes=Decimal("10")
    )
    services.add_document(application_id=draft.pk, user=cast["buyer"], kind=DocumentKind.BASE_PROOF, upload=photo())
    with pytest.raises(ApplicationError) as refused:
        services.submit_application(application_id=draft.pk, buyer=cast["buyer"], accept_commitment=True)
    assert refused.value.rule == "R5"


def test_another_buyers_draft_is_not_found(cast, product):
    draft = draft_of(cast)
    with pytest.raises(Http404):
        services.update_draft(application_id=draft.pk, buyer=cast["other_buyer"], serial_number="X")


def test_a_submitted_application_cannot_be_edited_R39(cast, submitted):
    app = submitted()
    with pytest.raises(ApplicationError):
        services.update_draft(application_id=app.pk, buyer=cast["buyer"], serial_number="OTHER")
    assert Application.objects.get(pk=app.pk).serial_number == "SN-0001"


def test_the_buyer_may_withdraw_before_payment_but_not_under_investigation_R39(cast, submitted):
    app = submitted()
    services.investigate(application_id=app.pk, reason="同一购机者短期内多次购机", actor=cast["auditor"])
    with pytest.raises(ApplicationError):
        services.withdraw_application(application_id=app.pk, buyer=cast["buyer"])
    services.clear_investigation(application_id=app.pk, officer=cast["officer"], finding="核实无误")
    withdrawn = services.withdraw_application(application_id=app.pk, buyer=cast["buyer"], reason="不再申请")
    assert withdrawn.state == State.WITHDRAWN
    assert not Deadline.objects.filter(application=app, met_at__isnull=True).exists()


def test_documents_are_checked_by_content_not_name_R29(cast, product):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = draft_of(cast)
    liar = SimpleUploadedFile("invoice.jpg", b"MZ\x90\x00 this is an executable", content_type="image/jpeg")
    with pytest.raises(ApplicationError):
        services.add_document(application_id=draft.pk, user=cast["buyer"], kind=DocumentKind.INVOICE, upload=liar)
    assert not draft.documents.exists()


def test_photos_keep_their_original_beside_a_resized_copy(cast, product):
    from PIL import Image

    from applications.models import Document

    big = _jpeg_of_size(3000, 2000)
    draft = draft_of(cast)
    doc = services.add_document(application_id=draft.pk, user=cast["buyer"], kind=DocumentKind.MACHINE, upload=big)
    doc = Document.objects.get(pk=doc.pk)
    with doc.original.open("rb") as f, Image.open(f) as original:
        assert original.size == (3000, 2000)
    with doc.resized.open("rb") as f, Image.open(f) as resized:
        assert resized.size == (1600, 1067)
    assert not doc.original.name.endswith("photo.jpg")  # the system chooses the name


def _jpeg_of_size(width, height):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 20)).save(out, format="JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")
