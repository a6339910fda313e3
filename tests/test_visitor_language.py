"""A visitor's language: their own choice, else their browser's, else Korean in Korea, else English."""

import pytest
from django.test import RequestFactory, override_settings

from portal.common.visitor_language import chosen_language, country_of
from tests import factories
from tests.conftest import html_in

# Addresses of long-standing registry delegations (iptocc's data): SK Telecom in Korea, TOT in Thailand.
pytestmark = pytest.mark.django_db

KOREAN_ADDRESS = "211.234.100.1"
THAI_ADDRESS = "1.46.0.1"
KOREAN_IPV6_ADDRESS = "2001:2d8::1"


def test_korean_address_without_accept_language_gets_korean(client):
    response = client.get("/", REMOTE_ADDR=KOREAN_ADDRESS)

    html_in(response, "ko")
    # A shared cache must not give this page to the next visitor who names no language.
    assert response["Cache-Control"] == "private"


def test_thai_address_without_accept_language_gets_english(client):
    response = client.get("/", REMOTE_ADDR=THAI_ADDRESS)

    html_in(response, "en")


def test_unknown_address_gets_english(client):
    html_in(client.get("/", REMOTE_ADDR="10.1.2.3"), "en")


def test_accept_language_th_wins_over_a_korean_address(client):
    response = client.get("/", REMOTE_ADDR=KOREAN_ADDRESS, HTTP_ACCEPT_LANGUAGE="th-TH,th;q=0.9")

    html_in(response, "th")
    assert "Cache-Control" not in response


def test_accept_language_of_no_portal_language_falls_back_to_the_address(client):
    html_in(client.get("/", REMOTE_ADDR=KOREAN_ADDRESS, HTTP_ACCEPT_LANGUAGE="de-DE,fr;q=0.8"), "ko")


def test_language_cookie_wins_over_accept_language_and_address(client):
    client.cookies["django_language"] = "tr"

    html_in(client.get("/", REMOTE_ADDR=KOREAN_ADDRESS, HTTP_ACCEPT_LANGUAGE="th"), "tr")


def test_logged_in_users_chosen_language_wins_over_cookie_browser_and_address(client):
    client.force_login(factories.CentreStaffFactory(language="tr"))
    client.cookies["django_language"] = "en"

    html_in(client.get("/accounts/settings/", REMOTE_ADDR=KOREAN_ADDRESS, HTTP_ACCEPT_LANGUAGE="th"), "tr")


def test_logged_in_user_without_a_chosen_language_gets_the_language_of_the_address(client):
    client.force_login(factories.CentreStaffFactory(language=""))

    html_in(client.get("/accounts/settings/", REMOTE_ADDR=KOREAN_ADDRESS), "ko")


def test_forged_forwarded_for_is_ignored_without_trusted_proxies(client):
    # The visitor abroad claims a Korean address; with no proxy trusted only the connection counts.
    response = client.get("/", REMOTE_ADDR=THAI_ADDRESS, HTTP_X_FORWARDED_FOR=KOREAN_ADDRESS)

    html_in(response, "en")


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_address_appended_by_one_trusted_proxy_decides(client):
    # The load balancer (10.0.0.5) appended the Korean address it saw; the Thai one is the client's claim.
    response = client.get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=f"{THAI_ADDRESS}, {KOREAN_ADDRESS}"
    )

    html_in(response, "ko")


@pytest.mark.parametrize(
    ("address", "country"),
    [
        (KOREAN_ADDRESS, "KR"),
        (THAI_ADDRESS, "TH"),
        (KOREAN_IPV6_ADDRESS, "KR"),
        (f"::ffff:{KOREAN_ADDRESS}", "KR"),
        ("127.0.0.1", None),
        ("::1", None),
        ("", None),
        ("not an address", None),
        ("::ffff:999.1.1.1", None),
    ],
)
def test_country_of_an_address(address, country):
    assert country_of(address) == country


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("ko-KR,ko;q=0.9,en;q=0.8", "ko"),
        ("de;q=0.9,tr;q=0.5", "tr"),
        ("en-GB", "en"),
        ("de, *", None),
        ("", None),
    ],
)
def test_chosen_language_reads_the_first_portal_language_of_the_browser(header, language):
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=header)

    assert chosen_language(request) == language
