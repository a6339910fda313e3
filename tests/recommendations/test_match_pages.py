"""The match pages of a listing (/demands/<pk>/matches/) and of a company (/companies/<pk>/matches/),
and the fits on a member's dashboard (/accounts/).

Reasons read as sentences, in English and Korean; only approved companies and open listings are
ranked; an edit or an approval shows on the next page view once its commit's rebuild task ran (eager
in tests); the query count does not grow with the number of matches; the pages answer each role as the
permission matrix says. How the index is built and found: test_match_index.py.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.demands.models import Demand
from matching.kernel.models import ApprovalStatus
from portal.accounts.models import User
from tests import factories
from tests.recommendations import (
    DECOY_REASONS,
    FLOOD_PROBLEM_MATCHED,
    FLOOD_REASONS,
    FLOOD_TITLE,
    add_flood_solution,
    card_names,
    dashboard_section,
    flood_company,
    flood_listing,
    match_cards,
    pending,
    summaries,
    text_of,
    traffic_company,
)
from tests.recommendations.conftest import company_matches, demand_matches, flood_listings

DRAFT_NOTICE = "Matches are computed for open listings of approved buyers. Publish the listing to see them."
PENDING_NOTICE = "Matches are computed for approved companies. They appear once the company is approved."
NO_COMPANY_FITS = "No approved company fits this listing yet."
NO_LISTING_FITS = "No open listing fits this company yet."
FIT_EXPLAINED = (
    "A fit scores 30 of 100 or more: "
    "up to 60 points for answering the listing's problem, 40 for suiting the buyer."
)
# The English sentence templates of matching.recommendations.reasons, as a sentence starts.
ENGLISH_TEMPLATES = (
    "Works in ",
    "Reference deployment in ",
    "Offers support in ",
    "Holds the certification the buyer asks for",
    "Typical project size ",
    "Readiness (",
)


# ---------------------------------------------------------------- reasons
@pytest.mark.django_db
def test_the_flood_listing_shows_the_flood_warning_company_first_with_every_reason_as_a_sentence(
    client, buyer, listing, flood_alert, decoy, words
):
    traffic_company(words)  # fits nothing: not listed
    client.force_login(buyer)

    response = client.get(demand_matches(listing))

    assert match_cards(response) == [
        ("Hanriver Flood Alert", FLOOD_REASONS),
        ("Decoy Drone Works", DECOY_REASONS),
    ]
    # The decoy answers the category, not the problem: a weaker match, below the fits.
    assert [round(row.score) for row in response.context["rows"]] == [94]
    assert [round(row.score) for row in response.context["weaker_rows"]] == [24]
    assert [row.solution.name_en for row in response.context["rows"] + response.context["weaker_rows"]] == [
        "Flood siren network",
        "Wildfire smoke drones",
    ]


@pytest.mark.django_db
def test_the_company_page_shows_the_flood_listing_with_the_same_sentences(client, sme_owner, listing, words):
    add_flood_solution(sme_owner.company, words)
    sme_owner.company.support_languages.add(words.thai)
    sme_owner.company.certifications.add(words.iso)
    client.force_login(sme_owner)

    response = client.get(company_matches(sme_owner.company))

    assert match_cards(response) == [(FLOOD_TITLE, FLOOD_REASONS)]


@pytest.mark.django_db
def test_a_reference_in_the_listings_own_city_is_named_as_this_city(client, buyer, listing, flood_alert):
    khon_kaen = buyer.buyer_organisation.city
    factories.ReferenceDeploymentFactory(solution=flood_alert.solutions.get(), city=khon_kaen, year=2019)
    client.force_login(buyer)

    [(name, reasons)] = match_cards(client.get(demand_matches(listing)))

    assert name == "Hanriver Flood Alert"
    assert reasons[:3] == [
        FLOOD_PROBLEM_MATCHED,
        "Works in Disaster response",
        "Reference deployment in this city (Khon Kaen, 2019)",
    ]


@pytest.mark.django_db
def test_a_price_band_one_step_from_the_budget_is_called_close_to_it(client, buyer, listing, flood_alert):
    solution = flood_alert.solutions.get()
    solution.price_band = "1m-5m"
    solution.save()
    client.force_login(buyer)

    [(_, reasons)] = match_cards(client.get(demand_matches(listing)))

    # Half the budget points (3) rank it after the readiness reason (6).
    assert reasons[-2:] == [
        "Readiness (Deployed abroad) suits the procurement (Pilot project)",
        "Typical project size (USD 1 – 5 million) is close to the budget (USD 250,000 – 1 million)",
    ]


@pytest.mark.django_db
def test_the_korean_matches_page_shows_every_reason_sentence_in_korean(
    client, buyer, listing, flood_alert, decoy
):
    User.objects.update(language="")  # nobody chose a language: the browser's (or cookie's) decides
    client.force_login(buyer)
    client.cookies["django_language"] = "ko"

    [(name, reasons), _decoy] = match_cards(client.get(demand_matches(listing)))

    assert name == "한강홍수경보"
    assert [reason for reason in reasons if reason.startswith(ENGLISH_TEMPLATES)] == []
    # The listing's own words stay as written; every name is the Korean one.
    assert reasons == [
        "문제 일치: “Flood early warning for Khon Kaen” ↔ “홍수 사이렌망”",
        "분야 일치: 재난 대응",
        "지원 언어: 태국어",
        "태국 구축 실적 (촌부리, 2021)",
        "바이어가 요구하는 인증 보유: ISO 9001 품질경영",
        "일반적인 사업 규모가 예산에 맞음 (25만–100만 달러)",
        "성숙도(해외 구축 실적)가 조달 방식(실증 사업)에 적합",
    ]


@pytest.mark.django_db
def test_the_korean_match_pages_have_korean_headings(client, sme_owner, buyer, listing):
    User.objects.update(language="")  # nobody chose a language: the browser's (or cookie's) decides
    client.cookies["django_language"] = "ko"
    client.force_login(buyer)
    listing_page = client.get(demand_matches(listing)).content.decode()
    client.force_login(sme_owner)
    company_page = client.get(company_matches(sme_owner.company)).content.decode()

    assert "Korean companies that fit this listing" not in listing_page
    assert "City demands that fit" not in company_page


# ---------------------------------------------------------------- who is ranked
@pytest.mark.django_db
@pytest.mark.parametrize("status", [ApprovalStatus.PENDING, ApprovalStatus.REJECTED])
def test_an_unapproved_company_never_appears_on_a_listings_matches(
    client, buyer, listing, flood_alert, words, status
):
    reason = "Wrong registration number." if status == ApprovalStatus.REJECTED else ""
    flood_company(words, name_en="Unapproved Flood Alert", approval_status=status, rejection_reason=reason)
    client.force_login(buyer)

    assert card_names(client.get(demand_matches(listing))) == ["Hanriver Flood Alert"]


@pytest.mark.django_db
def test_closed_and_draft_listings_never_appear_on_a_companys_matches(client, sme_owner, buyer, words):
    add_flood_solution(sme_owner.company, words)
    organisation = buyer.buyer_organisation
    flood_listing(organisation, words, title="Open flood listing")
    flood_listing(organisation, words, title="Draft flood listing", published=False)
    closed = flood_listing(organisation, words, title="Closed flood listing")
    closed.status = Demand.Status.CLOSED
    closed.save()
    client.force_login(sme_owner)

    assert card_names(client.get(company_matches(sme_owner.company))) == ["Open flood listing"]


@pytest.mark.django_db
def test_a_draft_listings_matches_page_asks_to_publish_it(client, buyer, words, flood_alert):
    draft = flood_listing(buyer.buyer_organisation, words, published=False)
    client.force_login(buyer)

    response = client.get(demand_matches(draft))

    assert match_cards(response) == []
    assert response.context["rows"] == []
    assert DRAFT_NOTICE in response.content.decode()
    assert NO_COMPANY_FITS not in response.content.decode()


@pytest.mark.django_db
def test_a_pending_companys_matches_page_says_matches_come_with_approval(client, words, listing):
    company = flood_company(words, **pending())
    member = factories.SmeMemberFactory(company=company)
    client.force_login(member)

    response = client.get(company_matches(company))

    assert match_cards(response) == []
    assert PENDING_NOTICE in response.content.decode()


@pytest.mark.django_db
def test_a_listing_nobody_fits_says_so(client, buyer, listing, words):
    traffic_company(words)
    client.force_login(buyer)

    response = client.get(demand_matches(listing))

    assert match_cards(response) == []
    assert NO_COMPANY_FITS in response.content.decode()
    assert DRAFT_NOTICE not in response.content.decode()


@pytest.mark.django_db
def test_a_company_nothing_fits_says_so(client, sme_owner, listing, words):
    factories.SolutionFactory(company=sme_owner.company, categories=[words.traffic])
    client.force_login(sme_owner)

    response = client.get(company_matches(sme_owner.company))

    assert match_cards(response) == []
    assert NO_LISTING_FITS in response.content.decode()


# ---------------------------------------------------------------- permissions
COMPANY_PAGE_STATUS = {
    "anonymous": 302,
    "sme_owner": 200,
    "stranger": 404,
    "buyer": 404,
    "centre_staff": 200,
    "other_centre_staff": 200,
    "admin": 200,
}
LISTING_PAGE_STATUS = {
    "anonymous": 302,
    "sme_owner": 404,
    "stranger": 404,
    "buyer": 200,
    "centre_staff": 200,
    "other_centre_staff": 404,
    "admin": 200,
}


def _as(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(COMPANY_PAGE_STATUS))
def test_a_companys_matches_page_is_for_its_members_centre_staff_and_admins(
    client, request, sme_owner, stranger, buyer, listing, role
):
    _as(client, request, role)
    url = company_matches(sme_owner.company)

    response = client.get(url)

    assert response.status_code == COMPANY_PAGE_STATUS[role]
    if role == "anonymous":
        assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(LISTING_PAGE_STATUS))
def test_a_listings_matches_page_is_for_its_buyer_its_centres_staff_and_admins(
    client, request, sme_owner, stranger, listing, role
):
    _as(client, request, role)
    url = demand_matches(listing)

    response = client.get(url)

    assert response.status_code == LISTING_PAGE_STATUS[role]
    if role == "anonymous":
        assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.django_db
def test_another_buyer_gets_404_on_a_listings_matches_page(client, listing, words):
    other = factories.BuyerMemberFactory(
        buyer_organisation=factories.BuyerOrganisationFactory(
            name="Chiang Mai Municipality", city=factories.CityFactory(country=words.thailand)
        )
    )
    client.force_login(other)

    assert client.get(demand_matches(listing)).status_code == 404


@pytest.mark.django_db
def test_unknown_listings_and_companies_have_no_matches_page(client, admin):
    client.force_login(admin)

    assert client.get("/demands/999999/matches/").status_code == 404
    assert client.get("/companies/999999/matches/").status_code == 404


# ---------------------------------------------------------------- dashboard
@pytest.mark.django_db
def test_an_sme_members_dashboard_counts_the_open_listings_that_fit_and_names_them(
    client, sme_owner, buyer, words
):
    add_flood_solution(sme_owner.company, words)
    sme_owner.company.support_languages.add(words.thai)
    organisation = buyer.buyer_organisation
    flood_listing(organisation, words, title="Flood sirens for the night market")
    flood_listing(organisation, words, title="Flood early warning for the canals")
    flood_listing(organisation, words, title="Draft flood listing", published=False)
    factories.DemandFactory(
        buyer=organisation,
        title="Parking guidance",
        problem="Coaches circle the moat looking for space.",
        categories=[words.traffic],
        published=True,
    )
    client.force_login(sme_owner)

    fits = dashboard_section(client.get("/accounts/"), "fits-heading")

    assert fits == (
        "2 open listings fit you "
        "Flood early warning for the canals · Khon Kaen · fit 88 of 100 "
        "Flood sirens for the night market · Khon Kaen · fit 87 of 100 "
        f"{FIT_EXPLAINED} "
        "See them with the reasons"
    )


@pytest.mark.django_db
def test_one_fitting_listing_is_counted_in_the_singular(client, sme_owner, listing, words):
    add_flood_solution(sme_owner.company, words)
    client.force_login(sme_owner)

    fits = dashboard_section(client.get("/accounts/"), "fits-heading")

    assert fits.startswith("1 open listing fits you Flood early warning for Khon Kaen · Khon Kaen · fit ")


@pytest.mark.django_db
def test_a_pending_companys_member_sees_no_fitting_listings(client, listing, words):
    company = flood_company(words, **pending())
    member = factories.SmeMemberFactory(company=company)
    client.force_login(member)

    assert dashboard_section(client.get("/accounts/"), "fits-heading") is None


@pytest.mark.django_db
def test_a_buyers_dashboard_shows_its_listing_with_the_companies_that_fit(
    client, buyer, listing, flood_alert, decoy
):
    client.force_login(buyer)

    fits = dashboard_section(client.get("/accounts/"), "listing-fits-heading")

    # The decoy (24 of 100) is a weaker match: on the listing's page, not among the fits.
    assert fits == (
        "Korean companies that fit your listings "
        f"Flood early warning for Khon Kaen Hanriver Flood Alert · fit 94 of 100 {FIT_EXPLAINED}"
    )


@pytest.mark.django_db
def test_a_buyers_dashboard_says_when_no_company_fits_a_listing(client, buyer, listing):
    client.force_login(buyer)

    fits = dashboard_section(client.get("/accounts/"), "listing-fits-heading")

    assert fits == (
        "Korean companies that fit your listings Flood early warning for Khon Kaen "
        f"No company fits yet. {FIT_EXPLAINED}"
    )


@pytest.mark.django_db
def test_more_fitting_listings_than_the_dashboard_shows_are_all_counted(client, sme_owner, buyer, words):
    add_flood_solution(sme_owner.company, words)
    flood_listings(buyer.buyer_organisation, words, 12)
    client.force_login(sme_owner)

    fits = dashboard_section(client.get("/accounts/"), "fits-heading")

    assert fits.startswith("12 open listings fit you ")
    assert fits.count(" · Khon Kaen · fit ") == 3


def queries_of_second_dashboard(client):
    assert client.get("/accounts/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/accounts/").status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("listings", [1, 5])
def test_a_buyers_dashboard_issues_the_same_queries_for_one_and_five_listings(
    client, buyer, flood_alert, decoy, words, listings
):
    flood_listings(buyer.buyer_organisation, words, listings)
    client.force_login(buyer)

    # With the old stamp (six queries instead of the latest build's key): 17. The own page's other cards
    # add 6: the next meetings (roadshow, online), requests waiting (rows, count), unread conversations,
    # and the "matches seen" mark.
    assert queries_of_second_dashboard(client) == 18


@pytest.mark.django_db
@pytest.mark.parametrize("listings", [1, 10])
def test_an_sme_members_dashboard_issues_the_same_queries_for_one_and_ten_fitting_listings(
    client, sme_owner, buyer, words, listings
):
    add_flood_solution(sme_owner.company, words)
    flood_listings(buyer.buyer_organisation, words, listings)
    client.force_login(sme_owner)

    # With the old stamp (six queries instead of the latest build's key): 16. Plus the own page's 6 (above).
    assert queries_of_second_dashboard(client) == 17


@pytest.mark.django_db
def test_each_card_explains_its_score_in_one_line_and_what_would_raise_it(
    client, buyer, listing, flood_alert, decoy
):
    client.force_login(buyer)

    response = client.get(demand_matches(listing))

    assert summaries(response) == [
        # The thesaurus's concepts (flood, early warning, siren) count among the words: the full 60.
        "94 of 100, a strong fit: 60 of 60 points for answering the problem, 34 of 40 for suiting the buyer.",
        "24 of 100, a weak fit: 20 of 60 points for answering the problem, 4 of 40 for suiting the buyer. "
        "It would rise with a solution described in the words of this problem (+40); "
        "support in the buyer's language (+7).",
    ]
    assert "1 company fits, scoring 30 of 100 or more." in text_of(response.content.decode())


@pytest.mark.django_db
def test_the_dashboards_count_is_the_number_of_fits_on_the_page_it_links_to(client, sme_owner, buyer, words):
    add_flood_solution(sme_owner.company, words)
    flood_listings(buyer.buyer_organisation, words, 5)
    factories.DemandFactory(
        buyer=buyer.buyer_organisation,
        title="Smoke over the old town",
        problem="Coaches circle the moat.",
        categories=[words.disaster],
        published=True,
    )
    client.force_login(sme_owner)

    fits = dashboard_section(client.get("/accounts/"), "fits-heading")
    page = client.get(company_matches(sme_owner.company))

    assert fits.startswith("5 open listings fit you ")
    assert fits.endswith(" See all 5 listings with the reasons")
    assert fits.count(" · fit ") == 3
    assert len(page.context["rows"]) == 5
    assert [row.demand.title for row in page.context["weaker_rows"]] == ["Smoke over the old town"]
    assert "5 open listings fit, scoring 30 of 100 or more." in text_of(page.content.decode())


@pytest.mark.django_db
def test_when_the_title_shares_no_word_the_problems_own_sentence_is_quoted(client, buyer, words, flood_alert):
    listing = flood_listing(buyer.buyer_organisation, words, title="Call for proposals 2025")
    client.force_login(buyer)

    [(_, reasons)] = match_cards(client.get(demand_matches(listing)))

    assert [reason for reason in reasons if reason.startswith("Problem matched")] == [
        "Problem matched: “Flash floods reach the night market before anyone is warned” "
        "↔ “Flood siren network”"
    ]
