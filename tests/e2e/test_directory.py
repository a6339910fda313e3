"""A visitor searches the city demands in Korean, narrows the companies by category, and the
directory and a profile fit a phone and a desktop screen."""

import pytest
from playwright.sync_api import expect

from matching.companies.services import company_search_refresh
from matching.demands.models import Demand
from matching.demands.services import demand_search_refresh
from matching.kernel.models import ApprovalStatus
from tests import factories
from tests.e2e.pages import no_horizontal_overflow, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
KHON_KAEN = "Flood early warning for the Khon Kaen markets"
CHIANG_MAI = "Parking guidance for the Chiang Mai old town"


@pytest.fixture
def directory(buyer, bangkok_centre):
    flood = factories.CategoryFactory(
        slug="flood-prevention", name_en="Flood prevention", name_ko="홍수 방재"
    )
    parking = factories.CategoryFactory(slug="smart-parking", name_en="Smart parking", name_ko="스마트 주차")
    traffic = factories.CategoryFactory(slug="smart-traffic", name_en="Smart traffic", name_ko="스마트 교통")
    thailand = bangkok_centre.city.country

    companies = {}
    for name_en, name_ko, solutions in [
        ("Incheon Smart Parking", "인천스마트파킹", [("Parking guidance", "주차장 안내", [parking])]),
        (
            "Daejeon Mobility Lab",
            "대전모빌리티랩",
            [("Kerbside sensors", "노상 주차 센서", [parking]), ("Signal timing", "신호 최적화", [traffic])],
        ),
        ("Hanbit Signal Control", "한빛신호제어", [("Adaptive signals", "적응형 신호", [traffic])]),
        ("Nakdong Flood Sensing", "낙동홍수센싱", [("Flood sensors", "홍수 감지 센서", [flood])]),
    ]:
        company = factories.CompanyFactory(
            name_en=name_en,
            name_ko=name_ko,
            description_en=f"{name_en} builds city systems that have run in Korean cities for a decade.",
            contact_email=f"sales@{name_en.split()[0].lower()}.example",
            export_countries=[thailand],
        )
        for solution_en, solution_ko, categories in solutions:
            solution = factories.SolutionFactory(
                company=company, name_en=solution_en, name_ko=solution_ko, categories=categories
            )
            factories.ReferenceDeploymentFactory(solution=solution, city=buyer.buyer_organisation.city)
        companies[name_en] = company
    pending = factories.CompanyFactory(name_en="Gwangju Parking Grid", approval_status=ApprovalStatus.PENDING)
    factories.SolutionFactory(company=pending, categories=[parking])
    for company in [*companies.values(), pending]:
        company_search_refresh(company=company)

    chiang_mai = factories.BuyerOrganisationFactory(
        name="Chiang Mai Municipality",
        name_local="เทศบาลนครเชียงใหม่",
        city=factories.CityFactory(country=thailand, name_en="Chiang Mai", name_ko="치앙마이"),
    )
    for demand in [
        factories.DemandFactory(
            buyer=buyer.buyer_organisation,
            title=KHON_KAEN,
            problem="Flash floods reach the night market before anyone is warned.",
            categories=[flood],
            published=True,
        ),
        factories.DemandFactory(
            buyer=chiang_mai,
            title=CHIANG_MAI,
            problem="Tourist coaches circle the moat looking for space.",
            categories=[parking],
            published=True,
        ),
        factories.DemandFactory(
            buyer=buyer.buyer_organisation,
            title="Draft: flood sirens",
            categories=[flood],
            status=Demand.Status.DRAFT,
        ),
    ]:
        demand_search_refresh(demand=demand)
    return companies


def _result_titles(page):
    return page.locator("article.directory-card h2")


def _apply_filters(page):
    page.locator("form[role=search] button[type=submit]").click()


def test_visitor_finds_the_khon_kaen_flood_listing_with_a_korean_query_and_a_particle(
    page, live_server, directory
):
    page.goto(f"{live_server.url}/demands/")
    expect(_result_titles(page)).to_have_count(2)

    page.locator("#id_q").fill("홍수를")
    _apply_filters(page)

    page.wait_for_url("**/demands/?q=%ED%99%8D%EC%88%98%EB%A5%BC*")
    expect(_result_titles(page)).to_have_text([KHON_KAEN])
    expect(page.locator("#id_q")).to_have_value("홍수를")

    page.get_by_role("link", name=KHON_KAEN).click()
    page.wait_for_url(f"**/demands/{Demand.objects.get(title_en=KHON_KAEN).pk}/")
    expect(page.locator("h1")).to_have_text(KHON_KAEN)


def test_visitor_narrows_the_companies_to_one_category(page, live_server, directory):
    page.goto(f"{live_server.url}/companies/")
    expect(_result_titles(page)).to_have_text(
        ["Daejeon Mobility Lab", "Hanbit Signal Control", "Incheon Smart Parking", "Nakdong Flood Sensing"]
    )

    page.locator("#id_category").select_option(label="Smart parking")
    _apply_filters(page)

    page.wait_for_url("**/companies/?*category=smart-parking*")
    expect(_result_titles(page)).to_have_text(["Daejeon Mobility Lab", "Incheon Smart Parking"])
    expect(page.locator("#id_category")).to_have_value("smart-parking")


def test_directory_and_profile_fit_a_phone_and_a_desktop(page, live_server, directory):
    company = directory["Daejeon Mobility Lab"]

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/companies/")
    expect(_result_titles(page)).to_have_count(4)
    # On a phone the filters wait behind a button.
    expect(page.locator("#id_category")).to_be_hidden()
    no_horizontal_overflow(page)
    screenshot(page, "directory-companies-phone.png")
    page.locator("button[data-bs-target='#filters']").click()
    expect(page.locator("#id_category")).to_be_visible()

    page.goto(f"{live_server.url}/companies/{company.pk}/")
    expect(page.locator("h1")).to_have_text("Daejeon Mobility Lab")
    no_horizontal_overflow(page)
    screenshot(page, "directory-company-profile-phone.png")

    page.goto(f"{live_server.url}/demands/")
    expect(_result_titles(page)).to_have_count(2)
    no_horizontal_overflow(page)

    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/companies/")
    expect(page.locator("#id_category")).to_be_visible()
    screenshot(page, "directory-companies-desktop.png")

    page.goto(f"{live_server.url}/companies/{company.pk}/")
    expect(page.locator("h1")).to_have_text("Daejeon Mobility Lab")
    screenshot(page, "directory-company-profile-desktop.png")
