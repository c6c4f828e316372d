"""A dealer records a sale at a desk, the buyer on a 390-pixel phone starts the application from it and submits,
touching no field that the sale already filled (issue 13, "Done when"; R11, R29)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application
from applications.workflow import State
from catalog.models import Dealer
from catalog.sale import Sale
from tests.end_to_end.test_apply_to_notice import photo, published_tractor, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SERIAL, INVOICE = "TX554-26-1201", "No.20261201"


@pytest.fixture
def tractor(db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return published_tractor()


def test_dealer_records_a_sale_and_the_buyer_applies_from_it_on_a_phone_R11_R29(
    phone, desk, shot, cast, tractor, tmp_path
):
    dealer = Dealer.objects.create(name="北京测试农机经销公司", credit_code="91110108MA01ABCD1X")
    dealer.members.add(cast["maker"])
    sold_on = timezone.localdate() - timedelta(days=2)

    # --- The dealer, at a desk: record the sale, see its QR code -------------------------------------------
    sign_in(desk, cast["maker"].username, "demo12345")
    desk.goto("/filing/")
    desk.get_by_role("link", name="销售登记").click()
    desk.get_by_role("link", name="登记销售").click()
    desk.get_by_label("机具（产品）").select_option(label="轮式拖拉机 · 北京测试农机有限公司 TX-554")
    desk.get_by_label("出厂编号").fill(SERIAL)
    desk.get_by_label("发票号码").fill(INVOICE)
    desk.get_by_label("销售日期").fill(sold_on.isoformat())
    desk.get_by_label("发票价格（元）").fill("61800")
    desk.get_by_label("购机者居民身份证号码或统一社会信用代码").fill(cast["buyer"].id_number)
    desk.get_by_label("购机者手机号码").fill(cast["buyer"].mobile)
    shot(desk, "sale-01-new-desk")
    desk.get_by_role("button", name="登记这次销售").click()
    expect(desk.locator(".messages")).to_contain_text("销售已登记")
    sale = Sale.objects.get()
    qr = desk.locator(".sale-qr img")
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert qr.evaluate("img => img.naturalWidth") > 0  # drawn, not a broken image under the CSP
    shot(desk, "sale-02-detail-qr-desk")

    # --- The buyer, on a phone: the sale is offered; start from it --------------------------------------
    page = phone
    sign_in(page, cast["buyer"].username, "demo12345")
    page.get_by_role("heading", name="我的申请").wait_for()
    offered = page.locator("#sales-for-you")
    expect(offered).to_contain_text("TX-554")
    shot(page, "sale-03-home-phone")
    offered.locator(f'[data-sale="{sale.pk}"]').click()  # the same page the QR code opens
    expect(page.locator("#sale-facts")).to_contain_text(SERIAL)
    shot(page, "sale-04-sale-phone")
    page.get_by_role("button", name="为这台机具申请补贴").click()
    page.get_by_role("heading", name="申请购置补贴").wait_for()
    application = Application.objects.get(buyer=cast["buyer"])
    assert application.sale_id == sale.pk
    expect(page.locator('[data-task="machine"]')).to_have_attribute("data-status", "done")
    shot(page, "sale-05-tasks-phone")

    tasks = page.locator(".task-list")
    tasks.get_by_role("link", name="购机者信息").click()
    page.get_by_label("户籍所在地").check()
    page.get_by_role("button", name="保存并继续").click()

    # The purchase step: what the sale filled in is there; the buyer adds only what it could not know.
    tasks.get_by_role("link", name="发票和付款").click()
    expect(page.get_by_label("出厂编号")).to_have_value(SERIAL)
    expect(page.get_by_label("发票号码")).to_have_value(INVOICE)
    expect(page.get_by_label("购买日期")).to_have_value(sold_on.isoformat())
    expect(page.get_by_label("发票价格（元）")).to_have_value("61800.00")
    page.get_by_label("生产日期").fill((sold_on - timedelta(days=30)).isoformat())
    page.get_by_label("银行转账").check()
    shot(page, "sale-06-purchase-phone")
    page.get_by_role("button", name="保存并继续").click()
    expect(page.locator('[data-task="purchase"]')).to_have_attribute("data-status", "done")

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
    page.get_by_role("link", name="继续").click()

    tasks.get_by_role("link", name="补贴收款账户").click()
    page.get_by_label("开户银行").fill("中国农业银行北京海淀支行")
    page.get_by_label("银行卡号或账号").fill("6228480010012345678")
    page.get_by_role("button", name="保存并继续").click()

    tasks.get_by_role("link", name="签署告知承诺书").click()
    page.get_by_label("本人已阅读告知承诺书，承诺购机行为、发票和价格真实").check()
    page.get_by_role("button", name="签署并继续").click()
    page.get_by_role("heading", name="提交前请核对填写内容").wait_for()
    expect(page.locator("#missing")).to_have_count(0)
    expect(page.locator("#part-purchase")).to_contain_text(SERIAL)
    page.get_by_role("button", name="提交申请").click()
    page.get_by_role("heading", name="申请已提交").wait_for()
    application.refresh_from_db()
    assert application.state in (State.SUBMITTED, State.PREREGISTERED)
    assert (application.serial_number, application.invoice_number, application.purchase_date) == (
        SERIAL,
        INVOICE,
        sold_on,
    )
