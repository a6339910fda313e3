"""The roadshow catalogue in Chromium: a Thai buyer narrows the Korean companies at a roadshow to one
category, shortlists the best fit, reads only the shortlist and asks for a meeting from the card; staff
then review the event's suggested pairs as the same cards. Screenshots at 1366 and 390 px wide."""

import pytest
from playwright.sync_api import expect

from tests.consultations.test_catalogue import _fresh_index, fair, words  # noqa: F401 (fixtures)
from tests.e2e.pages import browser_session, no_horizontal_overflow, screenshot
from tests.e2e.test_partner_journey import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_buyer_filters_shortlists_and_requests_from_the_catalogue(browser, live_server, fair):
    meet = f"{live_server.url}/events/{fair['event'].pk}/meet/"
    with browser_session(browser, width=1366) as page:
        _log_in(page, live_server.url, "buyer")
        page.goto(meet)
        cards = page.locator("article.participant-card")
        expect(cards).to_have_count(3)
        expect(cards.first).to_contain_text("Hanriver Flood Alert")
        scores = [int(score) for score in cards.locator(".match-score-value").all_inner_texts()]
        assert scores == sorted(scores, reverse=True) and scores[0] >= 70  # best fit first: a strong fit
        screenshot(page, "catalogue-buyer-1366.png")

        page.get_by_label("Category").select_option(label="Disaster response")
        page.get_by_role("button", name="Apply").click()
        expect(cards).to_have_count(2)
        cards.first.get_by_role("button", name="Shortlist").click()
        expect(page.locator("main .alert-success")).to_contain_text(
            "Hanriver Flood Alert is on your shortlist."
        )
        expect(page.get_by_label("Category")).to_have_value("disaster-response")  # the filters are kept

        page.get_by_label("Show").select_option(label="My shortlist only")
        page.get_by_role("button", name="Apply").click()
        expect(cards).to_have_count(1)
        card = cards.first
        expect(card.get_by_role("button", name="On your shortlist (remove)")).to_be_visible()
        card.get_by_label("Priority").select_option(label="Must meet")
        card.get_by_role("button", name="Request a meeting").click()
        expect(page.locator("main .alert-success")).to_contain_text(
            "Your request is sent to Hanriver Flood Alert"
        )
        expect(cards.first).to_contain_text("Awaiting answer · Must meet")

    with browser_session(browser, width=390, height=844) as phone:
        _log_in(phone, live_server.url, "buyer")
        phone.goto(meet)
        expect(phone.locator("article.participant-card")).to_have_count(3)
        expect(phone.get_by_role("button", name="Filters")).to_be_visible()  # folded on a phone
        no_horizontal_overflow(phone)
        screenshot(phone, "catalogue-buyer-390.png")


def test_staff_review_the_suggested_pairs_as_cards(browser, live_server, fair, centre_staff):
    suggestions = f"{live_server.url}/events/{fair['event'].pk}/suggestions/"
    for width in (390, 1366):  # the request last: it drops the pair
        with browser_session(browser, width=width) as page:
            _log_in(page, live_server.url, "centre_staff")
            page.goto(suggestions)
            cards = page.locator("article.suggestion-card")
            expect(cards).to_have_count(2)
            expect(cards.first).to_contain_text("Hanriver Flood Alert")
            expect(cards.first).to_contain_text("Khon Kaen City Municipality")
            expect(cards.first.locator(".match-reasons li").first).to_contain_text("Problem matched")
            no_horizontal_overflow(page)
            screenshot(page, f"suggestions-{width}.png")
            if width == 1366:
                cards.first.get_by_role("button", name="Request this meeting").click()
                expect(page.locator("main .alert-success")).to_be_visible()
                expect(cards).to_have_count(1)
