"""On PostgreSQL the directories' search text has trigram indexes (pg_trgm), so LIKE '%word%' scales."""

import pytest
from django.db import connection


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
