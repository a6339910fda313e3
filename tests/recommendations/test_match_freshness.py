"""The match pages never show stale matches: an edit, an approval or a publication shows on the next view
once its commit's rebuild ran. Their query counts do not grow with the number of matches."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from matching.companies.models import Solution
from matching.demands.models import Demand
from matching.demands.services import demand_publish
from tests import factories
from tests.recommendations import (
    FLOOD_SOLUTION_PROBLEM,
    FLOOD_TITLE,
    add_flood_solution,
    card_names,
    flood_company,
    flood_listing,
    logged_in,
    match_cards,
    pending,
    traffic_company,
)
from tests.recommendations.conftest import company_matches, demand_matches, flood_listings


# ---------------------------------------------------------------- never stale
def solution_form(index, solution, **values):
    """One form of the members' solutions formset (/companies/<pk>/solutions/), as the browser posts it."""
    fields = {
        "id": solution.pk if solution else "",
        "name_ko": solution.name_ko if solution else "",
        "name_en": solution.name_en if solution else "",
        "categories": [category.pk for category in solution.categories.all()] if solution else [],
        "problem_solved_en": solution.problem_solved_en if solution else "",
        "description_en": solution.description_en if solution else "",
        "readiness": solution.readiness if solution else Solution.Readiness.COMMERCIAL,
        "price_band": solution.price_band if solution else "",
    }
    return {f"solutions-{index}-{name}": value for name, value in (fields | values).items()}


@pytest.mark.django_db
def test_a_solution_edited_through_the_solutions_page_to_fit_shows_on_the_next_view(
    sme_owner, buyer, listing, words, committed
):
    signals = factories.SolutionFactory(
        company=sme_owner.company,
        name_en="Adaptive signal control",
        problem_solved="Junctions jam at rush hour.",
        categories=[words.traffic],
    )
    city_side, company_side = logged_in(buyer), logged_in(sme_owner)
    assert card_names(city_side.get(demand_matches(listing))) == []

    data = {
        "solutions-TOTAL_FORMS": "2",
        "solutions-INITIAL_FORMS": "1",
        "solutions-MIN_NUM_FORMS": "0",
        "solutions-MAX_NUM_FORMS": "1000",
    }
    data |= solution_form(
        0, signals, categories=[words.disaster.pk], problem_solved_en=FLOOD_SOLUTION_PROBLEM
    )
    data |= solution_form(1, None)
    with committed():
        response = company_side.post(f"/companies/{sme_owner.company.pk}/solutions/", data)
    assert response.status_code == 302

    assert card_names(city_side.get(demand_matches(listing))) == ["Seoul Traffic Systems"]
    assert card_names(company_side.get(company_matches(sme_owner.company))) == [FLOOD_TITLE]


@pytest.mark.django_db
def test_a_solution_whose_text_is_saved_to_fit_shows_on_the_next_view(
    client, buyer, listing, words, committed
):
    company = traffic_company(words)
    client.force_login(buyer)
    assert card_names(client.get(demand_matches(listing))) == []

    solution = company.solutions.get()
    solution.problem_solved = FLOOD_SOLUTION_PROBLEM
    with committed():
        solution.save()

    [(name, reasons)] = match_cards(client.get(demand_matches(listing)))
    assert name == "Seoul Traffic Systems"
    assert reasons[0] == "Problem matched: “Flood early warning for Khon Kaen” ↔ “Adaptive signal control”"


@pytest.mark.django_db
def test_a_company_approved_through_the_review_queue_shows_on_the_next_view(
    client, buyer, admin, listing, words, committed
):
    company = flood_company(words, **pending())
    city_side = logged_in(buyer)
    assert card_names(city_side.get(demand_matches(listing))) == []

    client.force_login(admin)
    with committed():
        response = client.post(f"/accounts/reviews/company/{company.pk}/approve/")
    assert response.status_code == 302

    assert card_names(city_side.get(demand_matches(listing))) == ["Hanriver Flood Alert"]


@pytest.mark.django_db
def test_a_listing_closed_through_its_page_leaves_the_companys_matches_on_the_next_view(
    sme_owner, buyer, listing, words, committed
):
    add_flood_solution(sme_owner.company, words)
    company_side = logged_in(sme_owner)
    assert card_names(company_side.get(company_matches(sme_owner.company))) == [FLOOD_TITLE]

    with committed():
        response = logged_in(buyer).post(f"/demands/{listing.pk}/close/")
    assert response.status_code == 302

    assert card_names(company_side.get(company_matches(sme_owner.company))) == []


