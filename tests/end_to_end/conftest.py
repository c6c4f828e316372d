"""Browser tests: the viewports people use (the browser itself is in tests/conftest.py)."""

import pytest

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, base_url=live_server.url, locale="zh-CN"
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desk(browser, live_server):
    context = browser.new_context(viewport=DESK, base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()
