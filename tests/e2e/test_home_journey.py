"""Everyone's own page after login, in Chromium: a Korean company's member lands on their next roadshow
meeting (in Seoul time and the event's), the request and the messages waiting for them, and follows the
request; Bangkok staff land on their centre's coming event and what it needs from them. Screenshots at
1366 and 390 px wide."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.e2e.pages import browser_session, no_horizontal_overflow, screenshot
from tests.partnering.factories import ConversationFactory, MessageFactory, PartnerRequestFactory
from tests.test_own_pages import _bangkok_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, url, username):
    """Log in from the login page itself (no `next`): the portal then opens the user's own page."""
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.locator("main form button[type=submit]").click()


@pytest.fixture
def busy_member(sme_owner, buyer, bangkok_centre):
    """sme_owner (in Seoul) meets Khon Kaen at 10:00 Bangkok time in three days, Phuket asks a question
    and Chiang Mai wrote a message; a registration for the roadshow waits for Bangkok's staff."""
    sme_owner.time_zone = "Asia/Seoul"
    sme_owner.save()
    day = timezone.localdate() + dt.timedelta(days=3)
    starts = dt.datetime.combine(day, dt.time(3, 0), tzinfo=dt.UTC)  # 10:00 in Bangkok, 12:00 in Seoul
    meeting = _bangkok_meeting(sme_owner.company, buyer.buyer_organisation, bangkok_centre, starts)
    factories.SmeRegistrationFactory(event=meeting.slot.event, status="pending")
    question = PartnerRequestFactory(
        company=sme_owner.company, buyer=factories.BuyerOrganisationFactory(name="Phuket City Municipality")
    )
    chiang_mai = ConversationFactory(
        company=sme_owner.company,
        buyer=factories.BuyerOrganisationFactory(name="Chiang Mai Smart City Office"),
    )
    MessageFactory(conversation=chiang_mai, body="Could you visit our pilot district?")
    return {"day": day, "question": question, "event": meeting.slot.event}


def test_a_member_lands_on_their_next_meeting_and_what_waits_for_them(browser, live_server, busy_member):
    day = busy_member["day"]
    for width in (390, 1366):
        with browser_session(browser, width=width) as page:
            _log_in(page, live_server.url, "sme_owner")
            page.wait_for_url(f"{live_server.url}/accounts/")
            next_meetings = page.locator("section[aria-labelledby=next-heading]")
            expect(next_meetings).to_contain_text("Khon Kaen City Municipality")
            expect(next_meetings).to_contain_text(f"{day:%a} {day.day} {day:%b}, 12:00 (Asia/Seoul)")
            expect(next_meetings).to_contain_text("10:00 local time")
            expect(next_meetings).to_contain_text("Smart City Roadshow Bangkok · T03")
            waiting = page.locator("section[aria-labelledby=waiting-heading]")
            expect(waiting).to_contain_text("Phuket City Municipality")
            expect(waiting).to_contain_text("Chiang Mai Smart City Office · new messages")
            no_horizontal_overflow(page)
            screenshot(page, f"home-member-{width}.png")
            if width == 1366:
                waiting.get_by_role("link", name="Phuket City Municipality").click()
                page.wait_for_url(f"{live_server.url}/partners/{busy_member['question'].pk}/")
                expect(page.locator("main")).to_contain_text("Does your flood sensor work in tidal canals?")


def test_staff_land_on_their_centres_events_and_what_needs_them(
    browser, live_server, busy_member, centre_staff
):
    event = busy_member["event"]
    for width in (390, 1366):
        with browser_session(browser, width=width) as page:
            _log_in(page, live_server.url, "centre_staff")
            page.wait_for_url(f"{live_server.url}/accounts/")
            centre = page.locator("section[aria-labelledby=centre-heading]")
            expect(centre).to_contain_text("KOTRA Bangkok: what needs you")
            row = centre.get_by_role("row", name=event.name)
            expect(row.get_by_role("cell").first).to_have_text("1")  # the registration to confirm
            no_horizontal_overflow(page)
            screenshot(page, f"home-staff-{width}.png")
            if width == 1366:
                row.get_by_role("link", name="1").click()
                page.wait_for_url(f"{live_server.url}/events/{event.pk}/registrations/")
