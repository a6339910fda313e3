"""Thai and Turkish pages in Chromium: a Thai buyer's catalogue and own page in Thai, a Turkish member's
in Turkish, at 390 and 1366 px; the menu's language switch offers all four. Nothing scrolls sideways, and
the screenshots show the script (Debian's Thai fonts, installed by .ci/run)."""

import pytest
from playwright.sync_api import expect

from portal.accounts.models import User
from tests.consultations.test_catalogue import _fresh_index, fair, words  # noqa: F401 (fixtures)
from tests.e2e.pages import browser_session, no_horizontal_overflow, screenshot
from tests.e2e.test_home_journey import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("language", "heading"), [("th", "บริษัทเกาหลี"), ("tr", "Koreli")])
def test_a_buyer_reads_the_catalogue_and_own_page_in_their_language(
    browser, live_server, fair, buyer, language, heading
):
    User.objects.filter(pk=buyer.pk).update(language=language)
    for width in (390, 1366):
        with browser_session(browser, width=width) as page:
            _log_in(page, live_server.url, "buyer")
            page.wait_for_url(f"{live_server.url}/accounts/")
            expect(page.locator("html")).to_have_attribute("lang", language)
            no_horizontal_overflow(page)
            screenshot(page, f"home-{language}-{width}.png")

            page.goto(f"{live_server.url}/events/{fair['event'].pk}/meet/")
            expect(page.locator("h1")).to_contain_text(heading)
            expect(page.locator("article.participant-card")).to_have_count(3)
            no_horizontal_overflow(page)
            screenshot(page, f"catalogue-{language}-{width}.png")
            if width == 1366:
                page.locator(".language-menu .dropdown-toggle").click()
                expect(page.locator(".language-menu .dropdown-item")).to_have_text(
                    ["한국어", "English", "ภาษาไทย", "Türkçe"]
                )
