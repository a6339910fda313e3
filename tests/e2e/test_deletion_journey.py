"""A Thai buyer downloads everything the portal holds about them, asks for their account's deletion, an
admin carries it out in the Django admin, and their past meeting still counts on the results dashboard."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.accounts.models import User
from portal.privacy import services
from portal.privacy.models import REQUIRED_KINDS
from tests import factories
from tests.conftest import empty_cache
from tests.consultations.conftest import meeting_at_t01, past_bangkok_roadshow
from tests.e2e.pages import browser_session, no_horizontal_overflow, screenshot
from tests.e2e.test_match_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def somchai(bangkok_centre):
    """A Udon Thani buyer with PDPA consents and a meeting held at the 2022 Bangkok roadshow."""
    organisation = factories.BuyerOrganisationFactory(
        name="Udon Thani City Municipality",
        city=factories.CityFactory(country=bangkok_centre.city.country, name_en="Udon Thani"),
    )
    user = factories.BuyerMemberFactory(
        username="somchai",
        first_name="Somchai",
        email="somchai@udon.example",
        buyer_organisation=organisation,
    )
    services.consents_give(user=user, law="pdpa", kinds=REQUIRED_KINDS, source="signup")
    event = past_bangkok_roadshow(bangkok_centre)
    _table, meeting = meeting_at_t01(
        event, factories.CompanyFactory(name_en="Hanbit Smart Parking"), organisation
    )
    meeting.status = "held"
    meeting.save()
    return user


def _dashboard_held(page, live_server):
    empty_cache()  # the dashboard's figures are cached for PAGE_CACHE_SECONDS
    page.goto(f"{live_server.url}/dashboard/")
    return page.locator("dl.figures .figure-card", has_text="Held").locator("dd")


def test_a_thai_buyer_downloads_their_data_asks_for_deletion_and_their_meeting_still_counts(
    browser, live_server, somchai
):
    factories.AdminFactory(username="privacy-admin")
    with browser_session(browser, width=1366, height=900) as admin_page:
        log_in_admin(admin_page, live_server)
        expect(_dashboard_held(admin_page, live_server)).to_have_text("1")

        with browser_session(browser, width=1366, height=900) as page:
            log_in(page, live_server, "somchai")
            page.goto(f"{live_server.url}/accounts/privacy/")
            with page.expect_download() as download:
                page.get_by_role("link", name="Download as JSON").click()
            data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
            assert (data["account"]["username"], data["account"]["email"]) == (
                "somchai",
                "somchai@udon.example",
            )

            page.get_by_role("link", name="Ask for deletion").click()
            expect(page.locator("#deletion-warning")).to_contain_text("Kept: your consents and their history")
            screenshot(page, "deletion-request-desktop.png")
            page.set_viewport_size({"width": 390, "height": 844})
            no_horizontal_overflow(page)
            screenshot(page, "deletion-request-phone.png")
            page.fill("#id_password", "not my password")
            page.locator("#deletion-form button[type=submit]").click()
            expect(page.locator("#deletion-form")).to_contain_text("This is not your password.")
            page.fill("#id_password", factories.PASSWORD)
            page.locator("#deletion-form button[type=submit]").click()
            expect(page.locator(".alert-success")).to_contain_text("Your request is recorded")
            expect(page.locator("#deletion-pending")).to_be_visible()

            admin_page.goto(f"{live_server.url}/admin/privacy/deletionrequest/?state__exact=open")
            row = admin_page.locator("#result_list tbody tr", has_text="somchai")
            row.locator("input.action-select").check()
            admin_page.locator("select[name=action]").select_option("carry_out_selected")
            admin_page.locator("button[name=index]").click()
            expect(admin_page.locator(".messagelist")).to_contain_text("1 account erased.")
            screenshot(admin_page, "deletion-request-admin.png")

            page.goto(f"{live_server.url}/accounts/privacy/")
            expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/accounts/privacy/")

        erased = User.objects.get(pk=somchai.pk)
        assert (erased.username, erased.email, erased.first_name) == (
            f"deleted-member-{somchai.pk}",
            "",
            "Deleted member",
        )
        expect(_dashboard_held(admin_page, live_server)).to_have_text("1")
        admin_page.set_viewport_size({"width": 390, "height": 844})
        admin_page.reload()
        no_horizontal_overflow(admin_page)


def log_in_admin(page, live_server):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "privacy-admin")
    page.fill("#id_password", factories.PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")
