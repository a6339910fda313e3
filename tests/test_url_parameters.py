"""A NUL byte in a URL parameter is a 404 (the admin: its own answer), never a 500; in a query string too.

PostgreSQL refuses a NUL in a query (psycopg2 raises ValueError), so a path parameter that reached a lookup
with one was a server error (`/events/follow-ups/%00/`). The portal's string parameters now go through the
`token` path converter (portal/common/converters.py), which matches no NUL: the resolver answers 404 before
any view runs. The tests walk every URL pattern of the project through its includes, the admin included, and
ask each with a NUL in each parameter as every role. The admin's own `<path:object_id>` does match a NUL;
the admin looks the id up itself and answers with its login page, a redirect to its index ("doesn't
exist") or a 404, never a 500.

Query strings: tests/test_fuzzing.py sends NUL bytes (among other values) to every form, every list
filter and the admin's changelists; here each page that reads its query string gets a NUL in each
parameter it reads, as every role, and must answer as it does without it.
"""

import functools
import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter
from django.utils.regex_helper import normalize

from matching.companies.filters import CompanyDirectoryFilter
from matching.demands.filters import DemandDirectoryFilter
from portal.common.converters import TokenConverter
from tests import factories
from tests.roles import ANON, ROLES, users_by_role

NUL = "\x00"


@pytest.fixture
def users(sme_owner, stranger, buyer, centre_staff, other_centre_staff, admin):
    """A user of every role but the visitor (tests/roles.py)."""
    chiang_mai = factories.CityFactory(country=buyer.buyer_organisation.city.country, name_en="Chiang Mai")
    other_buyer = factories.BuyerMemberFactory(
        username="other_buyer",
        buyer_organisation=factories.BuyerOrganisationFactory(
            name="Chiang Mai Municipality", city=chiang_mai
        ),
    )
    return users_by_role(sme_owner, stranger, buyer, other_buyer, centre_staff, other_centre_staff, admin)


def _client(users, role):
    """A test client logged in as `role`; a 500 is returned, not raised, so that every URL is asked."""
    client = Client(raise_request_exception=False)
    if role != ANON:
        client.force_login(users[role])
    return client


@dataclass(frozen=True)
class Route:
    """One URL pattern with the prefixes of its includes: its full name, regex and view."""

    name: str
    regex: str
    pattern: URLPattern

    @property
    def is_admin(self):
        return self.name.startswith("admin:")

    @property
    def parameters(self):
        return list(re.compile(self.regex).groupindex)

    @functools.cached_property
    def samples(self):
        """A value each parameter matches: '1' for ids, tokens and paths, a year for four digits, else its
        first alternative."""
        samples = {}
        for match in re.finditer(r"\(\?P<(\w+)>", self.regex):
            body = _group(self.regex, match.end())
            candidates = ["1", "a", "2022", *body.split("|")]
            samples[match[1]] = next(value for value in candidates if re.fullmatch(body, value))
        return samples

    def url(self, **values):
        """The path with the sample of each parameter but those given in `values` (as Django's reverse()
        builds it, without checking the values against the pattern)."""
        path, names = normalize(self.regex)[0]
        return "/" + path % {name: quote(values.get(name, self.samples[name]), safe="") for name in names}

    def nul_urls(self):
        """For each parameter, a NUL alone and after its sample (an unanchored pattern would take that)."""
        for name in self.parameters:
            yield self.url(**{name: NUL})
            yield self.url(**{name: self.samples[name] + NUL})


def _routes(patterns, regex="", namespace=""):
    for pattern in patterns:
        full = regex + pattern.pattern.regex.pattern
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, full, inner)
        else:
            yield Route(namespace + (pattern.name or str(pattern.pattern)), full, pattern)


def _group(regex, start):
    """The text of the group whose body starts at `start`, up to its closing parenthesis."""
    depth, index = 1, start
    while depth:
        char = regex[index]
        if char == "\\":
            index += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        index += 1
    return regex[start : index - 1]


ROUTES = [route for route in _routes(get_resolver().url_patterns) if route.parameters]


def test_the_walk_reaches_every_parameter_of_the_portal_and_of_the_admin():
    names = {route.name for route in ROUTES}

    assert {
        "language",
        "accounts:invitation_accept",
        "accounts:review_decide",
        "accounts:password_reset_confirm",
        "consultations:follow_up",
        "consultations:registration_decide",
        "companies:references",
        "admin:companies_company_change",
        "admin:app_list",
    } <= names


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_each_walked_url_with_valid_samples_reaches_its_own_view(route):
    assert resolve(route.url()).func is route.pattern.callback


