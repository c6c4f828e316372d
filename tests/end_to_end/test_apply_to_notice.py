"""From sign-up to a passed public notice, in Debian's Chromium (issue 5, "Done when").

A farmer registers on a 390-pixel phone, fills every part of the task list and signs the commitment letter
(R29); the Haidian officer, at a desk, accepts (R30), records a documents-only verification (R32, R33) and opens
the public notice, which the public sees with the name masked (R34); the clock then moves past the notice's 5th
working day over National Day, the beat sweep closes it, and the buyer reads "notice passed" with the hand-over
to finance as the next step (R34, R35).
"""

import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from PIL import Image
from playwright.sync_api import expect

from accounts.models import District, User
from applications.models import Application, DistrictRule, Step
from applications.sweep import sweep
from applications.workflow import State
from catalog.grading import parse_parameters
from catalog.models import Certificate, CertificateKind, Item, Manufacturer, PriceSource, Product
from catalog.services import create_grade, record_market_price, set_amount
from tests.conftest import texted_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
NAME, MOBILE, ID_NUMBER, PASSWORD = "李春生", "13611112222", "11010519491231002X", "spring-sowing-26"
MASKED = "李**"  # accounts.crypto.mask_name: the surname, then one star per further character
SERIAL = "TX554-26-0917"


def published_tractor() -> Product:
    """A published tractor, qualified today (tests/applications/conftest.py ``make_product``, which cannot be
    imported under importlib mode): its grade, the central and municipal amounts, a valid test certificate."""
    start = date(2024, 1, 1)
    item = Item.objects.get(scope="central", code="16.1.1")
    # Not a plate-and-licence machine here, so the district's sample ratio decides the method (R32).
    Item.objects.filter(pk=item.pk).update(
        plate_licence=False, is_high_risk=False, is_installation=False, is_complete_set=False
    )
    item.refresh_from_db()
    grade = create_grade(
        item=item,
        name="55—60马力两轮驱动拖拉机",
        parameters=parse_parameters("55马力≤功率<60马力;驱动方式:两轮驱动"),
        valid_from=start,
    )
    for fund, amount, ratio in (("central", "15300", "0.15"), ("municipal", "3000", "0.35")):
        price = record_market_price(
            grade=grade, year=2023, average_price=Decimal("120000"), source=PriceSource.SUBSIDY_DATA
        )
        set_amount(
            grade=grade,
            fund_source=fund,
            amount=Decimal(amount),
            ratio=Decimal(ratio),
            market_price=price,
            valid_from=start,
        )
    maker, _ = Manufacturer.objects.get_or_create(
        name="北京测试农机有限公司", defaults={"credit_code": "91110000600037341L"}
    )
    product = Product.objects.create(
        manufacturer=maker, item=item, grade=grade, name="轮式拖拉机", model="TX-554", published_on=start
    )
    Certificate.objects.create(
        product=product,
        kind=CertificateKind.TEST_APPRAISAL,
        number="T-1",
        valid_from=date(2023, 1, 1),
        valid_until=date(2030, 12, 31),
    )
    return product


def photo(folder, name: str, colour) -> str:
    """A small real JPEG on disk, for the file inputs."""
    path = folder / name
    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return str(path)


def sign_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名或手机号码").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


