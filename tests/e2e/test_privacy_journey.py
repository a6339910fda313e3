"""A Thai buyer signs up in Chromium under the PDPA notices, reads and downloads everything the portal
holds about them, and withdraws the transfer abroad; their organisation then leaves the Korean side's view."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from matching.demands.models import BuyerOrganisation
from matching.demands.selectors import demand_directory
from tests import factories
from tests.e2e.pages import browser_session, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def udon_thani(db):
    thailand = factories.CountryFactory(iso_code="TH", name_en="Thailand", name_ko="태국")
    return factories.CityFactory(country=thailand, name_en="Udon Thani", name_ko="우돈타니")


def test_a_thai_buyer_consents_under_pdpa_downloads_their_data_and_withdraws_the_transfer(
    browser, live_server, udon_thani
):
    with browser_session(browser) as page:
        page.goto(f"{live_server.url}/accounts/signup/")
        page.locator("input[name='account-kind'][value='buyer']").check()
        page.fill("#id_buyer-name", "Udon Thani City Municipality")
        page.locator("#id_buyer-kind").select_option("city")
        page.locator("#id_buyer-city_country").select_option(label="Thailand")
        page.locator("#id_buyer-city").select_option(value=str(udon_thani.pk))
        page.fill("#id_account-first_name", "Somchai")
        page.fill("#id_account-last_name", "Wongsakul")
        page.fill("#id_account-email", "somchai@udon.example")
        page.fill("#id_account-username", "somchai")
        page.fill("#id_account-password1", factories.PASSWORD)
        page.fill("#id_account-password2", factories.PASSWORD)
        pdpa = page.locator("#consents .privacy-notice[data-law='pdpa']")
        expect(pdpa.first).to_be_visible()
        expect(pdpa.first).to_contain_text("Thailand's Personal Data Protection Act B.E. 2562 (PDPA)")
        expect(page.locator("#consents .privacy-notice[data-law='pipa']").first).to_be_hidden()
        page.locator("#consents").scroll_into_view_if_needed()
        screenshot(page, "signup-pdpa-consents.png")
        page.locator("#id_consent-processing").check()
        page.locator("#id_consent-transfer").check()
        page.locator("#signup-form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/accounts/")

        factories.DemandFactory(buyer=BuyerOrganisation.objects.get(), published=True)
        page.goto(f"{live_server.url}/accounts/privacy/")
        expect(page.locator("#consent-transfer .badge")).to_have_text("Given")
        page.get_by_role("link", name="Read it as a page").click()
        expect(page.locator("h1")).to_have_text("Everything the portal holds about you")
        expect(page.locator("body")).to_contain_text("somchai@udon.example")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download as JSON").click()
        data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
        assert data["account"]["username"] == "somchai"
        assert {consent["law"] for consent in data["consents"]} == {"PDPA (Thailand)"}

        assert demand_directory(params={}).qs.count() == 1
        page.goto(f"{live_server.url}/accounts/privacy/")
        page.locator("#consent-transfer").get_by_role("button", name="Withdraw this consent").click()
        expect(page.locator("#consent-transfer .badge")).to_have_text("Withdrawn")
        expect(page.locator(".alert-success")).to_contain_text("Your meetings are kept.")
        screenshot(page, "privacy-transfer-withdrawn.png")

    assert demand_directory(params={}).qs.count() == 0
