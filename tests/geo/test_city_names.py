"""City names in the page's language: ขอนแก่น on a Thai page, İstanbul on a Turkish one, the Korean name on a
Korean one, else the English name; the same in the city picker, and from the data set's local names."""

import pytest
from django.urls import reverse
from django.utils import translation

from matching.geo import dataset
from matching.geo.forms import city_choices
from matching.geo.models import City
from tests import factories

KHON_KAEN, BANGKOK, CHIANG_MAI, PHUKET, ISTANBUL, SANLIURFA, GAZIANTEP, HANOI = (
    1609776, 1609350, 1153671, 1151254, 745044, 298333, 314830, 1581130,
)  # fmt: skip


def shown(city, language):
    with translation.override(language):
        return str(city)


def test_a_thai_city_reads_in_thai_on_thai_pages_in_korean_on_korean_ones_else_in_english():
    khon_kaen = City(name_en="Khon Kaen", name_ko="콘깬", name_local="ขอนแก่น", time_zone="Asia/Bangkok")

    assert {language: shown(khon_kaen, language) for language in ["th", "tr", "ko", "en"]} == {
        "th": "ขอนแก่น",
        "tr": "Khon Kaen",
        "ko": "콘깬",
        "en": "Khon Kaen",
    }


def test_a_turkish_city_reads_in_turkish_on_turkish_pages():
    istanbul = City(name_en="Istanbul", name_ko="", name_local="İstanbul", time_zone="Europe/Istanbul")

    assert {language: shown(istanbul, language) for language in ["tr", "th", "ko", "en"]} == {
        "tr": "İstanbul",
        "th": "Istanbul",
        "ko": "Istanbul",  # no Korean name yet: the English one
        "en": "Istanbul",
    }


def test_a_vietnamese_local_name_is_shown_on_no_page_of_another_language():
    # Hanoi keeps Bangkok's time in the data set: the zone alone does not make its name Thai.
    hanoi = City(name_en="Hanoi", name_local="Hà Nội", time_zone="Asia/Bangkok")
    da_nang = City(name_en="Da Nang", name_local="Đà Nẵng", time_zone="Asia/Ho_Chi_Minh")

    assert {shown(city, language) for city in [hanoi, da_nang] for language in ["th", "tr"]} == {
        "Hanoi",
        "Da Nang",
    }


def test_a_korean_city_without_a_korean_name_reads_in_its_local_hangul_on_korean_pages():
    sejong = City(name_en="Sejong", name_local="세종", time_zone="Asia/Seoul")

    assert (shown(sejong, "ko"), shown(sejong, "th")) == ("세종", "Sejong")


def test_the_data_set_gives_thai_and_dotted_turkish_names_of_real_cities():
    local = {gid: dataset.city(gid).name_local for gid in [KHON_KAEN, BANGKOK, CHIANG_MAI, PHUKET]}
    local |= {gid: dataset.city(gid).name_local for gid in [ISTANBUL, SANLIURFA, GAZIANTEP, HANOI]}

    assert local == {
        KHON_KAEN: "ขอนแก่น",  # not เทศบาลนครขอนแก่น (the city municipality) nor เมืองขอนแก่น
        BANGKOK: "กรุงเทพมหานคร",  # not the short กรุงเทพ, กรุงเทพฯ nor the ceremonial name
        CHIANG_MAI: "เชียงใหม่",  # not แม่ริม เชียงใหม่ (a district of the province)
        PHUKET: "ภูเก็ต",
        ISTANBUL: "İstanbul",
        SANLIURFA: "Şanlıurfa",
        GAZIANTEP: "",  # written alike in English and Turkish: pages show the English name
        HANOI: "Hà Nội",
    }


def test_most_thai_cities_of_the_data_set_have_a_thai_name():
    thai = dataset.cities_of("TH")

    assert sum(bool(city.name_local) for city in thai) / len(thai) > 0.75


@pytest.mark.django_db
def test_the_city_picker_lists_the_portal_and_data_set_cities_in_the_page_language(client):
    thailand = factories.CountryFactory(iso_code="TH", name_en="Thailand")
    factories.CityFactory(country=thailand, name_en="Eastern Economic Corridor", name_local="ระเบียงเศรษฐกิจ")

    response = client.get(reverse("geo:city_options"), {"country": "TH"}, HTTP_ACCEPT_LANGUAGE="th")

    names = [name for _value, name in response.json()["cities"]]
    assert {"ขอนแก่น", "กรุงเทพมหานคร", "ระเบียงเศรษฐกิจ", "เชียงใหม่"} <= set(names)
    assert "Khon Kaen" not in names
    # A leading vowel sorts after its consonant (as PyThaiNLP's collate does): เชียงใหม่ among the ช's,
    # after ขอนแก่น (ข) and before ภูเก็ต (ภ), not after every consonant as เ's code point would put it.
    assert names.index("ขอนแก่น") < names.index("เชียงใหม่") < names.index("ภูเก็ต")


@pytest.mark.django_db
def test_the_city_picker_in_english_keeps_the_english_names():
    names = {name for _value, name in city_choices("TR")}

    assert {"Istanbul", "Sanliurfa", "Gaziantep"} <= names
    assert "İstanbul" not in names


@pytest.mark.django_db
def test_the_data_migration_fills_the_empty_local_names_of_linked_cities_only():
    from importlib import import_module

    from django.apps import apps

    fill = import_module("matching.geo.migrations.0005_city_local_names_from_data_set").fill
    thailand = factories.CountryFactory(iso_code="TH", name_en="Thailand")
    turkey = factories.CountryFactory(iso_code="TR", name_en="Turkey")
    factories.CityFactory(country=thailand, name_en="Khon Kaen", geonames_id=KHON_KAEN)
    factories.CityFactory(country=thailand, name_en="Phuket", geonames_id=PHUKET, name_local="ภูเก็ต (staff)")
    factories.CityFactory(country=thailand, name_en="Atlantis")
    factories.CityFactory(
        country=turkey, name_en="Istanbul", geonames_id=ISTANBUL, time_zone="Europe/Istanbul"
    )

    fill(apps, None)

    assert dict(City.objects.values_list("name_en", "name_local")) == {
        "Khon Kaen": "ขอนแก่น",
        "Phuket": "ภูเก็ต (staff)",
        "Atlantis": "",
        "Istanbul": "İstanbul",
    }


@pytest.mark.django_db
def test_the_city_picker_answer_varies_with_the_language_cookie_and_the_browser_language(client):
    response = client.get(reverse("geo:city_options"), {"country": "TH"})

    assert {part.strip() for part in response["Vary"].split(",")} >= {"Cookie", "Accept-Language"}
