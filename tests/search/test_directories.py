"""Through the directory views: a word in one language finds listings and companies written in another."""

import pytest

from tests.directories import listed
from tests.search.cross_language import CROSS_LANGUAGE, cross_language  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("q", "listings", "companies"), CROSS_LANGUAGE)
def test_a_word_in_one_language_finds_listings_written_in_another(
    client, cross_language, q, listings, companies
):  # noqa: F811
    assert listed(client.get("/demands/", {"q": q}), "title") == listings


@pytest.mark.parametrize(("q", "listings", "companies"), CROSS_LANGUAGE)
def test_a_word_in_one_language_finds_companies_written_in_another(
    client, cross_language, q, listings, companies
):  # noqa: F811
    assert listed(client.get("/companies/", {"q": q}), "name_en") == companies


def test_a_company_name_holding_a_term_is_searched_as_written(client, cross_language):  # noqa: F811
    # 주차 is inside the name, but the name is not about parking: no parking company is found.
    assert listed(client.get("/companies/", {"q": "울산주차로보틱스"}), "name_en") == []
