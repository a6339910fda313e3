"""A match leads somewhere: each card offers its member a meeting request, interest or a question,
about the listing it matched (partner requests, matching.partnering)."""

import pytest

from tests.recommendations import add_flood_solution
from tests.recommendations.conftest import company_matches, demand_matches

pytestmark = pytest.mark.django_db


def test_a_buyers_match_card_offers_to_contact_the_company(client, buyer, listing, flood_alert):
    client.force_login(buyer)

    html = client.get(demand_matches(listing)).content.decode()

    for kind in ("online", "interest", "question"):
        assert f'href="/partners/new/?company={flood_alert.pk}&amp;kind={kind}"' in html


def test_a_companys_match_card_offers_to_contact_the_buyer_about_that_listing(
    client, sme_owner, listing, words
):
    add_flood_solution(sme_owner.company, words)
    client.force_login(sme_owner)

    html = client.get(company_matches(sme_owner.company)).content.decode()

    link = f"/partners/new/?buyer={listing.buyer_id}&amp;demand={listing.pk}&amp;kind=online"
    assert f'href="{link}"' in html


def test_staff_looking_at_a_listings_matches_get_no_member_actions(
    client, centre_staff, listing, flood_alert
):
    client.force_login(centre_staff)

    html = client.get(demand_matches(listing)).content.decode()

    assert "Hanriver Flood Alert" in html
    assert "/partners/new/" not in html
