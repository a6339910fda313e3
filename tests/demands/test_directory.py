"""The public list of city demands (/demands/) and a listing's page (/demands/<pk>/).

Filters, multilingual search, pagination, sorting, bad input, query counts, the Korean
interface, and who may see a listing in which state.
"""

import datetime as dt
import functools

import pytest
from django.conf import settings

from matching.demands.models import Demand
from matching.demands.services import demand_search_refresh
from matching.kernel.models import BudgetBand
from tests import factories
from tests.conftest import html_in
from tests.directories import (
    NO_CHOICE,
    NUL,
    ROLES,
    WITH_LOGGED_IN_QUERIES,
    assert_lists_exactly,
    assert_query_count_does_not_grow,
    assert_refused_and_lists_everything,
    categories_in_order,
    listed,
    login_as,
)

KHON_KAEN = "Flood early warning for the markets"
CHIANG_MAI = "Parking guidance for the old town"
USKUDAR = "Traffic signals on the İstanbul bridge approaches"
OPEN = [KHON_KAEN, USKUDAR, CHIANG_MAI]  # newest first


def shown(response):
    """The titles of the listings on the page, in order."""
    return listed(response, "title")


def _refresh_all():
    for demand in Demand.objects.all():
        demand_search_refresh(demand=demand)


def _published(year, month, day):
    return dt.datetime(year, month, day, 9, tzinfo=dt.UTC)


@pytest.fixture
def categories(db):
    return categories_in_order(flood="flood-prevention", parking="smart-parking", traffic="smart-traffic")


@pytest.fixture
def places(buyer, bangkok_centre, istanbul_centre):
    """Khon Kaen (the buyer fixture's city), Chiang Mai and Üsküdar, with a buyer organisation in each."""
    thailand, turkiye = bangkok_centre.city.country, istanbul_centre.city.country
    chiang_mai = factories.CityFactory(
        country=thailand,
        name_en="Chiang Mai",
        name_ko="치앙마이",
        name_local="เชียงใหม่",
        time_zone="Asia/Bangkok",
    )
    uskudar = factories.CityFactory(
        country=turkiye,
        name_en="Üsküdar",
        name_ko="위스퀴다르",
        name_local="Üsküdar",
        time_zone="Europe/Istanbul",
    )
    return {
        "khon_kaen_org": buyer.buyer_organisation,
        "chiang_mai_org": factories.BuyerOrganisationFactory(
            name="Chiang Mai Municipality", name_local="เทศบาลนครเชียงใหม่", city=chiang_mai
        ),
        "uskudar_org": factories.BuyerOrganisationFactory(
            name="Üsküdar Municipality", name_local="Üsküdar Belediyesi", city=uskudar
        ),
    }


@pytest.fixture
def listings(categories, places):
    """Three open listings (Khon Kaen, Chiang Mai, Üsküdar), a draft and a closed one."""
    khon_kaen = factories.DemandFactory(
        buyer=places["khon_kaen_org"],
        title=KHON_KAEN,
        problem="Flash floods reach the night market before anyone is warned.",
        categories=[categories["flood"]],
        procurement_type=Demand.ProcurementType.PILOT,
        budget_band=BudgetBand.FROM_50K,
        deadline=dt.date(2030, 3, 31),
        status=Demand.Status.OPEN,
        published_at=_published(2025, 3, 1),
    )
    chiang_mai = factories.DemandFactory(
        buyer=places["chiang_mai_org"],
        title=CHIANG_MAI,
        problem="Tourist coaches circle the moat looking for space.",
        categories=[categories["parking"]],
        procurement_type=Demand.ProcurementType.TENDER,
        budget_band=BudgetBand.FROM_250K,
        deadline=dt.date(2030, 1, 15),
        status=Demand.Status.OPEN,
        published_at=_published(2025, 1, 10),
    )
    uskudar = factories.DemandFactory(
        buyer=places["uskudar_org"],
        title=USKUDAR,
        problem="Queues on the bridge approaches block the ferry piers.",
        categories=[categories["traffic"], categories["parking"]],
        procurement_type=Demand.ProcurementType.PPP,
        budget_band=BudgetBand.FROM_1M,
        deadline=dt.date(2030, 6, 30),
        status=Demand.Status.OPEN,
        published_at=_published(2025, 2, 5),
    )
    draft = factories.DemandFactory(
        buyer=places["khon_kaen_org"],
        title="Draft: flood sirens for Khon Kaen",
        problem="Flood sirens near the river, 홍수 경보.",
        categories=[categories["flood"]],
    )
    closed = factories.DemandFactory(
        buyer=places["chiang_mai_org"],
        title="Closed: flood and parking sensors for Chiang Mai",
        problem="Flood water in the car parks.",
        categories=[categories["flood"], categories["parking"]],
        procurement_type=Demand.ProcurementType.TENDER,
        status=Demand.Status.CLOSED,
        published_at=_published(2025, 4, 1),
    )
    _refresh_all()
    return {
        "khon_kaen": khon_kaen,
        "chiang_mai": chiang_mai,
        "uskudar": uskudar,
        "draft": draft,
        "closed": closed,
    }


