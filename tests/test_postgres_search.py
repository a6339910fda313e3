"""On PostgreSQL the directories' search text has trigram indexes (pg_trgm), so LIKE '%word%' scales, and
the search crosses languages there as on SQLite (concept tokens of matching.thesaurus)."""

import pytest
from django.db import connection

from tests.directories import listed
from tests.search.cross_language import CROSS_LANGUAGE, cross_language  # noqa: F401 (a fixture)


@pytest.mark.postgres
@pytest.mark.django_db
def test_company_and_demand_search_text_have_trigram_gin_indexes_on_postgres():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE %s ORDER BY indexname",
            ["%search_trgm"],
        )
        indexes = dict(cursor.fetchall())
    assert sorted(indexes) == ["companies_company_search_trgm", "demands_demand_search_trgm"]
    assert all("gin (search_text gin_trgm_ops)" in definition for definition in indexes.values())


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(("q", "listings", "companies"), CROSS_LANGUAGE)
def test_a_word_in_one_language_finds_listings_and_companies_in_another_on_postgres(
    client,
    cross_language,  # noqa: F811
    q,
    listings,
    companies,
):
    assert listed(client.get("/demands/", {"q": q}), "title") == listings
    assert listed(client.get("/companies/", {"q": q}), "name_en") == companies
