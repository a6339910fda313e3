"""A buyer from Izmir, a city the portal had no row of, signs up in Chromium: Türkiye, then Izmir from
the country's cities the page fetches. Screenshots at 1366 and 390 px wide."""

import pytest
from playwright.sync_api import expect

from matching.demands.models import BuyerOrganisation
from tests import factories
from tests.e2e.pages import browser_session, no_horizontal_overflow, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IZMIR = 311046


@pytest.fixture
def turkiye(db):
    turkiye = factories.CountryFactory(iso_code="TR", name_en="Türkiye", name_ko="튀르키예")
    istanbul = factories.CityFactory(
        country=turkiye, name_en="Istanbul", name_ko="이스탄불", time_zone="Europe/Istanbul"
    )
    factories.TradeCentreFactory(code="istanbul", name_en="KOTRA Istanbul", city=istanbul)
    return turkiye


def _sign_up_from_izmir(page, live_server, width):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.locator("input[name='account-kind'][value='buyer']").check()
    expect(page.locator("fieldset[data-kind='buyer']")).to_be_visible()
    page.fill("#id_buyer-name", "Izmir Metropolitan Municipality")
    page.fill("#id_buyer-name_local", "İzmir Büyükşehir Belediyesi")
    page.locator("#id_buyer-kind").select_option("city")
    page.locator("#id_buyer-city_country").select_option(label="Türkiye")
    city = page.locator("#id_buyer-city")
    # The country's cities arrive from the server: Izmir was never a portal city.
    expect(city.locator(f"option[value='g{IZMIR}']")).to_have_text("Izmir")
    city.select_option(value=f"g{IZMIR}")
    no_horizontal_overflow(page)
    page.locator("#div_id_buyer-city").scroll_into_view_if_needed()
    screenshot(page, f"signup-izmir-{width}.png")
    page.fill("#id_account-first_name", "Ayşe")
    page.fill("#id_account-last_name", "Yılmaz")
    page.fill("#id_account-email", f"ayse.{width}@izmir.example")
    page.fill("#id_account-username", f"ayse{width}")
    page.fill("#id_account-password1", factories.PASSWORD)
    page.fill("#id_account-password2", factories.PASSWORD)
    # A Turkish buyer reads the KVKK notices (the script switched them with the country).
    expect(page.locator("#consents .privacy-notice[data-law='kvkk']").first).to_be_visible()
    expect(page.locator("#consents .privacy-notice[data-law='pipa']").first).to_be_hidden()
    page.locator("#id_consent-processing").check()
    page.locator("#id_consent-transfer").check()
    page.locator("#signup-form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/accounts/")


def test_a_buyer_from_izmir_signs_up_choosing_turkiye_then_izmir(browser, live_server, turkiye):
    with browser_session(browser, width=1366, height=900) as page:
        _sign_up_from_izmir(page, live_server, 1366)
    with browser_session(browser, width=390, height=844) as phone:
        page = phone
        page.goto(f"{live_server.url}/accounts/signup/")
        page.locator("input[name='account-kind'][value='buyer']").check()
        page.fill("#id_buyer-name", "Izmir Water and Sewerage Administration")
        page.locator("#id_buyer-kind").select_option("agency")
        page.locator("#id_buyer-city_country").select_option(label="Türkiye")
        # Izmir is a portal city now: the option is its row, not the data set's entry.
        izmir = BuyerOrganisation.objects.get().city
        expect(page.locator(f"#id_buyer-city option[value='{izmir.pk}']")).to_have_text("Izmir")
        page.locator("#id_buyer-city").select_option(value=str(izmir.pk))
        no_horizontal_overflow(page)
        page.locator("#div_id_buyer-city").scroll_into_view_if_needed()
        screenshot(page, "signup-izmir-390.png")

    organisation = BuyerOrganisation.objects.get()
    assert (organisation.name, organisation.city.name_en, organisation.city.time_zone) == (
        "Izmir Metropolitan Municipality",
        "Izmir",
        "Europe/Istanbul",
    )
    assert organisation.city.country == turkiye
    assert set(organisation.members.get().privacy_consents.values_list("law", flat=True)) == {"kvkk"}