# ---------------------------------------------------------------- list and filters
def test_list_shows_only_open_listings_newest_first(client, listings):
    response = client.get("/demands/")

    assert shown(response) == OPEN
    html = response.content.decode()
    assert "Draft: flood sirens" not in html
    assert "Closed: flood and parking sensors" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=flood-prevention", [KHON_KAEN]),
        ("category=smart-parking", [USKUDAR, CHIANG_MAI]),
        ("category=smart-traffic", [USKUDAR]),
        ("country=TH", [KHON_KAEN, CHIANG_MAI]),
        ("country=TR", [USKUDAR]),
        ("procurement_type=tender", [CHIANG_MAI]),
        ("procurement_type=oda", []),
        ("budget_band=1m-5m", [USKUDAR]),
        ("budget_band=50k-250k", [KHON_KAEN]),
        ("country=TH&category=smart-parking", [CHIANG_MAI]),
        ("country=TH&procurement_type=pilot", [KHON_KAEN]),
        ("q=주차&country=TR", [USKUDAR]),
        ("category=flood-prevention&country=TR", []),
    ],
)
def test_each_filter_narrows_the_list_to_exactly_the_matching_open_listings(
    client, listings, query, expected
):
    assert_lists_exactly(client.get(f"/demands/?{query}"), shown, expected)


@pytest.mark.parametrize(("city", "expected"), [("khon_kaen", [KHON_KAEN]), ("chiang_mai", [CHIANG_MAI])])
def test_city_filter_shows_only_that_citys_open_listings(client, listings, city, expected):
    response = client.get("/demands/", {"city": listings[city].city_id})

    assert shown(response) == expected
    assert response.context["filter"].errors == {}


# ---------------------------------------------------------------- search
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # Korean, with a particle after the noun: 홍수 is the Korean name of the listing's category.
        ("홍수를", [KHON_KAEN]),
        ("주차는", [USKUDAR, CHIANG_MAI]),
        ("콘깬에서", [KHON_KAEN]),
        ("태국", [KHON_KAEN, CHIANG_MAI]),
        # English, whatever the case.
        ("FLOOD", [KHON_KAEN]),
        ("Ferry BRIDGE", [USKUDAR]),
        ("municipality", OPEN),
        # Thai: a city's local name, and a word inside a buyer's local name.
        ("เชียงใหม่", [CHIANG_MAI]),
        ("ขอนแก่น", [KHON_KAEN]),
        ("เทศบาลนคร", [KHON_KAEN, CHIANG_MAI]),
        # Turkish: dotted İ, dotless ı and accents folded.
        ("istanbul", [USKUDAR]),
        ("ISTANBUL", [USKUDAR]),
        ("İSTANBUL", [USKUDAR]),
        ("uskudar", [USKUDAR]),
        ("belediyesi", [USKUDAR]),
        ("nothing-like-this", []),
    ],
)
def test_search_finds_listings_in_korean_english_thai_and_turkish(client, listings, q, expected):
    response = client.get("/demands/", {"q": q})

    assert shown(response) == expected


@pytest.mark.parametrize(
    ("q", "open_ones"),
    # Sirens and car parks name thesaurus concepts (early warning, parking): open listings about them.
    [("sirens", [KHON_KAEN]), ("Draft", []), ("closed", []), ("car parks", [USKUDAR, CHIANG_MAI])],
)
def test_search_never_finds_draft_or_closed_listings(client, listings, q, open_ones):
    response = client.get("/demands/", {"q": q})

    assert shown(response) == open_ones
    html = response.content.decode()
    assert "Draft: flood sirens" not in html
    assert "Closed: flood and parking sensors" not in html


# ---------------------------------------------------------------- sorting
def test_newest_first_is_the_default_order(client, listings):
    assert shown(client.get("/demands/?sort=newest")) == [KHON_KAEN, USKUDAR, CHIANG_MAI]
    assert shown(client.get("/demands/")) == [KHON_KAEN, USKUDAR, CHIANG_MAI]


