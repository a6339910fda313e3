"""What a reviewer sees of a new organisation before deciding: profile, solutions, website, brochure,
the business registration number's check, and the members who signed up."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.companies.models import Company
from matching.kernel.models import ApprovalStatus
from tests import factories
from tests.accounts.test_review_queue import QUEUE, pending_company, pending_thai_buyer  # noqa: F401

pytestmark = pytest.mark.django_db


def card_of(response, name):
    """The HTML of the review card that names the organisation."""
    page = response.content.decode()
    start = page.index(f">{name}</h3>")
    return page[start : page.index("</article>", start)]


def test_a_company_card_shows_its_profile_solutions_website_brochure_and_members(
    client, admin, pending_company
):
    Company.objects.filter(pk=pending_company.pk).update(website="https://hanbit.example", brochure="b.pdf")
    flood = factories.CategoryFactory(name_en="Flood prevention")
    factories.SolutionFactory(
        company=pending_company, name_en="Junction AI", categories=[flood], problem_solved="Jammed junctions."
    )
    client.force_login(admin)

    card = card_of(client.get(QUEUE), "Hanbit Signal Control")

    assert pending_company.formatted_brn in card
    assert "passes the check-digit test" in card
    assert f'href="/companies/{pending_company.pk}/"' in card
    assert "Junction AI" in card and "Flood prevention" in card and "Jammed junctions." in card
    assert 'href="https://hanbit.example"' in card
    assert f'href="/companies/{pending_company.pk}/brochure/"' in card
    assert "jiwoo@hanbit.example" in card and "minjun@hanbit.example" in card


def test_a_business_number_that_fails_the_check_is_flagged(client, admin, pending_company):
    Company.objects.filter(pk=pending_company.pk).update(business_registration_number="1234567890")
    client.force_login(admin)

    card = card_of(client.get(QUEUE), "Hanbit Signal Control")

    assert "fails the check-digit test" in card
    assert "123-45-67890" in card


def test_a_buyer_card_shows_its_kind_contact_website_and_members(client, centre_staff, pending_thai_buyer):
    pending_thai_buyer.website = "https://udon.example"
    pending_thai_buyer.contact_name = "Somchai"
    pending_thai_buyer.save()
    client.force_login(centre_staff)

    card = card_of(client.get(QUEUE), "Udon Thani City Municipality")

    assert pending_thai_buyer.get_kind_display() in card
    assert 'href="https://udon.example"' in card
    assert "Somchai" in card
    assert "somchai@udon.example" in card


def test_the_queue_runs_the_same_number_of_queries_for_one_and_five_companies(client, admin):
    def pending(n):
        company = factories.CompanyFactory(name_en=f"Pending {n}", approval_status=ApprovalStatus.PENDING)
        factories.SolutionFactory(company=company)
        factories.SmeMemberFactory(company=company)

    client.force_login(admin)
    pending(0)
    with CaptureQueriesContext(connection) as one:
        client.get(QUEUE)
    for n in range(1, 5):
        pending(n)
    with CaptureQueriesContext(connection) as five:
        response = client.get(QUEUE)

    assert len(response.context["companies"]) == 5
    assert len(five) == len(one)
