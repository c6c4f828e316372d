"""The paths people walk through the catalogue, in Debian's Chromium: a visitor on a phone finds an item and
its amounts; a manufacturer files a product at a desk and the municipal bureau publishes it (R6, R14, R26)."""

import pytest

from catalog import demo
from catalog.models import FilingState, Product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def english(browser, live_server):
    def _page(viewport):
        context = browser.new_context(viewport=viewport, base_url=live_server.url, locale="en-US")
        return context.new_page()

    return _page


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.locator("main input[name=username]").fill(username)
    page.locator("main input[name=password]").fill("demo12345")
    page.locator("main form button[type=submit]").click()


def test_visitor_on_a_phone_finds_an_item_and_its_amounts_R6_R14(english, shot):
    from accounts import demo as accounts_demo

    accounts_demo.seed()
    demo.seed()
    page = english({"width": 390, "height": 844})
    page.goto("/public/catalogue/")
    page.get_by_label("Code or name").fill("2.2.3")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="单粒(精密)播种机").click()
    page.get_by_role("heading", name="Central 2.2.3 单粒(精密)播种机").wait_for()
    assert "Demo data" in page.locator(".demo-note").inner_text()
    assert "4—5行单粒(精密)播种机" in page.content()
    shot(page, "catalog-item-phone-en")


def test_manufacturer_files_and_the_bureau_publishes_R26(english, shot, tmp_path, settings):
    from accounts import demo as accounts_demo

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    accounts_demo.seed()
    demo.seed()
    desk = {"width": 1280, "height": 900}
    page = english(desk)
    sign_in(page, "maker-demo")
    page.goto("/filing/products/new/")
    page.get_by_label("Item code or name").fill("旋耕机")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="1.1.2 旋耕机", exact=True).click()
    page.get_by_label("Grade").select_option(label="Central funds catalogue 1.1.2 旋耕机 — 1.5—2m旋耕机")
    page.get_by_label("Product name").fill("旋耕机")
    page.get_by_label("Model", exact=True).fill("1GQN-160")
    page.get_by_label("Declared key parameters").fill("工作幅宽=1.6m")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Kind").select_option("test_appraisal")
    page.get_by_label("Valid until").fill("2028-12-31")
    pdf = tmp_path / "cert.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.get_by_label("File").set_input_files(str(pdf))
    page.get_by_role("button", name="Attach").click()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Awaiting review").first.wait_for()
    shot(page, "catalog-filing-submitted-desk-en")

    bureau = english(desk)
    sign_in(bureau, "city-agri")
    bureau.goto("/filing/products/")
    bureau.get_by_role("link", name="旋耕机 1GQN-160").click()
    bureau.get_by_role("button", name="Accept").click()
    bureau.get_by_role("button", name="Publish").click()
    bureau.get_by_text("Published", exact=True).first.wait_for()
    shot(bureau, "catalog-filing-published-desk-en")
    product = Product.objects.get(model="1GQN-160")
    assert product.filings.get().state == FilingState.PUBLISHED
    assert product.published_on is not None
