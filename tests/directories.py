"""What the tests of the two public directories (companies, demand listings) share."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import empty_cache


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
