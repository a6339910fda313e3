"""What the match-page tests share: the flood case's vocabulary, listing and companies, a fresh match index
per test, committed blocks, and the pages' addresses."""

import pytest

from tests.recommendations import (
    FLOOD_TITLE,
    decoy_company,
    flood_company,
    flood_listing,
    reset_match_index,
    vocabulary,
)


@pytest.fixture(autouse=True)
def _fresh_index():
    """The index a process holds is process-wide: each test starts from (and leaves) none."""
    reset_match_index()
    yield
    reset_match_index()


@pytest.fixture
def words(db):
    return vocabulary()


@pytest.fixture
def listing(buyer, words):
    return flood_listing(buyer.buyer_organisation, words)


@pytest.fixture
def flood_alert(words):
    return flood_company(words)


@pytest.fixture
def decoy(words):
    return decoy_company(words)


def demand_matches(demand):
    return f"/demands/{demand.pk}/matches/"


def company_matches(company):
    return f"/companies/{company.pk}/matches/"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block whose writes are committed as far as the app can tell: their on_commit callbacks run (the
    rebuild task, eager in tests) when it ends. The test's own transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def flood_listings(buyer_organisation, words, count):
    return [
        flood_listing(buyer_organisation, words, title=f"{FLOOD_TITLE}, district {n}") for n in range(count)
    ]
