"""With the cache as in production (sessions read through it, cached_db), a member's own change shows on
their next page, and logging out ends the session for good, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.consultations.test_agendas import bangkok_roadshow
from tests.e2e.pages import no_horizontal_overflow
from tests.e2e.test_match_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_renames_the_company_sees_it_everywhere_at_once_then_logs_out_for_good(
    page, live_server, bangkok_centre, sme_owner, buyer
):
    roadshow = bangkok_roadshow(bangkok_centre, sme_owner.company, buyer.buyer_organisation)
    agenda_url = f"{live_server.url}/events/registrations/{roadshow['sme'].pk}/agenda/"

    log_in(page, live_server, "sme_owner")
    for _ in range(2):  # the second time with the session from the cache
        page.goto(agenda_url)
        expect(page.locator("h1")).to_have_text("Agenda of Seoul Traffic Systems")
        expect(page.locator("main")).to_contain_text("Khon Kaen City Municipality")

    page.goto(f"{live_server.url}/companies/{sme_owner.company.pk}/edit/")
    page.fill("#id_name_en", "Seoul Mobility Labs")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("Your company profile is saved.")

    page.goto(agenda_url)
    expect(page.locator("h1")).to_have_text("Agenda of Seoul Mobility Labs")
    expect(page).to_have_title(re.compile("Seoul Mobility Labs"))
    page.locator("nav .nav-link.dropdown-toggle").click()  # the user menu, not the language menu
    expect(page.locator("nav .dropdown-menu.show")).to_contain_text("Seoul Mobility Labs")

    session_cookie = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/")
    # Even the old session cookie, put back (copied before, say), opens nothing.
    page.context.add_cookies(session_cookie)
    page.goto(agenda_url)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.locator("nav")).not_to_contain_text("sme_owner")
    no_horizontal_overflow(page)
