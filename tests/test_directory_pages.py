"""The public directories through Django's cache: the whole page for visitors (cache_page), the content for
everyone ({% cache %}), both for PAGE_CACHE_SECONDS; the language links; and the filter form, drawn
without crispy's templates but with the same HTML."""

import pytest
from django import forms
from django.conf import settings
from django.http import QueryDict
from django.template import engines
from django.test.html import parse_html

from matching.companies.selectors import company_directory
from matching.demands.selectors import demand_directory
from portal.common import filters
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    factories.CompanyFactory(name_en="Seoul Traffic Systems")
    factories.DemandFactory(title="Flood warning sirens", published=True)


def nav_of(response):
    return response.content.decode().split("<nav", 1)[1].split("</nav>", 1)[0]


# ---------------------------------------------------------------- visitors: the whole page
@pytest.mark.parametrize("path", ["/companies/", "/demands/", "/demands/?q=flood&sort=deadline"])
def test_a_visitor_gets_the_cached_page_without_a_query(client, django_assert_num_queries, directory, path):
    first = client.get(path)

    with django_assert_num_queries(0):
        again = client.get(path)

    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert "Cookie" in again["Vary"]
    assert "Content-Security-Policy" in again


def test_the_visitors_page_says_how_long_it_is_cached(client, directory):
    response = client.get("/demands/", HTTP_ACCEPT_LANGUAGE="en")

    assert response["Cache-Control"] == f"max-age={settings.PAGE_CACHE_SECONDS}"


def test_a_page_cached_for_visitors_sets_no_cookie_and_has_no_csrf_token(client, directory):
    response = client.get("/demands/")

    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_each_language_has_its_own_cached_page(client, directory):
    english = client.get("/companies/", HTTP_ACCEPT_LANGUAGE="en")
    korean = client.get("/companies/", HTTP_ACCEPT_LANGUAGE="ko")

    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="ko">' in korean.content.decode()
    assert '<html lang="ko">' in client.get("/companies/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(client, directory, django_assert_num_queries):
    client.get("/demands/")
    client.cookies["messages"] = "pending"

    with django_assert_num_queries(0):  # the content from the cache, but the page rendered again
        response = client.get("/demands/")

    assert response.status_code == 200
    assert "max-age" not in response.get("Cache-Control", "")


def test_a_member_never_gets_the_visitors_page_nor_a_visitor_the_members(client, sme_owner, directory):
    client.get("/companies/")
    client.force_login(sme_owner)
    member = client.get("/companies/")
    client.logout()
    visitor = client.get("/companies/")

    assert "sme_owner" in nav_of(member)
    assert "Log in" not in nav_of(member)
    assert "sme_owner" not in nav_of(visitor)
    assert "Log in" in nav_of(visitor)


def test_a_members_page_is_never_cached_whole(client, sme_owner, directory):
    client.force_login(sme_owner)

    response = client.get("/companies/")

    assert "max-age" not in response.get("Cache-Control", "")


# ---------------------------------------------------------------- everyone: the content
def test_a_member_gets_the_cached_content_inside_their_own_navigation(
    client, sme_owner, stranger, directory, django_assert_num_queries
):
    client.force_login(stranger)
    client.get("/companies/")
    client.force_login(sme_owner)

    # The user with their company (the navigation names it); the session comes from the cache and the
    # directory's content was cached by the stranger's visit.
    with django_assert_num_queries(1):
        response = client.get("/companies/")

    page = response.content.decode()
    assert "Seoul Traffic Systems" in page
    assert "sme_owner" in page
    assert "stranger" not in page


def test_each_query_string_and_language_has_its_own_content(client, sme_owner):
    factories.DemandFactory(title="Flood warning sirens", procurement_type="pilot", published=True)
    factories.DemandFactory(title="Smart parking pilot", procurement_type="tender", published=True)
    sme_owner.language = ""  # no language of their own: the browser's
    sme_owner.save()
    client.force_login(sme_owner)

    pilots = client.get("/demands/?procurement_type=pilot").content.decode()
    tenders = client.get("/demands/?procurement_type=tender").content.decode()
    korean = client.get("/demands/?procurement_type=pilot", HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert "Flood warning sirens" in pilots and "Smart parking pilot" not in pilots
    assert "Smart parking pilot" in tenders and "Flood warning sirens" not in tenders
    assert "City demands" in pilots and "City demands" not in korean


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


# ---------------------------------------------------------------- the filter form
def _crispy_form(make, params, monkeypatch):
    """The form as {{ filter.form|crispy }} draws it with Django's own widgets."""
    with monkeypatch.context() as patched:
        patched.setattr(filters, "WIDGETS", {})
        patched.setattr(filters, "BOOTSTRAP_CLASSES", {})
        directory = make(params=QueryDict(params))
        return (
            engines["django"]
            .from_string("{% load crispy_forms_tags %}{{ filter.form|crispy }}")
            .render({"filter": directory})
        )


def _our_form(make, params, rf):
    page = (
        engines["django"]
        .get_template("includes/filter_form.html")
        .render({"filter": make(params=QueryDict(params))}, request=rf.get("/"))
    )
    return page.split('aria-label="Filters">', 1)[1].rsplit('<div class="d-flex gap-2">', 1)[0]


@pytest.mark.parametrize(
    ("make", "params"),
    [
        pytest.param(company_directory, "", id="companies"),
        pytest.param(company_directory, "category=smart-mobility&country=TH&sort=newest", id="companies set"),
        pytest.param(company_directory, "category=nope&q=" + "x" * 201, id="companies with errors"),
        pytest.param(demand_directory, "country=TH&category=smart-mobility&q=traffic", id="demands chosen"),
        pytest.param(demand_directory, "city=999&budget_band=bogus&sort=deadline", id="demands with errors"),
    ],
)
def test_the_filter_form_is_the_html_crispy_would_draw(make, params, rf, monkeypatch, bangkok_centre):
    factories.CategoryFactory(slug="smart-mobility", name_en="Smart mobility")
    factories.CertificationFactory(code="iso-37122", name_en="ISO 37122 <smart cities>")

    ours, theirs = _our_form(make, params, rf), _crispy_form(make, params, monkeypatch)

    assert parse_html(ours) == parse_html(theirs)
    assert ours.count("<option") == theirs.count("<option") > 5


def test_a_select_draws_the_same_html_as_djangos_to_the_byte(bangkok_centre):
    choices = [("", "All"), ("a&b", "Tom & Jerry"), ("x", "<x>")]
    django_select = forms.Select(attrs={"class": "select form-select"})
    ours = filters.Select(attrs={"class": "select form-select"})
    django_select.choices = ours.choices = choices
    attrs = {"id": "id_pick", "aria-invalid": "true", "aria-describedby": "id_pick_error"}

    assert ours.render("pick", "a&b", attrs) == django_select.render("pick", "a&b", {**attrs}).replace(
        'class="select form-select"', 'class="select form-select is-invalid"'
    )
    plain = {"id": "id_pick"}
    assert ours.render("pick", None, plain) == django_select.render("pick", None, plain)


def test_every_filter_has_a_label_tied_to_its_control(client, directory):
    page = client.get("/demands/").content.decode()
    form = page.split('role="search"', 1)[1].split("</form>", 1)[0]

    for name in ["q", "category", "country", "city", "procurement_type", "budget_band", "sort"]:
        assert f'<label for="id_{name}" class="form-label">' in form
        assert f'id="id_{name}"' in form
