"""The city fields on the pages: buyers in Izmir and Hanoi sign up, a listing is placed in Da Nang, a
Korean company's headquarters and a centre's event are placed in cities the portal had no row of; bad
input re-renders the form with what was typed and a precise message, never a server error."""

import json

import pytest
from django.contrib.auth import get_user_model

from matching.consultations.events.models import Event
from matching.demands.models import BuyerOrganisation, Demand
from matching.geo import dataset
from matching.geo.models import City
from portal.privacy.models import law_for_country
from tests import factories
from tests.accounts.test_signup import buyer_data
from tests.companies.test_editing import edit_url, profile_data
from tests.consultations.test_event_setup import event_form
from tests.demands.test_writing import listing_data

SIGNUP = "/accounts/signup/"
CITIES = "/places/cities/"
HANOI, IZMIR, DA_NANG, KHON_KAEN, CHANGWON = 1581130, 311046, 1583992, 1609776, 1846326
User = get_user_model()


def signup_in(country, city, **changes):
    data = buyer_data(factories.CityFactory.build(pk=0), **changes)
    # The consents were given under the notices of the chosen country's law.
    law = law_for_country(country)
    return data | {"buyer-city_country": country, "buyer-city": city, "consent-law": law} | changes


def nothing_created():
    return not User.objects.exists() and not BuyerOrganisation.objects.exists()


@pytest.mark.django_db
def test_a_buyer_from_izmir_signs_up_and_the_city_has_istanbuls_time_zone(client, istanbul_centre):
    data = signup_in("TR", f"g{IZMIR}", **{"buyer-name": "İzmir Büyükşehir Belediyesi"})

    response = client.post(SIGNUP, data)

    assert response.status_code == 302
    organisation = BuyerOrganisation.objects.get()
    city = organisation.city
    assert (city.name_en, city.name_local, city.time_zone, city.geonames_id) == (
        "Izmir",
        "İzmir",
        "Europe/Istanbul",
        IZMIR,
    )
    assert city.country == istanbul_centre.city.country  # Türkiye, the centre's: no second country
    assert organisation.country.trade_centres.get() == istanbul_centre


@pytest.mark.django_db
def test_a_buyer_from_hanoi_signs_up_in_a_country_the_portal_had_no_row_of(client):
    response = client.post(SIGNUP, signup_in("VN", f"g{HANOI}", **{"buyer-name": "Hanoi People's Committee"}))

    assert response.status_code == 302
    city = BuyerOrganisation.objects.get().city
    # GeoNames puts Hanoi in Asia/Bangkok (the same offset as Asia/Ho_Chi_Minh).
    assert (city.name_en, city.time_zone, city.country.iso_code, city.country.name_en) == (
        "Hanoi",
        "Asia/Bangkok",
        "VN",
        "Vietnam",
    )


@pytest.mark.django_db
def test_the_signup_page_offers_every_country_but_korea_and_the_chosen_countrys_cities(
    client, bangkok_centre
):
    factories.CountryFactory(iso_code="KR", name_en="Korea", name_ko="대한민국")

    content = client.get(SIGNUP).content.decode()

    assert '<option value="TH">Thailand</option>' in content
    assert '<option value="VN">Vietnam</option>' in content
    assert '<option value="TR">Turkey</option>' in content
    assert 'value="KR"' not in content
    assert 'name="buyer-city_country"' in content
    assert "js/city-picker.js" in content


@pytest.mark.django_db
def test_without_script_the_show_button_brings_the_countrys_cities_and_keeps_what_was_typed(client):
    data = signup_in("TR", "", **{"buyer-city_show": "1", "buyer-name": "Izmir Metropolitan Municipality"})

    response = client.post(SIGNUP, data)

    content = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="g{IZMIR}">Izmir</option>' in content
    assert '<option value="TR" selected>Turkey</option>' in content
    assert 'name="buyer-name" value="Izmir Metropolitan Municipality"' in content
    assert 'name="account-email" value="somchai@udon.example"' in content
    assert "invalid-feedback" not in content
    assert nothing_created()


