"""The buyer's pages (/apply/): the steps walked with the test client, the database checked after, and the
refusals (R4, R5, R10, R11, R27–R30, R39, R41)."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from accounts.models import BuyerKind, District, Role, Town
from applications import services
from applications.commitment import commitment_letter
from applications.models import Application, ApplicationEvent, Document, DocumentKind, EventAction, Ground, Step
from applications.models import Warning as AppWarning
from applications.workflow import State
from catalog.models import LimitKind
from catalog.services import close_product, set_limit
from tests.conftest import make_user
from workdays.calendar import working_days_between

pytestmark = pytest.mark.django_db

REQUIRED = [DocumentKind.INVOICE, DocumentKind.NAMEPLATE, DocumentKind.MACHINE, DocumentKind.IDENTITY]


def image(name="photo.jpg", size=(640, 480), fmt="JPEG") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (40, 120, 60)).save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def buyer_client(login, cast):
    return login(cast["buyer"])


@pytest.fixture
def draft(cast):
    return services.start_application(buyer=cast["buyer"], district=cast["buyer"].district)


def url(name, *args):
    return reverse(f"apply:{name}", args=args)


def purchase_data(**overrides):
    today = timezone.localdate()
    data = {
        "serial_number": "SN 2026 0001",
        "production_date": (today - timedelta(days=60)).isoformat(),
        "purchase_date": (today - timedelta(days=10)).isoformat(),
        "invoice_number": "04481234",
        "invoice_price": "62000",
        "payment_method": "transfer",
    }
    data.update(overrides)
    return data


def errors_of(response, field):
    form = response.context["form"]
    return [e.code for e in form.errors.as_data().get(field, [])]


# --- Who may enter ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "finance", "city", "maker"])
def test_only_buyers_work_in_apply(login, cast, who):
    assert login(cast[who]).get(url("home")).status_code == 403


def test_anonymous_is_asked_to_sign_in(client):
    response = client.get(url("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_home_shows_the_guide_and_an_empty_state_then_the_buyers_own_applications(buyer_client, cast, draft):
    other = services.start_application(buyer=cast["other_buyer"], district=cast["other_buyer"].district)
    response = buyer_client.get(url("home"))
    assert response.status_code == 200
    assert [row["application"].pk for row in response.context["rows"]] == [draft.pk]
    content = response.content.decode()
    assert url("tasks", draft.pk) in content and url("tasks", other.pk) not in content
    assert url("start") in content


def test_home_without_applications_shows_the_empty_state(login, cast):
    response = login(cast["other_buyer"]).get(url("home"))
    assert response.context["rows"] == [] and 'class="panel empty"' in response.content.decode()


def test_start_makes_a_draft_in_the_buyers_district_and_opens_the_task_list(buyer_client, cast):
    response = buyer_client.post(url("start"))
    application = Application.objects.get(buyer=cast["buyer"])
    assert response.url == url("tasks", application.pk)
    assert (application.state, application.district, application.number) == (State.DRAFT, cast["buyer"].district, None)
    page = buyer_client.get(response.url)
    assert [t.status for t in page.context["tasks"]] == ["not_started"] * 6


# --- Another buyer's application, and officials -----------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["application", "tasks", "buyer", "machine", "purchase", "documents", "account", "commitment", "check"]
)
def test_another_buyers_application_is_not_found(login, cast, draft, name):
    assert login(cast["other_buyer"]).get(url(name, draft.pk)).status_code == 404


def test_another_buyer_cannot_write_to_a_draft(login, cast, draft):
    response = login(cast["other_buyer"]).post(url("purchase", draft.pk), purchase_data())
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.serial_number == ""


# --- The steps ----------------------------------------------------------------------------------------------


def test_buyer_step_records_the_ground_and_district_R4(buyer_client, draft, changping):
    response = buyer_client.post(url("buyer", draft.pk), {"ground": Ground.PRODUCTION, "district": changping.pk})
    assert response.status_code == 302 and response.url == url("tasks", draft.pk)
    draft.refresh_from_db()
    assert (draft.ground, draft.district) == (Ground.PRODUCTION, changping)


def test_buyer_step_without_a_ground_says_so_and_keeps_the_district_R4(buyer_client, draft, changping):
    response = buyer_client.post(url("buyer", draft.pk), {"district": changping.pk})
    assert response.status_code == 200
    assert errors_of(response, "ground") == ["required"]
    assert response.context["form"]["district"].value() == str(changping.pk)
    assert 'class="error-summary"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.ground == ""


def test_the_buyer_says_the_town_where_they_farm_from_the_districts_list(buyer_client, draft, haidian, changping):
    """A district that lists its towns asks for one; a town of another district is refused with both names, and
    what was entered stays; a district without towns listed does not ask."""
    wenquan = Town.objects.create(district=haidian, name="温泉镇")
    xingshou = Town.objects.create(district=changping, name="兴寿镇")
    step = url("buyer", draft.pk)
    assert errors_of(buyer_client.post(step, {"ground": Ground.HOUSEHOLD, "district": haidian.pk}), "town") == [
        "town_required"
    ]
    response = buyer_client.post(step, {"ground": Ground.HOUSEHOLD, "district": haidian.pk, "town": xingshou.pk})
    assert errors_of(response, "town") == ["town_elsewhere"]
    assert response.context["form"]["town"].value() == str(xingshou.pk)
    draft.refresh_from_db()
    assert draft.town is None and draft.ground == ""
    assert buyer_client.post(step, {"ground": Ground.HOUSEHOLD, "district": haidian.pk, "town": wenquan.pk}).url == url(
        "tasks", draft.pk
    )
    draft.refresh_from_db()
    assert draft.town == wenquan
    # 门头沟区 lists no towns here: no town is asked, and the one of 海淀区 is not kept.
    mentougou = District.objects.get(code="110109")
    assert buyer_client.post(step, {"ground": Ground.PRODUCTION, "district": mentougou.pk}).status_code == 302
    draft.refresh_from_db()
    assert (draft.district, draft.town) == (mentougou, None)


def test_an_individual_is_not_asked_about_a_base_outside_beijing_R5(buyer_client, draft):
    response = buyer_client.get(url("buyer", draft.pk))
    assert "outside_base" not in response.context["form"].fields


@pytest.fixture
def coop(changping):
    return make_user("coop", Role.BUYER, changping, buyer_kind=BuyerKind.COOPERATIVE, display_name="兴寿农机专业合作社")


def test_an_organisations_base_outside_beijing_needs_address_and_supply_R5(login, coop, changping):
    client = login(coop)
    client.post(url("start"))
    application = Application.objects.get(buyer=coop)
    data = {"ground": Ground.REGISTRATION, "district": changping.pk, "outside_base": "on"}
    response = client.post(url("buyer", application.pk), data)
    assert errors_of(response, "outside_base_address") == ["base_address_required"]
    assert errors_of(response, "annual_supply_tonnes") == ["base_supply_required"]
    application.refresh_from_db()
    assert application.outside_base is False

    data.update(outside_base_address="河北省涿州市示例基地", annual_supply_tonnes="1200.5")
    client.post(url("buyer", application.pk), data)
    application.refresh_from_db()
    assert application.outside_base is True
    assert application.annual_supply_tonnes == Decimal("1200.50")
    # The proof of production at the base is then asked for among the documents.
    page = client.get(url("documents", application.pk))
    assert [s["kind"] for s in page.context["sections"]] == [*REQUIRED, DocumentKind.BASE_PROOF]


def test_the_published_minimum_supply_is_said_and_checked_on_the_page_R5(login, cast, coop, changping):
    set_limit(
        kind=LimitKind.OUTSIDE_BASE_MIN_SUPPLY, value=500, rule="R5", valid_from=timezone.localdate(), by=cast["city"]
    )
    client = login(coop)
    client.post(url("start"))
    application = Application.objects.get(buyer=coop)
    page = client.get(url("buyer", application.pk))
    assert "500" in str(page.context["form"].fields["annual_supply_tonnes"].help_text)
    data = {
        "ground": Ground.REGISTRATION,
        "district": changping.pk,
        "outside_base": "on",
        "outside_base_address": "河北省涿州市示例基地",
        "annual_supply_tonnes": "120.5",
    }
    response = client.post(url("buyer", application.pk), data)
    assert errors_of(response, "annual_supply_tonnes") == ["base_supply_below_minimum"]
    assert response.context["form"]["annual_supply_tonnes"].value() == "120.5"  # what was entered stays
    application.refresh_from_db()
    assert application.annual_supply_tonnes is None
    data["annual_supply_tonnes"] = "500"
    assert client.post(url("buyer", application.pk), data).status_code == 302


def test_the_machine_is_found_by_part_of_its_model_maker_or_item(buyer_client, draft, product):
    for query in ("tx-55", "测试农机", "轮式拖拉", "16.1"):
        response = buyer_client.get(url("machine", draft.pk), {"q": query})
        assert [p.pk for p in response.context["results"]] == [product.pk], query
    response = buyer_client.get(url("machine", draft.pk), {"q": "nothing-like-it"})
    assert response.context["results"] == []


def test_choosing_the_machine_saves_it(buyer_client, draft, product):
    response = buyer_client.post(url("machine", draft.pk), {"product": product.pk})
    assert response.url == url("tasks", draft.pk)
    draft.refresh_from_db()
    assert (draft.product, draft.manufacturer) == (product, product.manufacturer)


def test_a_closed_machine_is_not_found_and_cannot_be_chosen_R27(buyer_client, cast, draft, product):
    close_product(product=product, by=cast["city"], reason="现场演示发现问题")
    response = buyer_client.get(url("machine", draft.pk), {"q": "TX-554"})
    assert response.context["results"] == []
    response = buyer_client.post(url("machine", draft.pk), {"product": product.pk})
    assert response.status_code == 200 and response.context["error"]
    draft.refresh_from_db()
    assert draft.product is None


def test_a_machine_closed_after_it_was_chosen_marks_the_step_for_change_R27(buyer_client, cast, draft, product):
    buyer_client.post(url("machine", draft.pk), {"product": product.pk})
    close_product(product=product, by=cast["city"], reason="封闭待查")
    tasks = {t.key: t.status for t in buyer_client.get(url("tasks", draft.pk)).context["tasks"]}
    assert tasks["machine"] == "change"


def test_invoice_and_payment_are_saved_and_shown_again(buyer_client, draft):
    response = buyer_client.post(url("purchase", draft.pk), purchase_data())
    assert response.url == url("tasks", draft.pk)
    draft.refresh_from_db()
    assert (draft.serial_number, draft.serial_key, draft.invoice_price) == (
        "SN 2026 0001",
        "SN20260001",
        Decimal("62000.00"),
    )
    page = buyer_client.get(url("purchase", draft.pk))
    assert page.context["form"]["invoice_number"].value() == "04481234"
    assert 'value="SN 2026 0001"' in page.content.decode()


def test_production_after_purchase_and_a_future_purchase_are_refused_keeping_what_was_typed(buyer_client, draft):
    today = timezone.localdate()
    response = buyer_client.post(
        url("purchase", draft.pk),
        purchase_data(production_date=today.isoformat(), purchase_date=(today + timedelta(days=3)).isoformat()),
    )
    assert response.status_code == 200
    assert errors_of(response, "purchase_date") == ["purchase_in_future"]
    assert response.context["form"]["invoice_number"].value() == "04481234"
    response = buyer_client.post(
        url("purchase", draft.pk),
        purchase_data(production_date=today.isoformat(), purchase_date=(today - timedelta(days=3)).isoformat()),
    )
    assert errors_of(response, "production_date") == ["produced_after_purchase"]
    draft.refresh_from_db()
    assert draft.serial_number == ""


def test_cash_above_5000_yuan_is_a_warning_not_a_refusal_R28(buyer_client, draft):
    response = buyer_client.post(
        url("purchase", draft.pk), purchase_data(payment_method="cash", invoice_price="6000"), follow=True
    )
    draft.refresh_from_db()
    assert (draft.payment_method, draft.invoice_price) == ("cash", Decimal("6000.00"))
    assert any(m.level_tag == "warning" for m in response.context["messages"])
    assert 'data-rule="R28"' in buyer_client.get(url("purchase", draft.pk)).content.decode()


def test_dates_outside_the_certificate_are_said_before_submitting_R10(buyer_client, draft, product):
    buyer_client.post(url("machine", draft.pk), {"product": product.pk})
    buyer_client.post(url("purchase", draft.pk), purchase_data(production_date="2022-06-01"))
    page = buyer_client.get(url("purchase", draft.pk))
    assert page.context["problems"] and 'data-rule="R10"' in page.content.decode()
    tasks = {t.key: t.status for t in buyer_client.get(url("tasks", draft.pk)).context["tasks"]}
    assert tasks["purchase"] == "change"


def test_photos_are_uploaded_kept_with_a_resized_copy_and_shown_as_thumbnails(buyer_client, draft):
    response = buyer_client.post(
        url("documents", draft.pk), {"kind": "nameplate", "nameplate-file": image("铭牌.jpg", (2400, 1800))}
    )
    assert response.status_code == 302
    document = Document.objects.get(application=draft)
    assert (document.kind, document.content_type, document.original_name) == ("nameplate", "image/jpeg", "铭牌.jpg")
    assert document.original and document.resized
    page = buyer_client.get(url("documents", draft.pk)).content.decode()
    assert f'<img src="{url("document", document.pk)}"' in page
    assert 'capture="environment"' in page and 'accept="image/*,application/pdf"' in page


def test_a_file_that_lies_about_its_type_is_refused_with_the_reason_and_nothing_is_stored(buyer_client, draft):
    fake = SimpleUploadedFile("invoice.jpg", b"MZ\x90\x00 this is not a photo", content_type="image/jpeg")
    response = buyer_client.post(url("documents", draft.pk), {"kind": "invoice", "invoice-file": fake})
    assert response.status_code == 400
    section = next(s for s in response.context["sections"] if s["kind"] == "invoice")
    assert [e.code for e in section["form"].errors.as_data()["file"]] == ["upload_refused"]
    assert 'class="error-summary"' in response.content.decode()
    assert not Document.objects.exists()


def test_a_removed_document_leaves_the_draft_but_its_file_is_kept(buyer_client, draft):
    buyer_client.post(url("documents", draft.pk), {"kind": "machine", "machine-file": image()})
    document = Document.objects.get()
    response = buyer_client.post(url("remove_document", draft.pk, document.pk))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.removed_at is not None and document.original
    assert buyer_client.get(url("document", document.pk)).status_code == 404


def test_the_account_is_saved_encrypted_and_shown_masked(buyer_client, draft):
    buyer_client.post(
        url("account", draft.pk),
        {"payee_name": "张三", "bank_name": "北京农商银行", "account_number": "6228 4800 1001 2345 678"},
    )
    draft.refresh_from_db()
    assert draft.account_number == "6228480010012345678" and "6228480010012345678" not in draft.account_encrypted
    page = buyer_client.get(url("account", draft.pk)).content.decode()
    assert draft.account_masked in page and "6228480010012345678" not in page
    # Saving again without retyping the number keeps it.
    buyer_client.post(
        url("account", draft.pk), {"payee_name": "张三", "bank_name": "中国农业银行", "account_number": ""}
    )
    draft.refresh_from_db()
    assert (draft.bank_name, draft.account_number) == ("中国农业银行", "6228480010012345678")


def test_save_and_come_back_later_keeps_what_was_typed_without_asking_for_the_rest(buyer_client, draft):
    response = buyer_client.post(
        url("purchase", draft.pk), {"serial_number": "SN-9", "invoice_price": "", "later": "1"}
    )
    assert response.url == url("tasks", draft.pk)
    draft.refresh_from_db()
    assert (draft.serial_number, draft.invoice_price, draft.invoice_number) == ("SN-9", None, "")
    tasks = {t.key: t.status for t in buyer_client.get(url("tasks", draft.pk)).context["tasks"]}
    assert tasks["purchase"] == "change"
    # Saving properly later still asks for everything.
    response = buyer_client.post(url("purchase", draft.pk), {"serial_number": "SN-9"})
    assert errors_of(response, "invoice_number") == ["required"]


def test_a_draft_keeps_everything_including_files_when_the_buyer_comes_back(login, cast, draft, product):
    client = login(cast["buyer"])
    client.post(url("machine", draft.pk), {"product": product.pk})
    client.post(url("purchase", draft.pk), purchase_data())
    client.post(url("documents", draft.pk), {"kind": "invoice", "invoice-file": image()})
    client.logout()
    client = login(cast["buyer"])
    tasks = {t.key: t.status for t in client.get(url("tasks", draft.pk)).context["tasks"]}
    assert tasks == {
        "buyer": "not_started",
        "machine": "done",
        "purchase": "done",
        "documents": "change",
        "account": "not_started",
        "commitment": "not_started",
    }
    assert client.get(url("purchase", draft.pk)).context["form"]["serial_number"].value() == "SN 2026 0001"


# --- Commitment, check, submit ------------------------------------------------------------------------------


def _complete(client, application, product):
    client.post(url("buyer", application.pk), {"ground": Ground.HOUSEHOLD, "district": application.district_id})
    client.post(url("machine", application.pk), {"product": product.pk})
    client.post(url("purchase", application.pk), purchase_data())
    for kind in REQUIRED:
        client.post(url("documents", application.pk), {"kind": kind, f"{kind}-file": image()})
    client.post(
        url("account", application.pk),
        {"payee_name": "张三", "bank_name": "北京农商银行", "account_number": "6228480010012345678"},
    )


def test_walking_every_step_then_submitting_R29_R41(buyer_client, cast, draft, product):
    _complete(buyer_client, draft, product)
    tasks = buyer_client.get(url("tasks", draft.pk)).context["tasks"]
    assert [t.status for t in tasks] == ["done"] * 5 + ["not_started"]

    letter = buyer_client.get(url("commitment", draft.pk))
    version, _text = commitment_letter()
    response = buyer_client.post(url("commitment", draft.pk), {"accept": "on"})
    assert response.url == url("check", draft.pk)

    check = buyer_client.get(url("check", draft.pk))
    assert check.context["missing"] == [] and check.context["signed"]
    assert check.context["expected"]["total"] == Decimal("18300.00")
    content = check.content.decode()
    assert "¥15,300.00" in content and "¥3,000.00" in content and "¥18,300.00" in content
    for part in ("buyer", "machine", "purchase", "documents", "account", "commitment"):
        assert url(part, draft.pk) in content

    response = buyer_client.post(url("submit", draft.pk))
    assert response.url == url("submitted", draft.pk)
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED and draft.number
    assert draft.commitment_text in letter.content.decode().replace("<br>", "\n")
    assert (draft.commitment_version, draft.commitment_text) == (version, letter.context["letter"])  # as shown
    assert draft.commitment_signed_at is not None
    assert draft.snapshot["grade"]["id"] == product.grade_id and draft.total_amount == Decimal("18300.00")  # R41

    confirmation = buyer_client.get(response.url)
    accept = draft.deadlines.get(step=Step.ACCEPT)
    assert confirmation.context["accept"] == accept
    content = confirmation.content.decode()
    assert draft.number in content and accept.due_on.isoformat() in content


def test_submitting_without_ticking_the_letter_is_refused_R29(buyer_client, draft, product):
    _complete(buyer_client, draft, product)
    response = buyer_client.post(url("commitment", draft.pk), {})
    assert response.status_code == 200 and errors_of(response, "accept") == ["required"]
    response = buyer_client.post(url("submit", draft.pk))
    assert response.url == url("commitment", draft.pk)
    draft.refresh_from_db()
    assert (draft.state, draft.commitment_signed_at, draft.number) == (State.DRAFT, None, None)


def test_an_incomplete_application_is_not_offered_for_submission(buyer_client, draft):
    buyer_client.post(url("commitment", draft.pk), {"accept": "on"})
    check = buyer_client.get(url("check", draft.pk))
    assert check.context["missing"] and url("submit", draft.pk) not in check.content.decode()
    response = buyer_client.post(url("submit", draft.pk))
    assert response.url == url("check", draft.pk)
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_cash_above_5000_is_submitted_and_flagged_for_officials_R28(buyer_client, draft, product):
    _complete(buyer_client, draft, product)
    buyer_client.post(url("purchase", draft.pk), purchase_data(payment_method="cash", invoice_price="8000"))
    assert 'id="cash-warning"' in buyer_client.get(url("check", draft.pk)).content.decode()
    buyer_client.post(url("commitment", draft.pk), {"accept": "on"})
    buyer_client.post(url("submit", draft.pk))
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED
    assert AppWarning.objects.get(application=draft, code="cash_over_5000").rule == "R28"


def test_a_serial_number_already_applied_for_is_refused_with_the_reason_R11(
    buyer_client, cast, submitted, draft, product
):
    submitted(cast["other_buyer"], serial="SN20260001")
    _complete(buyer_client, draft, product)
    buyer_client.post(url("commitment", draft.pk), {"accept": "on"})
    response = buyer_client.post(url("submit", draft.pk), follow=True)
    assert response.redirect_chain == [(url("check", draft.pk), 302)]
    with translation.override("zh-hans"):
        expected = translation.gettext("A machine with this factory serial number has already been applied for.")
    assert expected in [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_a_submitted_application_cannot_be_edited(buyer_client, cast, submitted):
    application = submitted()
    before = (application.serial_number, application.invoice_price)
    for name in ("purchase", "buyer", "account", "commitment"):
        response = buyer_client.post(url(name, application.pk), purchase_data(serial_number="CHANGED"))
        assert response.status_code == 302 and response.url == url("application", application.pk)
    response = buyer_client.post(url("documents", application.pk), {"kind": "invoice", "invoice-file": image()})
    assert response.url == url("application", application.pk)
    application.refresh_from_db()
    assert (application.serial_number, application.invoice_price) == before
    assert application.documents.count() == 4


# --- Progress, return, withdraw ---------------------------------------------------------------------------


def test_the_progress_page_shows_each_step_and_the_next_due_date_R30(buyer_client, cast, submitted):
    application = submitted()
    response = buyer_client.get(url("application", application.pk))
    assert [e.action for e in response.context["events"]] == [EventAction.CREATE, EventAction.SUBMIT]
    accept = application.deadlines.get(step=Step.ACCEPT)
    assert response.context["open_deadlines"] == [accept]
    assert response.context["open_deadlines"][0].days_left == working_days_between(timezone.localdate(), accept.due_on)
    content = response.content.decode()
    assert application.number in content and accept.due_on.isoformat() in content
    assert url("withdraw", application.pk) in content


def test_a_returned_application_says_what_to_fix_and_can_be_amended_and_resubmitted_R30(buyer_client, cast, submitted):
    application = submitted()
    services.return_application(application_id=application.pk, officer=cast["officer"], reason="发票照片看不清,请重拍")
    page = buyer_client.get(url("application", application.pk))
    content = page.content.decode()
    assert "发票照片看不清,请重拍" in content and url("tasks", application.pk) in content

    tasks = buyer_client.get(url("tasks", application.pk))
    assert "发票照片看不清,请重拍" in tasks.content.decode()
    old = Document.objects.get(application=application, kind="invoice")
    buyer_client.post(url("remove_document", application.pk, old.pk))
    buyer_client.post(url("documents", application.pk), {"kind": "invoice", "invoice-file": image("new.jpg")})
    buyer_client.post(url("commitment", application.pk), {"accept": "on"})
    response = buyer_client.post(url("submit", application.pk))
    assert response.url == url("submitted", application.pk)
    application.refresh_from_db()
    assert (application.state, application.return_reason) == (State.SUBMITTED, "")
    assert application.events.filter(action=EventAction.RESUBMIT).count() == 1
    assert application.documents.filter(removed_at__isnull=True, kind="invoice").get().original_name == "new.jpg"


def test_the_buyer_withdraws_with_a_reason_after_confirming_R39(buyer_client, cast, submitted):
    application = submitted()
    page = buyer_client.get(url("withdraw", application.pk))
    assert page.status_code == 200
    application.refresh_from_db()
    assert application.state == State.SUBMITTED  # the confirmation page changes nothing
    response = buyer_client.post(url("withdraw", application.pk), {"reason": "机具退货"})
    assert response.url == url("home")
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    event = application.events.get(action=EventAction.WITHDRAW)
    assert (event.actor, event.reason) == (cast["buyer"], "机具退货")


def test_an_application_under_investigation_cannot_be_withdrawn_R39(buyer_client, cast, submitted):
    application = submitted()
    services.investigate(application_id=application.pk, reason="同一购机者多台预警")
    assert url("withdraw", application.pk) not in buyer_client.get(url("application", application.pk)).content.decode()
    response = buyer_client.post(url("withdraw", application.pk), {"reason": "x"})
    assert response.url == url("application", application.pk)
    application.refresh_from_db()
    assert application.state == State.UNDER_INVESTIGATION
    assert not ApplicationEvent.objects.filter(application=application, action=EventAction.WITHDRAW).exists()


# --- Documents through the access-checked view -------------------------------------------------------------


def test_a_document_is_served_inline_resized_by_default_and_the_original_on_request(buyer_client, draft):
    buyer_client.post(url("documents", draft.pk), {"kind": "nameplate", "nameplate-file": image("n.png", fmt="PNG")})
    document = Document.objects.get()
    response = buyer_client.get(url("document", document.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")
    original = buyer_client.get(url("document", document.pk), {"original": "1"})
    assert original["Content-Type"] == "image/png"
    assert b"".join(original.streaming_content).startswith(b"\x89PNG")


def test_another_buyers_document_is_not_found_but_the_districts_officer_sees_it(login, cast, submitted):
    application = submitted()
    document = application.documents.first()
    assert login(cast["other_buyer"]).get(url("document", document.pk)).status_code == 404
    assert login(cast["other_officer"]).get(url("document", document.pk)).status_code == 404
    assert login(cast["officer"]).get(url("document", document.pk)).status_code == 200


def test_anonymous_cannot_fetch_a_document(client, submitted):
    document = submitted().documents.first()
    response = client.get(url("document", document.pk))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_my_applications_costs_the_same_queries_for_2_and_12_applications(buyer_client, cast, submitted, product):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert buyer_client.get(url("home")).status_code == 200
        return len(captured)

    submitted(serial="A-1")
    services.start_application(buyer=cast["buyer"], district=cast["buyer"].district)
    few = queries()
    for n in range(5):
        submitted(serial=f"B-{n}")
        services.start_application(buyer=cast["buyer"], district=cast["buyer"].district)
    assert len(buyer_client.get(url("home")).context["rows"]) == 12
    assert queries() == few


def test_an_english_reader_signs_the_letter_shown_and_sees_a_translation_beside_it_R29(buyer_client, draft, product):
    _complete(buyer_client, draft, product)
    buyer_client.cookies["django_language"] = "en"
    letter = buyer_client.get(url("commitment", draft.pk))
    with translation.override("en"):
        _version, english = commitment_letter()
    assert letter.context["reading"] == english != letter.context["letter"]
    buyer_client.post(url("commitment", draft.pk), {"accept": "on"})
    buyer_client.post(url("submit", draft.pk))
    draft.refresh_from_db()
    assert draft.commitment_text == letter.context["letter"]


def test_the_district_chosen_at_registration_is_said_not_asked_again_and_only_its_towns_are_offered(
    buyer_client, draft, haidian, changping
):
    """UI.md: a farmer types as little as possible; the town list is the district's own (R4)."""
    Town.objects.create(district=haidian, name="温泉镇")
    Town.objects.create(district=changping, name="兴寿镇")
    body = buyer_client.get(url("buyer", draft.pk)).content.decode()
    assert '<select name="district"' not in body and "海淀区" in body and "?district=change" in body
    assert "温泉镇" in body and "兴寿镇" not in body
    changing = buyer_client.get(url("buyer", draft.pk), {"district": "change"}).content.decode()
    assert '<select name="district"' in changing and "温泉镇" not in changing
    # Another district chosen: its own towns are offered next, and its town is asked for.
    response = buyer_client.post(url("buyer", draft.pk), {"ground": Ground.HOUSEHOLD, "district": changping.pk})
    assert errors_of(response, "town") == ["town_required"]
    body = response.content.decode()
    assert "兴寿镇" in body and "温泉镇" not in body
