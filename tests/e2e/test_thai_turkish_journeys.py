"""A Thai and a Turkish buyer, each in their own language, in Chromium: sign up (Khon Kaen, Gaziantep from
the bundled cities), receive the approval e-mail in their language, write a listing in their language and
English, and find a Korean company, written in Korean and English only, by a word of their language.
Screenshots at 1366 and 390 px wide."""

import re

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from matching.companies.services import company_search_refresh
from matching.demands.models import BuyerOrganisation, Demand
from matching.kernel.approvals import organisation_review
from matching.kernel.models import ApprovalStatus
from tests import factories
from tests.e2e.pages import browser_session, no_horizontal_overflow, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUYERS = {
    "th": {
        "locale": "th-TH",
        "country": "TH",
        "geonames_id": 1609776,  # Khon Kaen
        "time_zone": "Asia/Bangkok",
        "name": "Khon Kaen City Municipality",
        "name_local": "เทศบาลนครขอนแก่น",
        "first_name": "สมชาย",
        "title": "ระบบเตือนภัยน้ำท่วมสำหรับตลาดกลางคืน",
        "problem": "น้ำท่วมฉับพลันไหลเข้าถึงแผงค้าในตลาดก่อนที่ใครจะได้รับการเตือน",
        "query": "น้ำท่วม",
        "country_name": "ประเทศไทย",
        "law": "pdpa",
    },
    "tr": {
        "locale": "tr-TR",
        "country": "TR",
        "geonames_id": 314830,  # Gaziantep
        "time_zone": "Europe/Istanbul",
        "name": "Gaziantep Metropolitan Municipality",
        "name_local": "Gaziantep Büyükşehir Belediyesi",
        "first_name": "Ayşe",
        "title": "Pazar yerleri için sel erken uyarı sistemi",
        "problem": "Ani seller, kimse uyarılmadan pazar tezgâhlarına ulaşıyor.",
        "query": "sel",
        "country_name": "Türkiye",
        "law": "kvkk",
    },
}
ENGLISH_TITLE = "Flood warning for the market places"
ENGLISH_PROBLEM = "Flash floods reach the market stalls before anyone is warned."


@pytest.fixture
def korean_company(db):
    """Korea, Thailand and Türkiye; an approved Korean company whose flood sensors are described in Korean
    and English only."""
    korea = factories.CountryFactory(iso_code="KR", name_en="Republic of Korea", name_ko="대한민국")
    factories.CountryFactory(iso_code="TH", name_en="Thailand", name_ko="태국", name_th="ประเทศไทย")
    factories.CountryFactory(iso_code="TR", name_en="Türkiye", name_ko="튀르키예", name_tr="Türkiye")
    seoul = factories.CityFactory(country=korea, name_en="Seoul", name_ko="서울", time_zone="Asia/Seoul")
    flood = factories.CategoryFactory(
        slug="disaster-response", name_en="Disaster response", name_ko="재난 대응"
    )
    company = factories.CompanyFactory(
        name_en="Dasom Safety IoT",
        name_ko="다솜세이프티",
        headquarters=seoul,
        description_ko="홍수·지진 감지 IoT 센서와 경보 플랫폼",
        description_en="IoT sensors and sirens that warn of floods and earthquakes.",
        approval_status=ApprovalStatus.APPROVED,
    )
    factories.SolutionFactory(
        company=company,
        name_en="Flood siren network",
        name_ko="홍수 사이렌망",
        problem_solved_en="Low-lying districts flood within minutes of a cloudburst.",
        categories=[flood],
    )
    company_search_refresh(company=company)
    return {"company": company, "category": flood}


