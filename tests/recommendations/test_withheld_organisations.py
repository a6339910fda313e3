"""An organisation whose members withdrew their consent to the transfer abroad (portal.privacy) is withheld
from the other side everywhere, not only in the directories: match pages, dashboards, a listing's related
companies, and its own page opened by a direct link. Its own members and the organisers still see it."""

import pytest

from portal.privacy import services
from portal.privacy.models import REQUIRED_KINDS
from tests import factories
from tests.recommendations import add_flood_solution, match_cards
from tests.recommendations.conftest import company_matches, demand_matches


def withdrawn(user, law):
    services.consents_give(user=user, law=law, kinds=REQUIRED_KINDS, source="signup")
    services.consent_change(user=user, kind="transfer", granted=False)
    return user


@pytest.fixture
def withheld_company(flood_alert):
    withdrawn(factories.SmeMemberFactory(company=flood_alert), "pipa")
    return flood_alert


@pytest.mark.django_db
def test_a_withheld_company_leaves_the_listings_matches_and_the_weaker_stay(
    client, buyer, listing, withheld_company, decoy
):
    client.force_login(buyer)

    response = client.get(demand_matches(listing))

    assert [name for name, _reasons in match_cards(response)] == ["Decoy Drone Works"]


@pytest.mark.django_db
def test_a_withheld_company_leaves_the_buyers_dashboard(client, buyer, listing, withheld_company, decoy):
    client.force_login(buyer)

    html = client.get("/accounts/").content.decode()

    assert "Hanriver Flood Alert" not in html


@pytest.mark.django_db
def test_a_withheld_companys_page_is_not_found_by_the_other_side_but_its_members_and_staff_see_it(
    client, buyer, centre_staff, withheld_company
):
    member = withheld_company.members.get()
    url = f"/companies/{withheld_company.pk}/"

    client.force_login(buyer)
    assert client.get(url).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == 200
    client.force_login(centre_staff)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_withheld_company_is_not_among_a_listings_related_companies(
    client, buyer, listing, withheld_company
):
    client.force_login(buyer)

    response = client.get(f"/demands/{listing.pk}/")

    assert withheld_company not in list(response.context["companies"])


@pytest.mark.django_db
def test_a_withheld_buyers_listing_leaves_the_companys_matches_and_its_page(
    client, sme_owner, buyer, listing, words
):
    add_flood_solution(sme_owner.company, words)
    client.force_login(sme_owner)
    assert [name for name, _ in match_cards(client.get(company_matches(sme_owner.company)))] != []

    withdrawn(buyer, "pdpa")

    assert match_cards(client.get(company_matches(sme_owner.company))) == []
    assert client.get(f"/demands/{listing.pk}/").status_code == 404
    client.force_login(buyer)
    assert client.get(f"/demands/{listing.pk}/").status_code == 200  # its own members still read it
