"""A Korean member mistypes the password five times: the portal pauses logins for that name from that
network, in Korean, while a colleague on the same network still logs in; on a phone the page fits."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.pages import browser_session, no_horizontal_overflow, screenshot
from tests.e2e.test_match_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_five_wrong_passwords_pause_that_login_but_not_a_colleagues(
    browser, live_server, sme_owner, stranger
):
    with browser_session(browser, locale="ko-KR", width=390, height=844) as page:
        page.goto(f"{live_server.url}/accounts/login/")
        for attempt in range(5):
            page.fill("#id_username", "sme_owner")
            page.fill("#id_password", f"wrong-{attempt}")
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
            if attempt < 4:  # the form again, the name kept, the password emptied
                expect(page.locator("#id_username")).to_have_value("sme_owner")
                expect(page.locator("#id_password")).to_have_value("")

        expect(page.locator("h1")).to_have_text("로그인 시도가 너무 많습니다")
        expect(page.locator("main")).to_contain_text("15분 동안 로그인이 중지됩니다")
        no_horizontal_overflow(page)
        screenshot(page, "login-locked-ko-phone.png")

        # The right password now changes nothing for this name from this network.
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "sme_owner")
        page.fill("#id_password", factories.PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page.locator("h1")).to_have_text("로그인 시도가 너무 많습니다")

    with browser_session(browser) as colleague_page:
        log_in(colleague_page, live_server, "stranger")
        expect(colleague_page.locator("nav")).to_contain_text("My organisation")
