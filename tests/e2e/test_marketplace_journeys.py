"""Both sides of the marketplace in Chromium.

A Korean SME signs up, lists its solutions and is approved into the directory; a Thai buyer writes
a listing in Korean, publishes it, and a visitor finds it with a particle attached to the query.
"""

import re

import pytest
from playwright.sync_api import expect

from matching.companies.models import Company
from matching.companies.services import company_search_refresh
from matching.demands.models import Demand
from matching.demands.services import demand_search_refresh
from matching.kernel.models import ApprovalStatus
from tests import factories
from tests.directories import categories_in_order
from tests.e2e.pages import another_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLOOD_PROBLEM = "우기마다 운하가 넘쳐 홍수 조기 경보 시스템이 필요합니다"
FLOOD_TITLE = "Early warning for the Khon Kaen canals"
PARKING_TITLE = "Parking guidance for the Khon Kaen night market"


@pytest.fixture
def reference_data(db):
    """Categories, Korea and Thailand with Seoul and Khon Kaen, an administrator, and one approved SME."""
    korea = factories.CountryFactory(iso_code="KR", name_en="Republic of Korea", name_ko="대한민국")
    thailand = factories.CountryFactory(iso_code="TH", name_en="Thailand", name_ko="태국")
    categories = categories_in_order(parking="smart-parking", traffic="smart-traffic", water="smart-water")
    seoul = factories.CityFactory(country=korea, name_en="Seoul", name_ko="서울", time_zone="Asia/Seoul")
    khon_kaen = factories.CityFactory(
        country=thailand, name_en="Khon Kaen", name_ko="콘깬", name_local="ขอนแก่น", time_zone="Asia/Bangkok"
    )
    factories.AdminFactory(username="reviewer")
    # Already in the directory, in another category: the filter has something to leave out.
    water = factories.CompanyFactory(
        name_en="Nakdong Water Sensing", name_ko="낙동워터센싱", headquarters=seoul
    )
    factories.SolutionFactory(company=water, name_en="Canal level sensors", categories=[categories["water"]])
    company_search_refresh(company=water)
    return {"categories": categories, "khon_kaen": khon_kaen}


def _log_in(page, username, password=factories.PASSWORD):
    """Fill the login form the page shows and submit it."""
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()


def _result_titles(page):
    return page.locator("article.directory-card h2")


def _apply_filters(page):
    page.locator("form[role=search] button[type=submit]").click()


def _solution_legends(page):
    """One legend per solution form: the saved solution's name, or "New solution" for the blank one."""
    return page.locator("form > fieldset.card > .card-body > legend")


def _success_message(page):
    return page.locator("main .alert-success")


def test_new_sme_signs_up_lists_two_solutions_and_is_found_under_smart_parking_once_an_admin_approves_it(
    page, browser, live_server, reference_data
):
    parking = reference_data["categories"]["parking"]
    traffic = reference_data["categories"]["traffic"]

    page.goto(f"{live_server.url}/accounts/signup/")
    expect(page.locator("input[name='account-kind'][value='sme']")).to_be_checked()
    expect(page.locator("fieldset[data-kind='sme']")).to_be_visible()
    expect(page.locator("fieldset[data-kind='buyer']")).to_be_hidden()
    page.fill("#id_company-name_ko", "한강스마트파킹")
    page.fill("#id_company-name_en", "Hangang Smart Parking")
    page.fill("#id_company-business_registration_number", "220-81-62517")
    page.fill("#id_account-first_name", "Minji")
    page.fill("#id_account-last_name", "Park")
    page.fill("#id_account-email", "minji.park@hangang-parking.example")
    page.fill("#id_account-username", "minji")
    page.fill("#id_account-password1", factories.PASSWORD)
    page.fill("#id_account-password2", factories.PASSWORD)
    # Korean company: the PIPA notices beside the consents, none ticked; the two required ones ticked.
    expect(page.locator("#consents .privacy-notice[data-law='pipa']").first).to_be_visible()
    expect(page.locator("#consents .privacy-notice[data-law='pdpa']").first).to_be_hidden()
    for kind in ("processing", "transfer", "marketing"):
        expect(page.locator(f"#id_consent-{kind}")).not_to_be_checked()
    page.locator("#id_consent-processing").check()
    page.locator("#id_consent-transfer").check()
    page.locator("#signup-form button[type=submit]").click()

    page.wait_for_url(f"{live_server.url}/accounts/")
    expect(_success_message(page)).to_contain_text(
        "Welcome! Your organisation is registered and waits for review."
    )
    company = Company.objects.get(business_registration_number="2208162517")
    consents = company.members.get().privacy_consents
    assert sorted(consents.values_list("kind", "law", "granted")) == [
        ("processing", "pipa", True),
        ("transfer", "pipa", True),
    ]
    assert (company.name_en, company.approval_status) == ("Hangang Smart Parking", ApprovalStatus.PENDING)
    assert list(company.members.values_list("username", flat=True)) == ["minji"]

    page.get_by_role("link", name="Edit solutions").click()
    page.wait_for_url(f"{live_server.url}/companies/{company.pk}/solutions/")
    page.fill("#id_solutions-0-name_ko", "주차장 안내")
    page.fill("#id_solutions-0-name_en", "Car park guidance")
    page.fill("#id_solutions-0-problem_solved_en", "Drivers circle the block looking for a free space.")
    page.check(f"input[name='solutions-0-categories'][value='{parking.pk}']")
    page.get_by_role("button", name="Save solutions").click()

    expect(_success_message(page)).to_contain_text("Your solutions are saved.")
    expect(_solution_legends(page)).to_have_text(["Car park guidance", "New solution"])
    page.fill("#id_solutions-1-name_ko", "노상 주차 센서")
    page.fill("#id_solutions-1-name_en", "Kerbside sensors")
    page.fill("#id_solutions-1-problem_solved_en", "Nobody knows which kerbside bays are free.")
    page.check(f"input[name='solutions-1-categories'][value='{parking.pk}']")
    page.check(f"input[name='solutions-1-categories'][value='{traffic.pk}']")
    page.get_by_role("button", name="Save solutions").click()

    expect(_solution_legends(page)).to_have_text(["Car park guidance", "Kerbside sensors", "New solution"])
    solutions = {
        solution.name_en: sorted(category.slug for category in solution.categories.all())
        for solution in company.solutions.all()
    }
    assert solutions == {
        "Car park guidance": ["smart-parking"],
        "Kerbside sensors": ["smart-parking", "smart-traffic"],
    }

    with another_browser(browser) as visitor:
        visitor.goto(f"{live_server.url}/companies/?category=smart-parking")
        expect(_result_titles(visitor)).to_have_count(0)

        with another_browser(browser) as admin:
            admin.goto(f"{live_server.url}/accounts/reviews/")
            admin.wait_for_url(f"{live_server.url}/accounts/login/?next=/accounts/reviews/")
            _log_in(admin, "reviewer")
            admin.wait_for_url(f"{live_server.url}/accounts/reviews/")
            card = admin.locator("article", has_text="Hangang Smart Parking")
            expect(card).to_contain_text("220-81-62517")
            card.get_by_role("button", name="Approve").click()
            admin.wait_for_url(f"{live_server.url}/accounts/reviews/")
            expect(_success_message(admin)).to_contain_text("Hangang Smart Parking is approved.")
            expect(admin.locator("#companies-heading + p")).to_have_text("No company waits for review.")

        visitor.goto(f"{live_server.url}/companies/")
        expect(_result_titles(visitor)).to_have_text(["Hangang Smart Parking", "Nakdong Water Sensing"])
        visitor.locator("#id_category").select_option(label="Smart parking")
        _apply_filters(visitor)
        visitor.wait_for_url("**/companies/?*category=smart-parking*")
        expect(_result_titles(visitor)).to_have_text(["Hangang Smart Parking"])
    company.refresh_from_db()
    assert company.approval_status == ApprovalStatus.APPROVED


