"""The roadshow catalogue (/events/<pk>/meet/): the other side's confirmed participants as cards with their
fit, filters, sorting, a shortlist per member, requests from the cards; the same number of queries for 3
cards as for 9."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.consultations.events.models import Registration, ShortlistEntry
from tests import factories
from tests.recommendations import (
    decoy_company,
    flood_company,
    flood_listing,
    reset_match_index,
    text_of,
    traffic_company,
    vocabulary,
)


@pytest.fixture(autouse=True)
def _fresh_index():
    reset_match_index()
    yield
    reset_match_index()


@pytest.fixture
def words(db):
    return vocabulary()


@pytest.fixture
def fair(buyer, bangkok_centre, words):
    """Khon Kaen (buyer) asks for flood early warning at a Bangkok roadshow where three Korean companies
    are confirmed: a strong fit, a weak one and one that fits nothing; a fourth is only pending."""
    event = factories.EventFactory(
        name="Khon Kaen Smart City Day", city=bangkok_centre.city, organising_centre=bangkok_centre
    )
    listing = flood_listing(buyer.buyer_organisation, words)
    flood = flood_company(words, description_en="Sirens and river gauges that warn before the water rises.")
    flood_registration = factories.SmeRegistrationFactory(event=event, company=flood, languages=[words.thai])
    decoy = factories.SmeRegistrationFactory(
        event=event, company=decoy_company(words), needs_interpreter=True
    )
    traffic = factories.SmeRegistrationFactory(event=event, company=traffic_company(words))
    factories.SmeRegistrationFactory(
        event=event,
        company=factories.CompanyFactory(name_en="Pending Robotics"),
        status=Registration.Status.PENDING,
    )
    own = factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation)
    return {
        "event": event,
        "listing": listing,
        "flood": flood_registration,
        "decoy": decoy,
        "traffic": traffic,
        "own": own,
    }


_CARD = re.compile(r'<article class="[^"]*\bparticipant-card\b[^"]*" id="p(\d+)"[^>]*>(.*?)</article>', re.S)


def cards(response):
    """{registration id: the card's visible text}, in the page's order."""
    assert response.status_code == 200
    return {int(pk): text_of(body) for pk, body in _CARD.findall(response.content.decode())}


def meet(event):
    return f"/events/{event.pk}/meet/"


def test_a_buyer_sees_the_confirmed_companies_best_fit_first_with_score_reasons_and_profile(
    client, buyer, fair
):
    client.force_login(buyer)

    response = client.get(meet(fair["event"]))

    shown = cards(response)
    assert list(shown) == [fair["flood"].pk, fair["decoy"].pk, fair["traffic"].pk]  # pending left out
    flood = shown[fair["flood"].pk]
    assert "Hanriver Flood Alert" in flood
    assert "Sirens and river gauges" in flood  # the one-line summary
    assert "Disaster response" in flood  # its categories
    assert "Thai" in flood  # its languages at the event
    assert "Problem matched: “Flood early warning for Khon Kaen” ↔ “Flood siren network”" in flood
    assert "Best pair: their Flood siren network for your “Flood early warning for Khon Kaen”." in flood
    assert "No fit score" in shown[fair["traffic"].pk]
    assert "Needs an interpreter" in shown[fair["decoy"].pk]
    assert f'href="/companies/{fair["flood"].company_id}/"' in response.content.decode()
    assert "3 participants" in response.content.decode()


def test_an_sme_sees_the_buyers_with_their_open_listings_and_the_fit_to_its_own_solutions(
    client, buyer, fair, words
):
    member = factories.SmeMemberFactory(company=fair["flood"].company)
    client.force_login(member)

    response = client.get(meet(fair["event"]))

    shown = cards(response)
    assert list(shown) == [fair["own"].pk]
    text = shown[fair["own"].pk]
    assert "Khon Kaen City Municipality" in text
    assert "Open listings: Flood early warning for Khon Kaen" in text
    assert "Best pair: your Flood siren network for “Flood early warning for Khon Kaen”." in text
    assert f'href="/demands/{fair["listing"].pk}/"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=smart-traffic", ["traffic"]),
        ("category=disaster-response", ["flood", "decoy"]),
        ("language=th", ["flood"]),
        ("interpreter=yes", ["decoy"]),
        ("interpreter=no", ["flood", "traffic"]),
        ("q=hanriver", ["flood"]),
        ("q=%ED%95%9C%EA%B0%95", ["flood"]),  # 한강, the Korean name
        ("sort=name", ["decoy", "flood", "traffic"]),
        ("sort=fit", ["flood", "decoy", "traffic"]),
    ],
)
def test_filters_and_sorting(client, buyer, fair, query, expected):
    client.force_login(buyer)

    response = client.get(f"{meet(fair['event'])}?{query}")

    assert list(cards(response)) == [fair[name].pk for name in expected]


def test_the_city_filter_offers_the_participants_cities_only(client, buyer, fair, words):
    fair["flood"].company.headquarters = words.chonburi
    fair["flood"].company.save()
    client.force_login(buyer)

    page = client.get(meet(fair["event"])).content.decode()
    filtered = client.get(f"{meet(fair['event'])}?city={words.chonburi.pk}")

    city_select = page[page.index('name="city"') : page.index("</select>", page.index('name="city"'))]
    assert "Chonburi" in city_select
    assert "Bangkok" not in city_select
    assert list(cards(filtered)) == [fair["flood"].pk]


@pytest.mark.parametrize(
    "query",
    [
        "category=no-such",
        "city=abc",
        "city=999999",
        "language=zz",
        "interpreter=maybe",
        "sort=random",
        "q=" + "x" * 500,
    ],
)
def test_a_bad_filter_value_says_so_and_lists_everyone(client, buyer, fair, query):
    client.force_login(buyer)

    response = client.get(f"{meet(fair['event'])}?{query}")

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert len(cards(response)) == 3


def test_no_match_for_the_filters_offers_to_show_everyone(client, buyer, fair):
    client.force_login(buyer)

    response = client.get(f"{meet(fair['event'])}?q=nobody-has-this-name")

    assert cards(response) == {}
    assert "No participant matches these filters." in response.content.decode()


def test_a_member_shortlists_a_participant_once_and_sees_the_shortlist_only(client, buyer, fair):
    client.force_login(buyer)
    add = f"/events/{fair['event'].pk}/meet/shortlist/add/"

    first = client.post(add, {"with": fair["decoy"].pk, "filters": "sort=name"})
    client.post(add, {"with": fair["decoy"].pk})  # a double click

    assert first.status_code == 302
    assert first["Location"] == f"{meet(fair['event'])}?sort=name#p{fair['decoy'].pk}"
    assert ShortlistEntry.objects.filter(user=buyer, registration=fair["decoy"]).count() == 1
    shortlist = client.get(f"{meet(fair['event'])}?shortlist=mine")
    assert list(cards(shortlist)) == [fair["decoy"].pk]
    assert "On your shortlist" in cards(shortlist)[fair["decoy"].pk]

    client.post(f"/events/{fair['event'].pk}/meet/shortlist/remove/", {"with": fair["decoy"].pk})

    assert not ShortlistEntry.objects.exists()


def test_a_shortlist_is_the_members_own(client, buyer, fair):
    colleague = factories.BuyerMemberFactory(buyer_organisation=buyer.buyer_organisation)
    ShortlistEntry.objects.create(user=colleague, registration=fair["flood"])
    client.force_login(buyer)

    response = client.get(f"{meet(fair['event'])}?shortlist=mine")

    assert cards(response) == {}


@pytest.mark.parametrize("who", ["own side", "other event", "pending", "not a number"])
def test_nobody_shortlists_outside_the_other_sides_confirmed_participants(client, buyer, fair, who):
    other_event = factories.EventFactory(organising_centre=fair["event"].organising_centre)
    target = {
        "own side": lambda: fair["own"].pk,
        "other event": lambda: factories.SmeRegistrationFactory(event=other_event).pk,
        "pending": lambda: Registration.objects.get(company__name_en="Pending Robotics").pk,
        "not a number": lambda: "1 OR 1=1",
    }[who]()
    client.force_login(buyer)

    response = client.post(f"/events/{fair['event'].pk}/meet/shortlist/add/", {"with": target})

    assert response.status_code == 404
    assert not ShortlistEntry.objects.exists()


def test_the_filters_are_kept_after_a_request_from_a_card(client, buyer, fair):
    client.force_login(buyer)

    response = client.post(
        meet(fair["event"]),
        {"with": fair["flood"].pk, "priority": "must", "filters": "category=disaster-response"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{meet(fair['event'])}?category=disaster-response#p{fair['flood'].pk}"
    assert "Awaiting answer · Must meet" in cards(client.get(response["Location"]))[fair["flood"].pk]


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_catalogue_takes_as_many_queries_for_nine_cards_as_for_three(client, buyer, fair, words):
    client.force_login(buyer)
    url = meet(fair["event"])
    _queries(client, url)  # the first page builds the match index
    ShortlistEntry.objects.create(user=buyer, registration=fair["flood"])
    three = _queries(client, url)

    for n in range(6):
        company = flood_company(words, name_en=f"Flood Works {n}", name_ko=f"홍수 {n}", logo=f"logos/{n}.png")
        registration = factories.SmeRegistrationFactory(event=fair["event"], company=company)
        registration.languages.add(words.english)
        ShortlistEntry.objects.create(user=buyer, registration=registration)
        factories.MeetingRequestFactory(
            event=fair["event"], sme=registration, buyer=fair["own"], requested_by=buyer
        )
    _queries(client, url)  # the new companies' index build
    nine = _queries(client, url)

    assert len(cards(client.get(url))) == 9
    assert nine == three


def test_a_request_staff_made_for_the_buyer_says_so_on_the_companys_card(client, buyer, fair, centre_staff):
    factories.MeetingRequestFactory(
        event=fair["event"],
        sme=fair["flood"],
        buyer=fair["own"],
        requested_by=centre_staff,
        requested_by_sme=False,
    )
    factories.MeetingRequestFactory(
        event=fair["event"], sme=fair["decoy"], buyer=fair["own"], requested_by=buyer, requested_by_sme=False
    )
    client.force_login(buyer)

    shown = cards(client.get(meet(fair["event"])))

    assert "Requested for you by KOTRA Bangkok" in shown[fair["flood"].pk]
    assert "Requested for you" not in shown[fair["decoy"].pk]  # the buyer's own request
