"""Shared vocabulary (categories, certifications, KOTRA centres) named in the page's language: Thai and
Turkish names where they are filled, else English, else Korean; the demo fills them, also in a database
seeded before the names existed."""

import pytest
from django.core.management import call_command
from django.utils import translation

from matching.geo.models import Country, Language
from matching.kernel.models import Category, TradeCentre
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [("th", "การรับมือภัยพิบัติ"), ("tr", "Afet müdahalesi"), ("ko", "재난 대응"), ("en", "Disaster response")],
)
def test_a_category_is_named_in_the_pages_language(language, expected):
    category = factories.CategoryFactory(
        slug="disaster-response",
        name_en="Disaster response",
        name_ko="재난 대응",
        name_th="การรับมือภัยพิบัติ",
        name_tr="Afet müdahalesi",
    )

    with translation.override(language):
        assert str(category) == expected


@pytest.mark.parametrize(("name_en", "expected"), [("Smart parking", "Smart parking"), ("", "스마트 주차")])
def test_without_a_thai_name_english_then_korean(name_en, expected):
    category = factories.CategoryFactory(slug="smart-parking", name_en=name_en, name_ko="스마트 주차")

    with translation.override("th"):
        assert str(category) == expected


def test_the_demo_fills_thai_and_turkish_names_of_a_database_seeded_before_them():
    call_command("seed_demo", verbosity=0)
    Category.objects.update(name_th="", name_tr="")
    TradeCentre.objects.filter(code="bangkok").update(name_th="", name_tr="")
    Category.objects.filter(slug="energy").update(name_th="พลังงานสะอาด")  # typed by an admin: kept

    call_command("seed_demo", verbosity=0)

    assert Category.objects.filter(name_th="").count() == 0
    assert Category.objects.get(slug="energy").name_th == "พลังงานสะอาด"
    assert Category.objects.get(slug="smart-parking").name_tr == "Akıllı otopark"
    with translation.override("th"):
        assert str(TradeCentre.objects.get(code="bangkok")) == "KOTRA กรุงเทพฯ"


@pytest.mark.parametrize(
    ("language", "country", "spoken"), [("th", "ทูร์เคีย", "ภาษาตุรกี"), ("tr", "Türkiye", "Türkçe")]
)
def test_countries_and_languages_are_named_in_the_pages_language_by_the_demo(language, country, spoken):
    call_command("seed_demo", verbosity=0)
    with translation.override(language):
        assert str(Country.objects.get(iso_code="TR")) == country
        assert str(Language.objects.get(code="tr")) == spoken