@pytest.fixture
def tractor(db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    haidian = District.objects.get(code="110108")
    # No sample draw in Haidian: the proposed method is documents-only, so the walk is the same every run.
    rules = DistrictRule.objects.filter(district=haidian)
    if not rules.exists():
        DistrictRule.objects.create(district=haidian, valid_from=date(2024, 1, 1))
    rules.update(sample_ratio=Decimal("0"), required_work="")
    return published_tractor()


def test_buyer_goes_from_sign_up_to_a_passed_notice_R29_R30_R32_R33_R34(
    phone, desk, browser, live_server, shot, cast, tractor, tmp_path
):
    with time_machine.travel("2026-09-28 09:00 +0800", tick=True) as traveller:  # a Monday before National Day
        # --- The buyer, on a phone: sign up ------------------------------------------------------------------
        page = phone
        page.goto("/")
        page.get_by_role("link", name="注册").first.click()
        page.get_by_label("个人农民").check()
        page.get_by_label("真实姓名或组织的完整登记名称").fill(NAME)
        page.get_by_label("居民身份证号码").fill(ID_NUMBER)
        page.get_by_label("所在区").select_option(label="海淀区")
        page.get_by_label("手机号码").fill(MOBILE)
        page.get_by_label("密码", exact=True).fill(PASSWORD)
        page.get_by_label("再次输入密码").fill(PASSWORD)
        page.get_by_role("button", name="继续").click()
        page.get_by_role("heading", name="确认手机号码").wait_for()  # the code texted to the mobile number (R3)
        page.get_by_label("验证码").fill(texted_code())
        page.get_by_role("button", name="创建账户").click()
        page.get_by_role("heading", name="我的申请").wait_for()
        buyer = User.objects.get(display_name=NAME)

        # --- Start an application: the task list ----------------------------------------------------------
        page.get_by_role("button", name="开始新的申请").click()
        page.get_by_role("heading", name="申请购置补贴").wait_for()
        application = Application.objects.get(buyer=buyer)
        tasks = page.locator(".task-list")
        shot(page, "apply-to-notice-01-tasks-phone")

        # 1. Buyer details: the ground and the district (R4).
        tasks.get_by_role("link", name="购机者信息").click()
        page.get_by_label("户籍所在地").check()
        expect(page.locator("#field-district")).to_contain_text("海淀区")  # chosen at registration: not asked again
        page.get_by_role("button", name="保存并继续").click()
        expect(page.locator('[data-task="buyer"]')).to_have_attribute("data-status", "done")

        # 2. The machine, found by part of its model.
        tasks.get_by_role("link", name="机具信息").click()
        page.get_by_label("型号、生产企业或品目").fill("TX-55")
        page.get_by_role("button", name="搜索").click()
        expect(page.locator(".result")).to_have_count(1)
        shot(page, "apply-to-notice-02-machine-search-phone")
        page.get_by_role("button", name="选择 轮式拖拉机 TX-554").click()
        expect(page.locator('[data-task="machine"]')).to_have_attribute("data-status", "done")

        # 3. Invoice and payment.
        tasks.get_by_role("link", name="发票和付款").click()
        page.get_by_label("出厂编号").fill(SERIAL)
        page.get_by_label("生产日期").fill("2026-07-15")
        page.get_by_label("购买日期").fill("2026-09-20")
        page.get_by_label("发票号码").fill("04481234")
        page.get_by_label("发票价格（元）").fill("62000")
        page.get_by_label("银行转账").check()
        shot(page, "apply-to-notice-03-purchase-phone")
        page.get_by_role("button", name="保存并继续").click()
        expect(page.locator('[data-task="purchase"]')).to_have_attribute("data-status", "done")

        # 4. Photos and scans: real JPEG files through the file inputs.
        tasks.get_by_role("link", name="照片和扫描件").click()
        for kind, colour in (
            ("invoice", (240, 240, 230)),
            ("nameplate", (90, 90, 100)),
            ("machine", (40, 120, 60)),
            ("identity", (200, 210, 240)),
        ):
            section = page.locator(f"#kind-{kind}")
            section.locator("input[type=file]").set_input_files(photo(tmp_path, f"{kind}.jpg", colour))
            section.get_by_role("button", name="上传").click()
            expect(page.locator(f"#kind-{kind}")).to_have_attribute("data-count", "1")
        expect(page.locator(".doc-section .tag-ok")).to_have_count(4)
        shot(page, "apply-to-notice-04-documents-phone")
        page.get_by_role("link", name="继续").click()
        expect(page.locator('[data-task="documents"]')).to_have_attribute("data-status", "done")

        # 5. The bank account, in the buyer's own name (filled in for them).
        tasks.get_by_role("link", name="补贴收款账户").click()
        expect(page.get_by_label("账户名称")).to_have_value(NAME)
        page.get_by_label("开户银行").fill("中国农业银行北京海淀支行")
        page.get_by_label("银行卡号或账号").fill("6228 4800 1001 2345 678")
        page.get_by_role("button", name="保存并继续").click()
        expect(page.locator('[data-task="account"]')).to_have_attribute("data-status", "done")

        # 6. The commitment letter (R29): read, tick, sign; it leads to the check page.
        tasks.get_by_role("link", name="签署告知承诺书").click()
        letter = page.locator("#commitment-letter").inner_text()
        page.get_by_label("本人已阅读告知承诺书，承诺购机行为、发票和价格真实").check()
        shot(page, "apply-to-notice-05-commitment-phone")
        page.get_by_role("button", name="签署并继续").click()

        # Check your answers, then submit.
        page.get_by_role("heading", name="提交前请核对填写内容").wait_for()
        expect(page.locator("#missing")).to_have_count(0)
        expect(page.locator("#part-purchase")).to_contain_text(SERIAL)
        expect(page.locator("#part-account")).to_contain_text("5678")
        expect(page.locator("#part-account")).not_to_contain_text("6228480010012345678")
        expect(page.locator("#part-commitment")).to_contain_text("已签署")
        expect(page.locator("#part-subsidy [data-total]")).to_have_attribute("data-total", "18300.00")
        shot(page, "apply-to-notice-06-check-phone")
        page.get_by_role("button", name="提交申请").click()

        # The confirmation: the number, and the district's 2 working days (09-29, 09-30).
        page.get_by_role("heading", name="申请已提交").wait_for()
        application.refresh_from_db()
        assert application.state == State.SUBMITTED
        assert application.number == f"2026-110108-{application.pk:07d}"
        expect(page.locator("#application-number")).to_have_text(application.number)
        expect(page.locator(".steps")).to_contain_text("2026-09-30")
        shot(page, "apply-to-notice-07-submitted-phone")
        # R29: the exact text shown is stored with the signer's application.
        assert " ".join(application.commitment_text.split()) in " ".join(letter.split())
        assert application.commitment_signed_at is not None

        # --- The Haidian officer, at a desk: accept, verify, publish ----------------------------------------
        office = desk
        sign_in(office, cast["officer"].username, "demo12345")
        office.get_by_role("heading", name="海淀区农业农村部门").wait_for()
        office.goto("/office/applications/")
        office.get_by_role("link", name=application.number).click()
        office.locator("form[action$='/accept/'] textarea").fill("材料齐全，予以受理")
        shot(office, "apply-to-notice-08-office-detail-desk")
        office.locator("form[action$='/accept/']").get_by_role("button", name="受理").click()
        expect(office.locator(".messages")).to_contain_text(f"申请 {application.number} 已受理。")

        office.get_by_role("link", name=application.number).click()
        decision = office.locator(".decision-panel")
        expect(decision).to_contain_text("建议核验方式（附件1第四条(六)）： 仅核验材料（未抽中）")  # sample ratio 0
        verify = office.locator("form[action$='/verify/']")
        expect(verify.get_by_label("核验方式")).to_have_value("documents")
        expect(verify.get_by_label("核验日期")).to_have_value("2026-09-28")
        verify.get_by_label("核验情况").fill("发票、铭牌与机具照片一致，出厂编号核对无误")
        verify.get_by_label("通过：机具与申请一致").check()
        shot(office, "apply-to-notice-09-verify-desk")
        verify.get_by_role("button", name="登记核验结果").click()
        expect(office.locator(".messages")).to_contain_text(f"已登记申请 {application.number} 的核验结果。")

        office.get_by_role("link", name=application.number).click()
        office.locator("form[action$='/notice/']").get_by_role("button", name="开始公示").click()
        expect(office.locator(".messages")).to_contain_text(f"申请 {application.number} 开始公示，为期5个工作日。")
        shot(office, "apply-to-notice-10-queue-desk")

        # --- The public notice, as anyone sees it on a phone: the name masked (R34) -------------------------
        public = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="zh-CN").new_page()
        public.goto("/public/notices/")
        row = public.locator(".notice-table tbody tr", has_text=application.number)
        expect(row).to_have_count(1)
        expect(row.locator('[data-label="购机者"]')).to_have_text(MASKED)
        expect(row).to_contain_text("2026-09-28 – 2026-10-10")
        shot(public, "apply-to-notice-11-public-notice-phone")
        listing = public.locator("main").inner_text()
        assert NAME not in listing and MASKED in listing
        assert MOBILE not in listing and ID_NUMBER not in listing
        public.context.close()

        # --- The clock moves over National Day ------------------------------------------------------------
        # Working days of the notice: 09-29, 09-30, (10-01..10-07 off), 10-08, 10-09, Saturday 10-10 (worked).
        traveller.move_to("2026-10-10 23:55 +0800")
        assert sweep().notices_closed == []  # its 5th working day: still open
        # Beat runs every few minutes: its first sweep after the 5th working day is just after midnight on 10-11.
        # The hand-over clock counts from the notice's last day, whenever the sweep runs.
        traveller.move_to("2026-10-11 00:05 +0800")
        assert sweep().notices_closed == [application.pk]
        traveller.move_to("2026-10-12 09:00 +0800")  # Monday: the buyer looks

        # --- The buyer, two weeks on: a fresh sign-in, the timeline ----------------------------------------
        page.context.clear_cookies()
        sign_in(page, MOBILE, PASSWORD)
        page.get_by_role("heading", name="我的申请").wait_for()
        page.locator(f'a.app-card[data-application="{application.pk}"]').click()
        expect(page.locator("#state")).to_have_text("公示期满，待移交财政部门")
        progress = page.locator(".progress-steps")
        expect(progress.locator("li.done")).to_have_count(6)
        expect(progress.locator('li.done[data-action="close_notice"]')).to_contain_text("公示期满无异议")
        upcoming = progress.locator('li.next[data-step="hand_over"]')
        expect(upcoming).to_contain_text("下一步： 移交兑付（5个工作日）")
        expect(upcoming).to_contain_text("2026-10-16")
        expect(upcoming).to_contain_text("剩余 4 个工作日")  # 10-13, 10-14, 10-15, 10-16
        # The buyer's own photos, through the view that checks who may see them (lazy images: scroll first).
        page.locator(".thumbs").scroll_into_view_if_needed()
        page.wait_for_function(
            "[...document.querySelectorAll('.thumbs img')].every(i => i.complete && i.naturalWidth > 0)"
        )
        expect(page.locator(".thumbs img")).to_have_count(4)
        shot(page, "apply-to-notice-12-notice-passed-phone")

    # --- What the database keeps ---------------------------------------------------------------------------
    application.refresh_from_db()
    assert application.state == State.NOTICE_PASSED
    assert list(application.events.order_by("at", "pk").values_list("action", flat=True)) == [
        "create",
        "submit",
        "accept",
        "verify_pass",
        "open_notice",
        "close_notice",
    ]
    assert application.verifications.get().method == "documents"
    hand_over = application.deadlines.get(step=Step.HAND_OVER, met_at__isnull=True)
    assert (hand_over.started_on, hand_over.due_on) == (date(2026, 10, 10), date(2026, 10, 16))
