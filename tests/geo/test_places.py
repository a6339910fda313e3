"""Places beyond the fixed list: a city of the bundled GeoNames data set becomes a portal city on first
use, with the data set's time zone, once however many sign-ups choose it at the same moment."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from matching.geo import dataset
from matching.geo.models import City, Country
from matching.geo.services import city_get_or_create_from_dataset, country_get_or_create_from_dataset
from tests import factories
from tests.races import race

HANOI, IZMIR, DA_NANG, JAKARTA, RIYADH, BANGKOK, GWANGJU = (
    1581130, 311046, 1583992, 1642911, 108410, 1609350, 1841811,
)  # fmt: skip


def test_the_data_set_holds_the_cities_of_the_kotra_centres_and_their_buyers_with_time_zones():
    found = {gid: dataset.city(gid) for gid in [HANOI, IZMIR, DA_NANG, JAKARTA, RIYADH, BANGKOK]}

    assert {gid: (city.country_code, city.name_en, city.time_zone) for gid, city in found.items()} == {
        HANOI: ("VN", "Hanoi", "Asia/Bangkok"),  # what GeoNames says for Hanoi
        IZMIR: ("TR", "Izmir", "Europe/Istanbul"),
        DA_NANG: ("VN", "Da Nang", "Asia/Ho_Chi_Minh"),
        JAKARTA: ("ID", "Jakarta", "Asia/Jakarta"),
        RIYADH: ("SA", "Riyadh", "Asia/Riyadh"),
        BANGKOK: ("TH", "Bangkok", "Asia/Bangkok"),
    }
    assert (found[IZMIR].name_local, found[DA_NANG].name_local, found[HANOI].name_local) == (
        "İzmir",
        "Đà Nẵng",
        "Hà Nội",
    )


def test_two_cities_of_one_name_in_one_country_are_told_apart():
    names = [city.name_en for city in dataset.cities_of("KR") if city.name_en.startswith("Gwangju")]

    assert names == ["Gwangju", "Gwangju (near Seongnam-si)"]
    assert dataset.city(GWANGJU).name_en == "Gwangju"


def test_a_name_finds_the_data_set_city_whatever_its_spelling():
    assert dataset.match("TH", "Chonburi").name_en == "Chon Buri"
    assert dataset.match("TR", "İZMİR").geonames_id == IZMIR
    assert dataset.match("KR", "Gwangju").geonames_id == GWANGJU  # the larger of the two
    assert dataset.match("TH", "Eastern Economic Corridor") is None
    assert dataset.city("not a number") is None
    assert dataset.cities_of("XX") == ()


@pytest.mark.django_db
def test_a_city_of_the_data_set_becomes_a_portal_city_with_its_time_zone_and_names():
    izmir = city_get_or_create_from_dataset(geonames_id=IZMIR, country_code="TR")

    assert (izmir.name_en, izmir.name_ko, izmir.name_local, izmir.time_zone, izmir.geonames_id) == (
        "Izmir",
        "",
        "İzmir",
        "Europe/Istanbul",
        IZMIR,
    )
    assert (izmir.country.iso_code, izmir.country.name_en, izmir.country.name_ko) == ("TR", "Turkey", "")
    assert str(izmir) == "Izmir"  # the Korean name is left to staff: pages show the English one
    assert city_get_or_create_from_dataset(geonames_id=IZMIR) == izmir
    assert City.objects.count() == 1


@pytest.mark.django_db
def test_a_portal_city_of_that_name_is_linked_and_keeps_its_names_and_time_zone():
    thailand = factories.CountryFactory(iso_code="TH", name_en="Thailand", name_ko="태국")
    bangkok = factories.CityFactory(
        country=thailand, name_en="Bangkok", name_ko="방콕", time_zone="Asia/Bangkok"
    )

    found = city_get_or_create_from_dataset(geonames_id=BANGKOK, country_code="TH")

    bangkok.refresh_from_db()
    assert found == bangkok
    assert (bangkok.geonames_id, bangkok.name_ko, bangkok.name_en) == (BANGKOK, "방콕", "Bangkok")
    assert City.objects.count() == 1
    assert Country.objects.get(iso_code="TH").name_en == "Thailand"


@pytest.mark.django_db
def test_a_province_of_the_same_name_is_not_taken_for_the_city():
    thailand = factories.CountryFactory(iso_code="TH", name_en="Thailand")
    province = factories.CityFactory(country=thailand, name_en="Bangkok", kind=City.Kind.PROVINCE)

    city = city_get_or_create_from_dataset(geonames_id=BANGKOK)

    assert city != province
    assert (city.name_en, city.geonames_id) == (f"Bangkok ({BANGKOK})", BANGKOK)


@pytest.mark.django_db
def test_an_unknown_city_or_a_city_of_another_country_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as unknown:
        city_get_or_create_from_dataset(geonames_id=999_999_999)
    with pytest.raises(ValidationError) as elsewhere:
        city_get_or_create_from_dataset(geonames_id=IZMIR, country_code="VN")
    with pytest.raises(ValidationError) as no_country:
        country_get_or_create_from_dataset(iso_code="XX")

    assert unknown.value.messages == [
        "This is not a city of the list: choose your city from the list of its country."
    ]
    assert elsewhere.value.messages == ["Izmir is in Turkey, not in Vietnam: choose a city of Vietnam."]
    assert no_country.value.messages == ["“XX” is not a country of the list: choose one from it."]
    assert not City.objects.exists()
    assert not Country.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sign_ups_choosing_a_new_city_at_the_same_moment_make_one_city():
    assert connection.vendor == "postgresql"

    def choose():
        return city_get_or_create_from_dataset(geonames_id=HANOI, country_code="VN").pk

    results = race(*[choose] * 8)

    hanoi = City.objects.get()
    assert results == [hanoi.pk] * 8
    assert (hanoi.name_en, hanoi.time_zone, hanoi.country.iso_code) == ("Hanoi", "Asia/Bangkok", "VN")
    assert Country.objects.filter(iso_code="VN").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_linking_a_portal_city_at_the_same_moment_makes_no_second_row():
    thailand = factories.CountryFactory(iso_code="TH", name_en="Thailand")
    chonburi = factories.CityFactory(country=thailand, name_en="Chonburi", kind=City.Kind.CITY)

    def choose():
        return city_get_or_create_from_dataset(geonames_id=dataset.match("TH", "Chon Buri").geonames_id).pk

    results = race(*[choose] * 6)

    assert results == [chonburi.pk] * 6
    assert City.objects.count() == 1


@pytest.mark.django_db
def test_the_data_migration_links_the_portal_cities_and_changes_nothing_else():
    from importlib import import_module

    from django.apps import apps

    link = import_module("matching.geo.migrations.0003_link_cities_to_geonames").link
    thailand = factories.CountryFactory(iso_code="TH", name_en="Thailand", name_ko="태국")
    korea = factories.CountryFactory(iso_code="KR", name_en="Korea", name_ko="대한민국")
    kept = {
        "Khon Kaen": factories.CityFactory(
            country=thailand, name_en="Khon Kaen", name_ko="콘깬", time_zone="Asia/Bangkok"
        ),
        "Gwangju": factories.CityFactory(
            country=korea, name_en="Gwangju", name_ko="광주", time_zone="Asia/Seoul"
        ),
        "Eastern Economic Corridor": factories.CityFactory(
            country=thailand, name_en="Eastern Economic Corridor", kind=City.Kind.REGION
        ),
        "Atlantis": factories.CityFactory(country=thailand, name_en="Atlantis", time_zone="Asia/Bangkok"),
    }
    before = {name: (c.name_en, c.name_ko, c.time_zone, c.country_id) for name, c in kept.items()}

    link(apps, None)

    after = {c.name_en: c for c in City.objects.all()}
    assert {name: (c.name_en, c.name_ko, c.time_zone, c.country_id) for name, c in after.items()} == before
    assert {name: c.geonames_id for name, c in after.items()} == {
        "Khon Kaen": 1609776,
        "Gwangju": GWANGJU,
        "Eastern Economic Corridor": None,
        "Atlantis": None,
    }