@pytest.mark.django_db
def test_a_draft_published_through_its_page_joins_the_companys_matches_on_the_next_view(
    sme_owner, buyer, words, committed
):
    add_flood_solution(sme_owner.company, words)
    draft = flood_listing(buyer.buyer_organisation, words, published=False)
    company_side = logged_in(sme_owner)
    assert card_names(company_side.get(company_matches(sme_owner.company))) == []

    with committed():
        response = logged_in(buyer).post(f"/demands/{draft.pk}/publish/")
    assert response.status_code == 302

    assert card_names(company_side.get(company_matches(sme_owner.company))) == [FLOOD_TITLE]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_listing_published_in_a_transaction_that_commits_late_still_gets_its_matches_page(
    sme_owner, buyer, words
):
    """Real commits, the rebuild task eager in the committing thread. updated_at is taken when a row is
    saved, not when its transaction commits: a stamp of row counts and latest edits (the old scheme)
    missed this publish. Each commit asks for a rebuild of its own, read after it."""
    flood_company(words)
    edited = flood_listing(buyer.buyer_organisation, words, title="Edited flood listing")
    late = flood_listing(buyer.buyer_organisation, words, title="Late flood listing", published=False)
    city_side = logged_in(buyer)
    saved, release = threading.Event(), threading.Event()

    def publish_and_commit_late():
        try:
            with transaction.atomic():
                demand_publish(demand=Demand.objects.get(pk=late.pk))
                saved.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    publisher = threading.Thread(target=publish_and_commit_late)
    publisher.start()
    try:
        assert saved.wait(timeout=30)
        edited.problem = f"{edited.problem} Sirens too."
        edited.save()  # committed now (and rebuilt), with a later updated_at than the publish
        assert card_names(city_side.get(demand_matches(edited))) == ["Hanriver Flood Alert"]
    finally:
        release.set()
        publisher.join()

    response = city_side.get(demand_matches(late))

    assert card_names(response) == ["Hanriver Flood Alert"]


# ---------------------------------------------------------------- query counts
def queries_of_second_view(client, url):
    """(queries, rows, rows with a meeting button) of a page view once the index is warm (the first
    view built it)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    rows = response.context["rows"]
    return len(queries), len(rows), sum(row.meeting_at is not None for row in rows)


# Listing page (the session comes from the cache): the user with their organisation (the navigation
# bar names it), the listing, the latest index build's key (one query; the old stamp took six), the
# companies, their solutions and the solutions' categories, the category, certification and language
# names, the reference cities; for staff and admins the registrations of their events.
LISTING_PAGE_QUERIES = {"buyer": 9, "centre_staff": 10, "admin": 10}
# Company page: the user with their organisation, the company, the latest build's key, the listings,
# the solutions, the category, certification and language names, the reference cities.
COMPANY_PAGE_QUERIES = {"sme_owner": 9, "centre_staff": 9, "admin": 9}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["buyer", "centre_staff", "admin"])
@pytest.mark.parametrize("companies", [1, 10])
def test_the_listing_matches_page_issues_the_same_queries_for_one_and_ten_companies(
    client, request, buyer, centre_staff, listing, words, role, companies
):
    # Every one registered to a Bangkok event: staff and admins get a meeting button on every card.
    event = factories.EventFactory(organising_centre=centre_staff.trade_centre)
    factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation)
    for n in range(companies):
        company = flood_company(words, name_en=f"Flood Alert {n}", name_ko=f"홍수경보 {n}")
        factories.SmeRegistrationFactory(event=event, company=company)
    client.force_login(request.getfixturevalue(role))

    buttons = 0 if role == "buyer" else companies
    assert queries_of_second_view(client, demand_matches(listing)) == (
        LISTING_PAGE_QUERIES[role],
        companies,
        buttons,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["sme_owner", "centre_staff", "admin"])
@pytest.mark.parametrize("listings", [1, 10])
def test_the_company_matches_page_issues_the_same_queries_for_one_and_ten_listings(
    client, request, sme_owner, buyer, words, role, listings
):
    add_flood_solution(sme_owner.company, words)
    flood_listings(buyer.buyer_organisation, words, listings)
    client.force_login(request.getfixturevalue(role))

    url = company_matches(sme_owner.company)
    assert queries_of_second_view(client, url) == (COMPANY_PAGE_QUERIES[role], listings, 0)