def test_deadline_sort_shows_the_soonest_deadline_first(client, listings):
    assert shown(client.get("/demands/?sort=deadline")) == [CHIANG_MAI, KHON_KAEN, USKUDAR]


def test_deadline_sort_puts_listings_without_a_deadline_last(client, listings, places, categories):
    factories.DemandFactory(
        buyer=places["khon_kaen_org"],
        title="Open-ended: smart bins",
        categories=[categories["traffic"]],
        deadline=None,
        published=True,
    )

    assert shown(client.get("/demands/?sort=deadline")) == [
        CHIANG_MAI,
        KHON_KAEN,
        USKUDAR,
        "Open-ended: smart bins",
    ]


# ---------------------------------------------------------------- pagination
@pytest.fixture
def many_flood_listings(categories, places):
    """22 open flood listings in Khon Kaen, published a day apart, and 2 parking ones."""

    def open_listings(count, buyer, kind, category, month):
        """`count` open listings "<kind> listing 01".., published on days 1, 2.. of the month in 2025."""
        for n in range(1, count + 1):
            factories.DemandFactory(
                buyer=buyer,
                title=f"{kind} listing {n:02d}",
                categories=[category],
                status=Demand.Status.OPEN,
                published_at=_published(2025, month, n),
            )

    open_listings(22, places["khon_kaen_org"], "Flood", categories["flood"], 1)
    open_listings(2, places["chiang_mai_org"], "Parking", categories["parking"], 2)
    _refresh_all()


def test_pagination_links_keep_the_category_filter(client, many_flood_listings):
    first = client.get("/demands/?category=flood-prevention")

    assert shown(first) == [f"Flood listing {n:02d}" for n in range(22, 2, -1)]
    html = first.content.decode()
    assert 'href="?category=flood-prevention&amp;page=2"' in html
    assert 'href="?category=flood-prevention&amp;page=2" rel="next"' in html

    second = client.get("/demands/?category=flood-prevention&page=2")

    assert shown(second) == ["Flood listing 02", "Flood listing 01"]
    assert 'href="?category=flood-prevention&amp;page=1" rel="prev"' in second.content.decode()


def test_pagination_links_keep_a_thai_search_the_country_and_the_sort(client, many_flood_listings):
    html = client.get("/demands/", {"q": "ขอนแก่น", "country": "TH", "sort": "deadline"}).content.decode()

    assert (
        'href="?q=%E0%B8%82%E0%B8%AD%E0%B8%99%E0%B9%81%E0%B8%81%E0%B9%88%E0%B8%99'
        '&amp;country=TH&amp;sort=deadline&amp;page=2"'
    ) in html


@pytest.mark.parametrize(("page", "number"), [("abc", 1), ("99999", 2), ("", 1)])
def test_a_page_that_is_not_a_number_or_out_of_range_still_shows_a_page(
    client, many_flood_listings, page, number
):
    response = client.get("/demands/", {"page": page})

    assert response.status_code == 200
    assert response.context["page_obj"].number == number


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("query", ["q=%00", "q=a%00b"])
def test_a_nul_byte_in_the_search_is_refused_with_a_message_not_a_server_error(client, listings, query):
    response = client.get(f"/demands/?{query}")

    assert_refused_and_lists_everything(response, "q", NUL, shown, OPEN)


def test_a_ten_thousand_character_search_is_refused_with_a_clear_message(client, listings):
    response = client.get("/demands/", {"q": "홍수" * 5_000})

    message = "Ensure this value has at most 200 characters (it has 10000)."
    assert_refused_and_lists_everything(response, "q", message, shown, OPEN)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("category=no-such-category", "category", NO_CHOICE),
        ("country=ZZ", "country", NO_CHOICE),
        ("city=abc", "city", NO_CHOICE),
        ("city=999999", "city", NO_CHOICE),
        ("city=1.5", "city", NO_CHOICE),
        ("city=%00", "city", NUL),
        (
            "procurement_type=bribe",
            "procurement_type",
            "Select a valid choice. bribe is not one of the available choices.",
        ),
        (
            "budget_band=unlimited",
            "budget_band",
            "Select a valid choice. unlimited is not one of the available choices.",
        ),
        ("sort=cheapest", "sort", "Select a valid choice. cheapest is not one of the available choices."),
    ],
)
def test_an_unknown_filter_value_shows_an_error_and_lists_every_open_listing(
    client, listings, query, field, message
):
    response = client.get(f"/demands/?{query}")

    assert_refused_and_lists_everything(response, field, message, shown, OPEN)