def test_thai_buyer_publishes_a_korean_flood_listing_that_a_visitor_finds_with_a_particle(
    page, browser, live_server, reference_data
):
    khon_kaen = reference_data["khon_kaen"]
    water = reference_data["categories"]["water"]
    municipality = factories.BuyerOrganisationFactory(
        name="Khon Kaen City Municipality", name_local="เทศบาลนครขอนแก่น", city=khon_kaen
    )
    factories.BuyerMemberFactory(username="somchai", buyer_organisation=municipality)
    # Another open listing of the same city, which the Korean search must leave out.
    parking = factories.DemandFactory(
        buyer=municipality,
        title=PARKING_TITLE,
        problem="Tourist coaches block the market streets every evening.",
        categories=[reference_data["categories"]["parking"]],
        published=True,
    )
    demand_search_refresh(demand=parking)

    page.goto(f"{live_server.url}/accounts/login/")
    _log_in(page, "somchai")
    page.wait_for_url(f"{live_server.url}/accounts/")  # everyone lands on their own page
    page.goto(f"{live_server.url}/demands/new/")
    page.locator("#id_city").select_option(value=str(khon_kaen.pk))
    page.fill("#id_title_en", FLOOD_TITLE)
    page.fill("#id_problem_en", "Every rainy season the canals overflow into the market.")
    # Korean is folded for a Thai buyer; opening it keeps what is typed in English.
    expect(page.locator("#id_title_ko")).to_be_hidden()
    page.locator("summary", has_text="Add the text in Korean").click()
    page.fill("#id_title_ko", "콘깬 운하 조기 경보")
    page.fill("#id_problem_ko", FLOOD_PROBLEM)
    expect(page.locator("#id_title_en")).to_have_value(FLOOD_TITLE)
    page.check(f"input[name='categories'][value='{water.pk}']")
    page.get_by_role("button", name="Save listing").click()

    page.wait_for_url(re.compile(rf"^{re.escape(live_server.url)}/demands/\d+/$"))
    demand = Demand.objects.get(title_en=FLOOD_TITLE)
    assert demand.problem_ko == FLOOD_PROBLEM
    assert (demand.status, demand.buyer, demand.city) == (Demand.Status.DRAFT, municipality, khon_kaen)
    expect(page.locator("h1")).to_have_text(FLOOD_TITLE)
    expect(page.locator("main .alert-warning")).to_have_text("This listing is not public: Draft.")
    page.get_by_role("button", name="Publish").click()

    expect(_success_message(page)).to_contain_text("The listing is open: companies can find it now.")
    expect(page.locator("main .alert-warning")).to_have_count(0)
    demand.refresh_from_db()
    assert demand.status == Demand.Status.OPEN

    with another_browser(browser) as visitor:
        visitor.goto(f"{live_server.url}/demands/")
        expect(_result_titles(visitor)).to_have_text([FLOOD_TITLE, PARKING_TITLE])
        visitor.locator("#id_q").fill("홍수를")
        _apply_filters(visitor)
        visitor.wait_for_url("**/demands/?q=%ED%99%8D%EC%88%98%EB%A5%BC*")
        expect(_result_titles(visitor)).to_have_text([FLOOD_TITLE])
        expect(visitor.locator("#id_q")).to_have_value("홍수를")