@pytest.mark.parametrize(
    ("country", "city", "message"),
    [
        ("XX", f"g{IZMIR}", "“XX” is not a country of the list: choose one from it."),
        ("T" * 10_000, f"g{IZMIR}", "“TTTTTTTTTT” is not a country of the list: choose one from it."),
        (
            "TR",
            "I" * 10_000,
            "This is not a city of the list: choose your city from the list of its country.",
        ),
        ("TR", "Izmir", "This is not a city of the list: choose your city from the list of its country."),
        (
            "TR",
            "g999999999",
            "This is not a city of the list: choose your city from the list of its country.",
        ),
        ("VN", f"g{IZMIR}", "Izmir is in Türkiye, not in Vietnam: choose a city of Vietnam."),
        ("VN", "istanbul", "Istanbul is in Türkiye, not in Vietnam: choose a city of Vietnam."),
        ("KR", f"g{CHANGWON}", "Korea is not one of the countries offered here: choose one from the list."),
        ("TR", "", "Choose a city of Türkiye."),
    ],
)
@pytest.mark.django_db
def test_a_bad_place_re_renders_the_signup_with_what_was_typed_and_a_precise_error(
    client, istanbul_centre, country, city, message
):
    factories.CountryFactory(iso_code="KR", name_en="Korea", name_ko="대한민국")
    city = str(istanbul_centre.city.pk) if city == "istanbul" else city
    cities_before = City.objects.count()

    response = client.post(SIGNUP, signup_in(country, city, **{"buyer-name": "Izmir Water Authority"}))

    assert response.status_code == 200
    assert response.context["buyer_form"].errors == {"city": [message]}
    content = response.content.decode()
    assert 'name="buyer-name" value="Izmir Water Authority"' in content
    assert 'id="error_1_id_buyer-city"' in content
    assert nothing_created()
    assert City.objects.count() == cities_before


@pytest.mark.django_db
def test_the_cities_of_a_country_come_as_json_with_the_portals_own_city_in_place_of_the_data_sets(
    client, istanbul_centre
):
    response = client.get(CITIES, {"country": "tr"})

    cities = json.loads(response.content)["cities"]
    istanbul = istanbul_centre.city
    assert response.status_code == 200
    assert [str(istanbul.pk), "Istanbul"] in cities
    assert [f"g{IZMIR}", "Izmir"] in cities
    assert ["g745044", "Istanbul"] not in cities  # the data set's Istanbul is the portal's row
    assert len(cities) == len(dataset.cities_of("TR"))
    assert client.get(CITIES, {"country": "XX"}).status_code == 404
    assert client.get(CITIES, {"country": "T" * 10_000}).status_code == 404
    assert client.get(CITIES).status_code == 404


@pytest.fixture
def vietnamese_buyer(client):
    hanoi = factories.CityFactory(
        country=factories.CountryFactory(iso_code="VN", name_en="Vietnam", name_ko="베트남"),
        name_en="Hanoi",
        name_ko="하노이",
        time_zone="Asia/Bangkok",
        geonames_id=HANOI,
    )
    organisation = factories.BuyerOrganisationFactory(name="Hanoi People's Committee", city=hanoi)
    member = factories.BuyerMemberFactory(username="hanoi", buyer_organisation=organisation)
    client.force_login(member)
    return member


@pytest.mark.django_db
def test_a_buyer_in_hanoi_places_a_listing_in_da_nang(client, vietnamese_buyer):
    flood = factories.CategoryFactory(slug="flood", name_en="Flood prevention")
    data = listing_data(vietnamese_buyer.buyer_organisation.city, flood) | {"city": f"g{DA_NANG}"}

    response = client.post("/demands/new/", data)

    assert response.status_code == 302
    city = Demand.objects.get().city
    assert (city.name_en, city.name_local, city.time_zone, city.country.iso_code) == (
        "Da Nang",
        "Đà Nẵng",
        "Asia/Ho_Chi_Minh",
        "VN",
    )


@pytest.mark.django_db
def test_a_buyer_in_hanoi_cannot_place_a_listing_in_izmir(client, vietnamese_buyer, istanbul_centre):
    flood = factories.CategoryFactory(slug="flood", name_en="Flood prevention")
    data = listing_data(vietnamese_buyer.buyer_organisation.city, flood) | {"city": f"g{IZMIR}"}

    response = client.post("/demands/new/", data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "city": ["Izmir is in Türkiye, not in Vietnam: choose a city of Vietnam."]
    }
    assert not Demand.objects.exists()
    assert not City.objects.filter(geonames_id=IZMIR).exists()


@pytest.mark.django_db
def test_a_korean_company_places_its_headquarters_in_a_korean_city_of_the_data_set(client, sme_owner):
    factories.CountryFactory(iso_code="KR", name_en="Korea", name_ko="대한민국")
    company = sme_owner.company
    client.force_login(sme_owner)

    page = client.get(edit_url(company)).content.decode()
    response = client.post(edit_url(company), profile_data(company, headquarters=f"g{CHANGWON}"))

    assert f'<option value="g{CHANGWON}">Changwon</option>' in page
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.headquarters.name_en, company.headquarters.time_zone) == ("Changwon", "Asia/Seoul")


@pytest.mark.django_db
def test_bangkok_staff_hold_an_event_in_a_thai_city_new_to_the_portal(client, centre_staff):
    client.force_login(centre_staff)
    data = event_form(centre_staff.trade_centre.city, time_zone="") | {"city": f"g{KHON_KAEN}"}

    response = client.post("/events/new/", data)

    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.city.name_en, event.city.geonames_id, event.time_zone) == (
        "Khon Kaen",
        KHON_KAEN,
        "Asia/Bangkok",
    )