def test_no_portal_route_takes_a_parameter_django_passes_through_unchecked():
    """Django's `str` and `path` converters let a NUL through to the view: the portal's routes use `int`,
    `token` or a closed set of words (the admin's `<path:object_id>` is the admin's to check)."""
    unchecked = {}
    for route in ROUTES:
        if route.is_admin:
            continue
        converters = route.pattern.pattern.converters if hasattr(route.pattern.pattern, "converters") else {}
        for name, converter in converters.items():
            if not isinstance(converter, IntConverter | TokenConverter):
                unchecked[f"{route.name} <{name}>"] = type(converter).__name__
    assert unchecked == {}


def _answer(url, response):
    """'404', 'login', 'admin login', 'admin index' (the admin's "doesn't exist"), 'its change page' (the
    admin's old /<id>/ links), else the status and where it leads."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("login") + "?next="):
            return "login"
        if location.startswith(reverse("admin:login") + "?next="):
            return "admin login"
        if location == reverse("admin:index"):
            return "admin index"
        if location == url + "change/":
            return "its change page"
        return f"302 to {location}"
    return str(response.status_code)


# The portal's routes never match a NUL. The admin's <path:object_id> does; the admin then looks the id up
# itself: a visitor or a member is sent to its login page; the administrator to its index with "doesn't
# exist" (change and delete pages), or gets a 404 (history, password) or a 403 (a page of rows nobody
# deletes by hand); the old /<id>/ link leads to the change page. Nothing else, and never a 500.
PORTAL_ANSWERS = {"404"}
ADMIN_ANSWERS = {"404", "403", "admin login", "admin index", "its change page"}


@pytest.mark.postgres
@pytest.mark.parametrize("role", ROLES)
def test_a_nul_byte_in_any_url_parameter_is_a_404_for_every_role(users, role):
    client = _client(users, role)

    wrong = {}
    for route in ROUTES:
        for url in route.nul_urls():
            answer = _answer(url, client.get(url))
            if answer not in (ADMIN_ANSWERS if route.is_admin else PORTAL_ANSWERS):
                wrong[url] = answer

    assert wrong == {}


# ---------------------------------------------------------------- query strings

# The pages that read their query string, and what they read: filters, page numbers, ids, days, `next`.
QUERY_PARAMETERS = {
    "companies:list": [*CompanyDirectoryFilter.base_filters, "page"],
    "demands:list": [*DemandDirectoryFilter.base_filters, "page"],
    "demands:mine": ["page"],
    "dashboard": ["event"],
    "dashboard_export": ["event"],
    "dashboard_export_xlsx": ["event"],
    "consultations:grid": ["day"],
    "consultations:log": ["table", "day"],
    "consultations:meeting_create": ["slot", "table", "sme", "buyer"],
    "consultations:walk_in": ["slot", "table"],
    "language": ["next"],
    "login": ["next"],
}


def _query_values(parameter):
    """A NUL alone, and after what the parameter holds: a path of this site for `next`, else a number."""
    return [NUL, f"/{NUL}" if parameter == "next" else f"1{NUL}"]


@pytest.fixture
def query_pages(users, bangkok_centre):
    """{URL name: a URL of it} for the pages of QUERY_PARAMETERS, on one Bangkok event."""
    event = factories.EventFactory(city=bangkok_centre.city, organising_centre=bangkok_centre)
    factories.TimeSlotFactory(event=event)
    factories.TableFactory(event=event)
    args = {"consultations:grid": [event.pk], "consultations:log": [event.pk], "language": ["ko"]}
    args["consultations:meeting_create"] = [event.pk]
    args["consultations:walk_in"] = [event.pk]
    return {name: reverse(name, args=args.get(name, [])) for name in QUERY_PARAMETERS}


@pytest.mark.postgres
@pytest.mark.parametrize("role", ROLES)
def test_a_nul_byte_in_any_query_parameter_gets_the_answer_the_page_gives_without_it(
    users, query_pages, role
):
    client = _client(users, role)

    without, wrong = {}, {}
    for name, url in query_pages.items():
        without[name] = client.get(url).status_code
        assert without[name] < 500, url
        for parameter in QUERY_PARAMETERS[name]:
            for value in _query_values(parameter):
                response = client.get(url, {parameter: value})
                if response.status_code != without[name]:
                    wrong[f"{url}?{parameter}={value!r}"] = response.status_code

    assert wrong == {}, f"without a NUL: {without}"


def test_an_admin_history_page_of_an_id_that_is_no_number_is_a_404_not_a_500(admin_client):
    """simple_history's history page looked any id up unchecked (matching/consultations/admin.py)."""
    answers = {
        model: admin_client.get(f"/admin/consultations/{model}/xxxx/history/").status_code
        for model in ("outcome", "mou", "followup")
    }

    assert answers == {"outcome": 404, "mou": 404, "followup": 404}