def test_html_in_the_search_is_echoed_escaped(client, listings):
    response = client.get("/demands/", {"q": "<script>alert(1)</script>"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html


# ---------------------------------------------------------------- query counts
def _listings_with_categories(count, categories):
    """Open listings, each by a buyer in its own city and country, with two categories."""
    for _ in range(count):
        demand = factories.DemandFactory(
            published=True, categories=[categories["flood"], categories["traffic"]]
        )
        demand_search_refresh(demand=demand)


# count, 3 filter selects, listings with buyer, city and country, categories; a logged-in user adds
# the user (with their organisation, for the menu; the session comes from the cache); each chosen
# category, country or city is looked up once to validate the form.
@WITH_LOGGED_IN_QUERIES
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/demands/", 6),
        ("/demands/?sort=deadline&q=flood", 6),
        ("/demands/?category=flood-prevention&procurement_type=pilot", 7),
    ],
)
def test_list_query_count_does_not_grow_with_the_number_of_listings(
    client, request, categories, role, logged_in_queries, url, queries
):
    add_rows = functools.partial(_listings_with_categories, categories=categories)

    assert_query_count_does_not_grow(client, request, role, url, add_rows, queries + logged_in_queries)


def test_list_query_count_is_pinned_with_country_and_city_filters(
    client, categories, places, django_assert_num_queries
):
    city = places["chiang_mai_org"].city
    for _ in range(25):
        demand = factories.DemandFactory(
            published=True, buyer=places["chiang_mai_org"], categories=[categories["flood"]]
        )
        demand_search_refresh(demand=demand)

    with django_assert_num_queries(8):
        response = client.get("/demands/", {"country": "TH", "city": city.pk, "page": 2})

    assert len(response.context["page_obj"]) == 5


# ---------------------------------------------------------------- Korean interface
def test_list_in_korean_shows_korean_names_of_categories_cities_and_countries(client, listings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"

    html = html_in(client.get("/demands/"), "ko")

    assert '<option value="flood-prevention">홍수 방재</option>' in html
    assert '<option value="TH">태국</option>' in html
    # The category badge on the Khon Kaen card.
    assert html.count(">홍수 방재</span>") == 1
    assert "콘깬, 태국 · Khon Kaen City Municipality" in html


# ---------------------------------------------------------------- listing visibility
@pytest.fixture
def states(listings, places, istanbul_centre, categories):
    """Listings in every state the visibility rules tell apart."""
    chiang_mai_draft = factories.DemandFactory(
        buyer=places["chiang_mai_org"], title="Draft: Chiang Mai parking", categories=[categories["parking"]]
    )
    istanbul_buyer = factories.BuyerOrganisationFactory(
        name="Istanbul Metropolitan Municipality", city=istanbul_centre.city
    )
    istanbul_draft = factories.DemandFactory(
        buyer=istanbul_buyer, title="Draft: Istanbul ferries", categories=[categories["traffic"]]
    )
    return {
        "open": listings["khon_kaen"],
        "own_draft": listings["draft"],
        "own_closed": factories.DemandFactory(
            buyer=places["khon_kaen_org"],
            title="Closed: Khon Kaen bus tracking",
            status=Demand.Status.CLOSED,
            published_at=_published(2024, 5, 1),
        ),
        "other_thai_draft": chiang_mai_draft,
        "istanbul_draft": istanbul_draft,
    }


VISIBILITY = {
    # role:                open  own_draft own_closed other_thai_draft istanbul_draft
    "anonymous": (200, 404, 404, 404, 404),
    "sme_owner": (200, 404, 404, 404, 404),
    "stranger": (200, 404, 404, 404, 404),
    "buyer": (200, 200, 200, 404, 404),  # the Khon Kaen buyer: their own listings in any state
    "centre_staff": (200, 200, 200, 200, 404),  # Bangkok covers Thailand
    "other_centre_staff": (200, 404, 404, 404, 200),  # Istanbul covers Türkiye
    "admin": (200, 200, 200, 200, 200),
}
STATES = ["open", "own_draft", "own_closed", "other_thai_draft", "istanbul_draft"]


@pytest.mark.parametrize(
    ("role", "state", "status"),
    [(role, state, VISIBILITY[role][i]) for role in ROLES for i, state in enumerate(STATES)],
)
def test_listing_visibility_by_role_and_state(client, request, states, role, state, status):
    demand = states[state]
    login_as(client, request, role)

    response = client.get(f"/demands/{demand.pk}/")

    assert response.status_code == status
    if status == 200:
        assert response.context["demand"] == demand
    else:
        assert demand.title not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_a_listing_that_does_not_exist_is_not_found_for_anyone(client, request, db, role):
    login_as(client, request, role)

    assert client.get("/demands/999999/").status_code == 404