def _sign_up(page, url, language, buyer):
    page.goto(f"{url}/accounts/signup/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("input[name='account-kind'][value='buyer']").check()
    page.fill("#id_buyer-name", buyer["name"])
    page.fill("#id_buyer-name_local", buyer["name_local"])
    page.locator("#id_buyer-kind").select_option("city")
    page.locator("#id_buyer-city_country").select_option(label=buyer["country_name"])
    page.locator("#id_buyer-city").select_option(value=f"g{buyer['geonames_id']}")
    page.fill("#id_account-first_name", buyer["first_name"])
    page.fill("#id_account-last_name", "Test")
    page.fill("#id_account-email", f"buyer-{language}@city.example")
    page.fill("#id_account-username", f"buyer_{language}")
    page.fill("#id_account-password1", factories.PASSWORD)
    page.fill("#id_account-password2", factories.PASSWORD)
    expect(page.locator(f"#consents .privacy-notice[data-law='{buyer['law']}']").first).to_be_visible()
    page.locator("#id_consent-processing").check()
    page.locator("#id_consent-transfer").check()
    page.locator("#signup-form button[type=submit]").click()
    page.wait_for_url(f"{url}/accounts/")


def _write_listing(page, url, language, buyer):
    """The buyer's own language is open first; English is required beside it."""
    page.goto(f"{url}/demands/new/")
    first = page.locator(".text-languages > fieldset").first
    expect(first.locator(f"[name='title_{language}']")).to_be_visible()
    expect(page.locator(f"#id_title_{language}")).to_be_visible()
    expect(page.locator("#id_title_ko")).to_be_hidden()
    page.fill(f"#id_title_{language}", buyer["title"])
    page.fill(f"#id_problem_{language}", buyer["problem"])
    page.fill("#id_title_en", ENGLISH_TITLE)
    page.fill("#id_problem_en", ENGLISH_PROBLEM)
    page.locator("input[name='categories']").first.check()
    page.locator("summary", has_text=re.compile(".")).first.click()  # opens Korean: the typing stays
    expect(page.locator("#id_title_en")).to_have_value(ENGLISH_TITLE)
    screenshot(page, f"listing-form-{language}-1366.png")
    page.locator("main form button[type=submit].btn-lg").click()
    page.wait_for_url(re.compile(rf"^{re.escape(url)}/demands/\d+/$"))


@pytest.mark.parametrize("language", ["th", "tr"])
def test_a_buyer_signs_up_writes_and_searches_in_their_own_language(
    browser, live_server, korean_company, language
):
    buyer = BUYERS[language]
    with browser_session(browser, locale=buyer["locale"], width=1366) as page:
        _sign_up(page, live_server.url, language, buyer)
        organisation = BuyerOrganisation.objects.get()
        assert (organisation.city.name_en, organisation.city.time_zone) == (
            {"th": "Khon Kaen", "tr": "Gaziantep"}[language],
            buyer["time_zone"],
        )

        # An admin approves the organisation: the e-mail is written in the buyer's language.
        mail.outbox.clear()
        organisation_review(organisation=organisation, approve=True)
        with translation.override(language):
            subject = gettext("Your organisation on the K-Smart City export portal: %(status)s") % {
                "status": organisation.get_approval_status_display()
            }
        with translation.override("en"):
            english = gettext("Your organisation on the K-Smart City export portal: %(status)s")
        assert [message.subject for message in mail.outbox] == [subject]
        assert not subject.startswith(english.split(":")[0])

        _write_listing(page, live_server.url, language, buyer)
        demand = Demand.objects.get()
        assert (demand.title_en, getattr(demand, f"title_{language}")) == (ENGLISH_TITLE, buyer["title"])
        expect(page.locator("h1 [lang]")).to_have_text(buyer["title"])
        expect(page.locator("h1 .shown-language")).to_have_count(0)
        page.locator("form[action$='/publish/'] button").click()
        expect(page.locator("main .alert-success")).to_be_visible()
        no_horizontal_overflow(page)
        screenshot(page, f"listing-{language}-1366.png")

        # A word of the buyer's language finds the Korean company written in Korean and English.
        page.goto(f"{live_server.url}/companies/")
        page.locator("#id_q").fill(buyer["query"])
        page.locator("form[role=search] button[type=submit]").click()
        cards = page.locator("article.directory-card h2")
        expect(cards).to_have_text(["Dasom Safety IoT"])
        expect(page.locator("article.directory-card .shown-language")).to_have_count(1)  # "in English"

    with browser_session(browser, locale=buyer["locale"], width=390, height=844) as phone:
        phone.goto(f"{live_server.url}/demands/{demand.pk}/")
        expect(phone.locator("h1 [lang]")).to_have_text(buyer["title"])
        expect(phone.locator(".text-versions a")).to_have_attribute("hreflang", "en")
        no_horizontal_overflow(phone)
        screenshot(phone, f"listing-{language}-390.png")
