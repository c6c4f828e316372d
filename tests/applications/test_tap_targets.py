"""On a phone every control a buyer taps is at least 44 px high (UI.md: the farmer on a phone; WCAG 2.5.5), on
every buyer and public page of an application's life: sign-in, registration, the task list and each step, the
check-your-answers page and the timeline (R29)."""

import pytest

from applications import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CONTROLS = """() => Array.from(document.querySelectorAll(
  'main button, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select, main .button,'
  + ' main .choices label, .site-header a, .site-header button, main .actions a, main .pagination a'
)).filter(e => e.offsetParent !== null).map(e => [Math.round(e.getBoundingClientRect().height * 10) / 10,
  e.outerHTML.slice(0, 90)])"""


def _small_controls(page, path):
    page.goto(path)
    return [(path, height, html) for height, html in page.evaluate(CONTROLS) if height < 44]


def test_every_control_on_the_buyer_pages_is_44_px_high_on_a_phone_R29(browser, live_server, cast, product, fill):
    draft = fill(services.start_application(buyer=cast["buyer"], district=cast["buyer"].district), product)
    submitted = services.start_application(buyer=cast["buyer"], district=cast["buyer"].district)
    submitted = services.submit_application(
        application_id=fill(submitted, product, serial="SN-TAP-2").pk, buyer=cast["buyer"], accept_commitment=True
    )
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, base_url=live_server.url
    )
    page = context.new_page()
    small = []
    for path in ("/public/", "/accounts/login/", "/accounts/register/"):
        small += _small_controls(page, path)
    page.goto("/accounts/login/")
    page.locator("main input[name=username]").fill(cast["buyer"].username)
    page.locator("main input[name=password]").fill("demo12345")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/apply/")
    steps = ("tasks", "buyer", "machine", "purchase", "documents", "account", "commitment", "check")
    removing = f"/apply/{draft.pk}/documents/{draft.documents.first().pk}/remove/"
    for path in ["/apply/", *(f"/apply/{draft.pk}/{step}/" for step in steps), removing, f"/apply/{submitted.pk}/"]:
        small += _small_controls(page, path)
    context.close()
    assert small == [], "\n".join(map(str, small))
