"""What the tests of the two public directories (companies, demand listings) share."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import empty_cache

# Who the directory and profile tests try each page as ("anonymous": a visitor).
ROLES = ["anonymous", "sme_owner", "stranger", "buyer", "centre_staff", "other_centre_staff", "admin"]
NO_CHOICE = "Select a valid choice. That choice is not one of the available choices."
NUL = "Null characters are not allowed."

# The solution categories of the directory tests: slug -> (English name, Korean name).
CATEGORY_NAMES = {
    "flood-prevention": ("Flood prevention", "홍수 방재"),
    "smart-parking": ("Smart parking", "스마트 주차"),
    "smart-traffic": ("Smart traffic", "스마트 교통"),
    "smart-water": ("Smart water", "스마트 물관리"),
    "water-management": ("Water management", "물관리"),
}

# The queries a logged-in user adds to a list page: the user, with their organisation, for the menu.
WITH_LOGGED_IN_QUERIES = pytest.mark.parametrize(
    ("role", "logged_in_queries"), [("anonymous", 0), ("buyer", 1), ("admin", 1)]
)


def categories_in_order(**slugs):
    """{key: the category of that slug}, for key=slug in the order given: sort_order 1, 2, 3..."""
    return {
        key: factories.CategoryFactory(
            slug=slug, name_en=CATEGORY_NAMES[slug][0], name_ko=CATEGORY_NAMES[slug][1], sort_order=n
        )
        for n, (key, slug) in enumerate(slugs.items(), start=1)
    }


def listed(response, attribute):
    """The `attribute` of each row on the list page, in order (the page must be a 200)."""
    assert response.status_code == 200
    return [getattr(row, attribute) for row in response.context["page_obj"]]


def login_as(client, request, role):
    """Log the client in as the user of the fixture named `role` ("anonymous": stay a visitor)."""
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def count_queries(client, url):
    """The queries of one page as rendered when its cached copy expired, and the response."""
    empty_cache()
    client.session.load()  # with the session in the cache, as on every page but a login's first
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response


def query_counts_with_1_and_50_rows(client, url, add_rows):
    """The page's queries with one row, then with 50 (a full page of 20 of them): (few, many)."""
    add_rows(1)
    few, response = count_queries(client, url)
    assert len(response.context["page_obj"]) == 1

    add_rows(49)
    many, response = count_queries(client, url)

    assert len(response.context["page_obj"]) == 20
    assert response.context["page_obj"].paginator.count == 50
    return few, many


def assert_query_count_does_not_grow(client, request, role, url, add_rows, queries):
    """As `role`, the page at `url` makes exactly `queries` queries with 1 row and with 50."""
    login_as(client, request, role)
    few, many = query_counts_with_1_and_50_rows(client, url, add_rows)

    assert few == many == queries


def assert_lists_exactly(response, shown, expected):
    """The filters were valid and the page lists `expected` (as `shown` reads it), and no more."""
    assert shown(response) == expected
    assert response.context["page_obj"].paginator.count == len(expected)
    assert response.context["filter"].errors == {}


def assert_refused_and_lists_everything(response, field, message, shown, everything):
    """A bad value of `field` is refused with `message` on the page (not a server error), and left out:
    the page lists `everything` (as `shown` reads it)."""
    assert response.status_code == 200
    assert response.context["filter"].errors == {field: [message]}
    assert message in response.content.decode()
    assert shown(response) == everything
