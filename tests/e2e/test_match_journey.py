"""From a match to a meeting request, in Chromium.

KOTRA Bangkok's staff open Khon Kaen's flood listing's matches (the fit first, each score explained in one
line, the decoy among the weaker matches), ask for a meeting with the best-fitting company at their
roadshow (both are registered), and that company's member finds the request on the organisation page,
with the one listing that fits it counted as its matches page counts it.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from matching.consultations.booking.models import MeetingRequest
from tests import factories
from tests.e2e.pages import another_browser
from tests.recommendations import (
    FLOOD_REASONS,
    decoy_company,
    flood_company,
    flood_listing,
    vocabulary,
)
from tests.recommendations.conftest import _fresh_index  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVENT = "Bangkok Smart City Roadshow 2025"
KHON_KAEN = "Khon Kaen City Municipality"


@pytest.fixture
def roadshow(bangkok_centre, buyer, centre_staff):
    """Khon Kaen's flood listing, a company that fits it and a decoy, all registered to a Bangkok event."""
    words = vocabulary()
    listing = flood_listing(buyer.buyer_organisation, words)
    flood_alert = flood_company(words)
    member = factories.SmeMemberFactory(username="jiwoo", email="jiwoo@hanriver.example", company=flood_alert)
    decoy = decoy_company(words)
    event = factories.EventFactory(
        name=EVENT,
        city=bangkok_centre.city,
        organising_centre=bangkok_centre,
        start_date=timezone.localdate() + dt.timedelta(days=60),
    )
    factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation)
    factories.SmeRegistrationFactory(event=event, company=flood_alert)
    factories.SmeRegistrationFactory(event=event, company=decoy)
    return {"listing": listing, "member": member, "event": event}


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/accounts/")  # everyone lands on their own page


def test_bangkok_staff_request_a_meeting_from_the_matches_page_and_the_company_sees_it_on_its_page(
    page, browser, live_server, roadshow, centre_staff
):
    matches_url = f"{live_server.url}/demands/{roadshow['listing'].pk}/matches/"
    log_in(page, live_server, "centre_staff")
    page.goto(matches_url)

    cards = page.locator("article.match-card")
    expect(cards.locator("h2 a")).to_have_text(["Hanriver Flood Alert", "Decoy Drone Works"])
    expect(cards.first.locator(".match-reasons li")).to_have_text(FLOOD_REASONS)
    expect(page.locator("main .match-count")).to_have_text("1 company fits, scoring 30 of 100 or more.")
    expect(cards.first.locator(".match-summary")).to_have_text(
        # The thesaurus: the listing's flood warning and the sirens' flood early warning are one concept.
        "94 of 100, a strong fit: 60 of 60 points for answering the problem, 34 of 40 for suiting the buyer."
    )
    expect(page.get_by_role("region", name="Weaker matches").locator("h2 a")).to_have_text(
        ["Decoy Drone Works"]
    )
    cards.first.get_by_role("button", name=f"Request a meeting at {EVENT}").click()

    page.wait_for_url(matches_url)
    expect(page.locator("main .alert-success")).to_have_text(
        f"Meeting requested: Hanriver Flood Alert and {KHON_KAEN}."
    )
    meeting_request = MeetingRequest.objects.get()
    assert (meeting_request.sme.company.name_en, meeting_request.buyer.buyer.name) == (
        "Hanriver Flood Alert",
        KHON_KAEN,
    )
    assert (meeting_request.status, meeting_request.requested_by) == (
        MeetingRequest.Status.PENDING,
        centre_staff,
    )

    with another_browser(browser) as member_page:
        log_in(member_page, live_server, "jiwoo")
        member_page.goto(f"{live_server.url}/accounts/")
        requests = member_page.locator("section[aria-labelledby=requests-heading]")
        expect(requests.get_by_role("heading")).to_have_text("Meeting requests")
        expect(requests.locator("li")).to_have_count(1)
        expect(requests.locator("li")).to_contain_text(f"{KHON_KAEN} · {EVENT} · Would like to meet")
        expect(requests.locator("li .badge")).to_have_text("Awaiting answer")
        fits = member_page.locator("section[aria-labelledby=fits-heading]")
        expect(fits.get_by_role("heading")).to_have_text("1 open listing fits you")
        expect(fits.locator("li")).to_have_text(
            ["Flood early warning for Khon Kaen · Khon Kaen · fit 94 of 100"]
        )
        fits.get_by_role("link", name="See them with the reasons").click()
        expect(member_page.locator("main .match-count")).to_have_text(
            "1 open listing fits, scoring 30 of 100 or more."
        )
        expect(member_page.locator("article.match-card h2 a")).to_have_text(
            ["Flood early warning for Khon Kaen"]
        )
