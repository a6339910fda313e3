"""The directories are kept (portal.caching): whole pages for visitors, the content for members, never stale;
and the language links."""

from unittest import mock

import pytest
from django.conf import settings
from django.db.models import F
from django.test import override_settings

from matching.demands.models import Demand
from portal.models import CacheVersion
from tests import factories
from tests.kept import real_caches

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def real_cache():
    """A real cache, and the version read on every request unless a test says otherwise."""
    with real_caches(version_seconds=0):
        yield


@pytest.fixture
def directory():
    factories.CompanyFactory(name_en="Seoul Traffic Systems")
    factories.DemandFactory(title="Flood warning sirens", published=True)


@pytest.mark.parametrize("path", ["/companies/", "/demands/", "/demands/?q=flood&sort=deadline"])
def test_a_visitor_gets_the_kept_page_after_reading_only_its_version(
    client, django_assert_num_queries, directory, path
):
    first = client.get(path)

    with django_assert_num_queries(1):  # the directories' version
        again = client.get(path)

    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert "Cookie" in again["Vary"]
    assert "Content-Security-Policy" in again


def test_a_page_kept_for_visitors_sets_no_cookie_and_has_no_csrf_token(client, directory):
    response = client.get("/demands/")

    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_each_language_has_its_own_kept_page(client, directory):
    english = client.get("/companies/", HTTP_ACCEPT_LANGUAGE="en")
    korean = client.get("/companies/", HTTP_ACCEPT_LANGUAGE="ko")

    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="ko">' in korean.content.decode()
    assert '<html lang="ko">' in client.get("/companies/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()


def test_a_new_listing_shows_to_visitors_once_committed(
    client, directory, django_capture_on_commit_callbacks
):
    assert "Smart parking pilot" not in client.get("/demands/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        factories.DemandFactory(title="Smart parking pilot", published=True)

    assert "Smart parking pilot" in client.get("/demands/").content.decode()


def test_a_company_leaving_the_directory_leaves_the_visitors_page_at_once(
    client, django_capture_on_commit_callbacks
):
    company = factories.CompanyFactory(name_en="Gwangju Parking Grid")
    assert "Gwangju Parking Grid" in client.get("/companies/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        company.approval_status = "pending"
        company.save()

    assert "Gwangju Parking Grid" not in client.get("/companies/").content.decode()


def test_a_member_gets_the_kept_directory_inside_their_own_navigation(
    client, sme_owner, stranger, directory, django_assert_num_queries
):
    client.force_login(stranger)
    client.get("/companies/")
    client.force_login(sme_owner)

    # The versions (read on every page in these tests), the session, the user with their company (the
    # navigation names it): the directory's content was kept from the stranger's visit.
    with django_assert_num_queries(5):
        response = client.get("/companies/")

    page = response.content.decode()
    assert "Seoul Traffic Systems" in page
    assert "sme_owner" in page
    assert "stranger" not in page


def test_a_change_made_by_another_app_server_is_served_at_once(client, directory):
    """Another server's save bumps the version row in the shared database; this worker's kept page and
    fragment are then not used, although its own memory never heard of the change."""
    client.get("/demands/")
    Demand.objects.filter(title="Flood warning sirens").update(title="Flood warning towers")  # no signal
    assert "Flood warning sirens" in client.get("/demands/").content.decode()

    CacheVersion.objects.filter(name="directories").update(number=F("number") + 1)

    assert "Flood warning towers" in client.get("/demands/").content.decode()


def test_another_servers_change_reaches_this_worker_within_the_version_interval(client, directory):
    with override_settings(CACHE_VERSION_SECONDS=1):
        with mock.patch("portal.caching.time.monotonic", return_value=1000.0):
            client.get("/demands/")
            Demand.objects.filter(title="Flood warning sirens").update(title="Flood warning towers")
            CacheVersion.objects.filter(name="directories").update(number=F("number") + 1)
            # Within the second this worker still serves what it kept.
            assert "Flood warning sirens" in client.get("/demands/").content.decode()

        with mock.patch("portal.caching.time.monotonic", return_value=1001.0):
            assert "Flood warning towers" in client.get("/demands/").content.decode()


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(client, directory, django_assert_max_num_queries):
    client.get("/demands/")
    client.cookies["messages"] = "pending"

    with django_assert_max_num_queries(50) as queries:
        client.get("/demands/")

    assert len(queries) > 0


# ---------------------------------------------------------------- the language links
def test_the_language_link_sets_the_cookie_and_returns_to_the_page(client):
    response = client.get("/language/ko/", {"next": "/demands/?q=flood"})

    assert response.status_code == 302
    assert response["Location"] == "/demands/?q=flood"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ko"
    assert client.get("/demands/")["Content-Language"] == "ko"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""])
def test_the_language_link_goes_home_instead_of_leaving_the_site(client, next_url):
    response = client.get("/language/en/", {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_navigation_links_to_both_languages_with_the_current_page(client):
    page = client.get("/demands/?q=flood").content.decode()

    assert 'href="/language/ko/?next=/demands/%3Fq%3Dflood"' in page
    assert 'href="/language/en/?next=/demands/%3Fq%3Dflood"' in page


def test_the_worker_that_made_a_change_serves_it_at_once_whatever_the_interval(
    client, directory, django_capture_on_commit_callbacks
):
    with override_settings(CACHE_VERSION_SECONDS=3600):
        assert "Smart parking pilot" not in client.get("/demands/").content.decode()

        with django_capture_on_commit_callbacks(execute=True):
            factories.DemandFactory(title="Smart parking pilot", published=True)

        assert "Smart parking pilot" in client.get("/demands/").content.decode()


def test_the_version_is_bumped_only_after_the_change_is_committed(
    client, directory, django_capture_on_commit_callbacks
):
    client.get("/demands/")
    version = CacheVersion.objects.get(name="directories").number

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        factories.DemandFactory(title="Smart parking pilot", published=True)

    assert len(callbacks) >= 1  # the bump waits for the commit
    assert CacheVersion.objects.get(name="directories").number == version


def test_a_new_certification_shows_in_the_visitors_filter_at_once(
    client, directory, django_capture_on_commit_callbacks
):
    assert "ISO 37122" not in client.get("/companies/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        factories.CertificationFactory(code="iso-37122", name_en="ISO 37122")

    assert "ISO 37122" in client.get("/companies/").content.decode()
