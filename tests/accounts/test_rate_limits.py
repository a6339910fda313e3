"""Rate limits on sign-up, password reset and invitation e-mails: per client address and per e-mail address.

Beyond a limit the request gets a page that says when to try again (429, Retry-After), in the user's
language; reading a form is never limited. The counts live in Django's cache: these tests give themselves
a local-memory one and freeze django-ratelimit's clock, so Retry-After is known to the second.
"""

import math
import types

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.utils import timezone
from django_ratelimit import core as ratelimit_core

from matching.demands.models import BuyerOrganisation
from portal.accounts.models import Invitation, User
from portal.accounts.services import INVITATION_RESEND_AFTER
from tests import factories

SIGNUP = "/accounts/signup/"
RESET = "/accounts/password/reset/"
INVITE = "/accounts/invite/"
HOUR = 60 * 60
# A fixed moment for django-ratelimit's windows.
NOW = 1_780_000_000
ENGLISH_PAGE = "This form was sent too often from your network or for this e-mail address."


@pytest.fixture(autouse=True)
def counting_cache(settings, monkeypatch):
    """A real cache of our own (the suite's may count nothing, or be shared), empty, and a frozen clock."""
    # Other aliases (sessions may have one) are left as the suite has them.
    settings.CACHES = settings.CACHES | {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rate-limits"}
    }
    caches["default"].clear()
    monkeypatch.setattr(ratelimit_core, "time", types.SimpleNamespace(time=lambda: NOW))
    yield
    caches["default"].clear()


def retry_after(key, period=HOUR):
    """Seconds to the end of the window django-ratelimit counts `key` in at NOW."""
    return ratelimit_core._get_window(key, period) - NOW


def signup(client, email="jiwoo.park@hanbit.example", **extra):
    """A sign-up with only an e-mail: refused by the form (200), but counted like any other."""
    return client.post(SIGNUP, {"account-email": email}, **extra)


def signups(client, count, domain="hanbit.example", **extra):
    """Sign-ups of member0, member1, ... @domain, `count` of them: their status codes."""
    return [signup(client, f"member{n}@{domain}", **extra).status_code for n in range(count)]


def assert_limited(response, key, period=HOUR):
    seconds = retry_after(key, period)
    assert response.status_code == 429
    assert response["Retry-After"] == str(seconds)
    content = response.content.decode()
    assert ENGLISH_PAGE in content
    minutes = math.ceil(seconds / 60)
    assert f"Please try again in {minutes} minute{'s' if minutes != 1 else ''}." in content


# ---------------------------------------------------------------- sign-up
@pytest.mark.django_db
def test_the_eleventh_sign_up_from_one_address_within_the_hour_gets_429_with_retry_after(client):
    answers = signups(client, 10)

    response = signup(client, "member10@hanbit.example")

    assert answers == [200] * 10
    assert_limited(response, "127.0.0.1")
    assert response.templates[0].name == "accounts/rate_limited.html"


@pytest.mark.django_db
def test_a_limited_sign_up_creates_nothing_even_when_valid(client, udon_thani_data):
    signups(client, 10, "udon.example")

    response = client.post(SIGNUP, udon_thani_data)

    assert response.status_code == 429
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_sign_up_page_still_opens_for_an_address_that_reached_its_limit(client):
    signups(client, 11)

    response = client.get(SIGNUP)

    assert response.status_code == 200
    assert response.templates[0].name == "accounts/signup.html"


@pytest.mark.django_db
def test_the_sixth_sign_up_for_one_email_gets_429_from_any_address_and_in_any_case(client):
    answers = [
        signup(client, "jiwoo.park@hanbit.example", REMOTE_ADDR=f"198.51.100.{n}").status_code
        for n in range(5)
    ]

    response = signup(client, " JiWoo.Park@Hanbit.example ", REMOTE_ADDR="198.51.100.99")

    assert answers == [200] * 5
    assert_limited(response, "jiwoo.park@hanbit.example")


@pytest.mark.django_db
def test_another_address_is_not_limited_by_one_that_reached_its_limit(client):
    signups(client, 11)

    response = signup(client, "member11@hanbit.example", REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 200


@pytest.mark.django_db
def test_the_limit_reads_the_rate_from_the_settings(client, settings):
    settings.RATE_LIMIT_SIGNUP_PER_ADDRESS = "2/m"

    answers = signups(client, 2)
    response = signup(client, "member2@hanbit.example")

    assert answers == [200, 200]
    assert_limited(response, "127.0.0.1", period=60)


# ---------------------------------------------------------------- the client's address
@pytest.mark.django_db
def test_behind_a_trusted_proxy_clients_are_told_apart_by_the_address_the_proxy_saw(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    signups(client, 10, HTTP_X_FORWARDED_FOR="203.0.113.7")

    limited = signup(client, "member10@hanbit.example", HTTP_X_FORWARDED_FOR="203.0.113.7")
    other = signup(client, "member11@hanbit.example", HTTP_X_FORWARDED_FOR="203.0.113.8")

    assert_limited(limited, "203.0.113.7")
    assert other.status_code == 200


@pytest.mark.django_db
def test_addresses_a_client_claims_before_the_trusted_proxy_do_not_escape_the_limit(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        signup(client, f"member{n}@hanbit.example", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7")

    response = signup(client, "member10@hanbit.example", HTTP_X_FORWARDED_FOR="10.0.0.99, 203.0.113.7")

    assert_limited(response, "203.0.113.7")


@pytest.mark.django_db
def test_ipv6_addresses_of_one_network_count_together(client):
    for n in range(10):
        signup(client, f"member{n}@hanbit.example", REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}")

    response = signup(client, "member10@hanbit.example", REMOTE_ADDR="2001:db8:1:2:ffff::1")
    other_network = signup(client, "member11@hanbit.example", REMOTE_ADDR="2001:db8:1:3::1")

    assert_limited(response, "2001:db8:1:2::")
    assert other_network.status_code == 200


# ---------------------------------------------------------------- password reset
@pytest.mark.django_db
def test_the_fourth_password_reset_for_one_email_within_the_hour_gets_429_and_sends_nothing(
    client, sme_owner
):
    answers = [
        client.post(RESET, {"email": "sme_owner@example.com"}, REMOTE_ADDR=f"198.51.100.{n}").status_code
        for n in range(3)
    ]

    response = client.post(RESET, {"email": "sme_owner@example.com"}, REMOTE_ADDR="198.51.100.99")

    assert answers == [302] * 3
    assert_limited(response, "sme_owner@example.com")
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_an_email_without_an_account_is_limited_the_same_so_the_limit_tells_nothing(client, sme_owner):
    answers = [client.post(RESET, {"email": "nobody@example.com"}).status_code for _ in range(3)]

    response = client.post(RESET, {"email": "nobody@example.com"})

    assert answers == [302] * 3
    assert_limited(response, "nobody@example.com")
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_eleventh_password_reset_from_one_address_gets_429(client, db):
    answers = [client.post(RESET, {"email": f"member{n}@example.com"}).status_code for n in range(10)]

    response = client.post(RESET, {"email": "member10@example.com"})

    assert answers == [302] * 10
    assert_limited(response, "127.0.0.1")


@pytest.mark.django_db
def test_the_password_reset_form_still_opens_when_limited(client, db):
    for n in range(11):
        client.post(RESET, {"email": f"member{n}@example.com"})

    assert client.get(RESET).status_code == 200


# ---------------------------------------------------------------- invitations
@pytest.mark.django_db
def test_the_fourth_invitation_to_one_colleague_within_the_hour_gets_429_and_no_email(client, sme_owner):
    client.force_login(sme_owner)
    answers = []
    for _ in range(3):
        answers.append(client.post(INVITE, {"email": "seoyeon@seoul-traffic.example"}).status_code)
        # Sent again minutes apart, not a double click (which returns the invitation just made).
        Invitation.objects.update(created_at=timezone.now() - INVITATION_RESEND_AFTER)

    response = client.post(INVITE, {"email": "seoyeon@seoul-traffic.example"})

    assert answers == [302] * 3
    assert_limited(response, "seoyeon@seoul-traffic.example")
    assert len(mail.outbox) == 3
    assert Invitation.objects.count() == 3


@pytest.mark.django_db
def test_the_twenty_first_invitation_from_one_address_gets_429(client, sme_owner):
    client.force_login(sme_owner)
    answers = [
        client.post(INVITE, {"email": f"colleague{n}@seoul-traffic.example"}).status_code for n in range(20)
    ]

    response = client.post(INVITE, {"email": "colleague20@seoul-traffic.example"})

    assert answers == [302] * 20
    assert_limited(response, "127.0.0.1")
    assert Invitation.objects.count() == 20


@pytest.mark.django_db
def test_staff_are_still_forbidden_to_invite_and_never_counted(client, centre_staff):
    client.force_login(centre_staff)

    answers = [client.post(INVITE, {"email": "colleague@example.com"}).status_code for _ in range(25)]

    assert answers == [403] * 25


# ---------------------------------------------------------------- the page
@pytest.mark.django_db
def test_the_limit_page_is_in_korean_for_a_korean_browser(client):
    signups(client, 10)

    response = signup(client, "member10@hanbit.example", HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 429
    content = response.content.decode()
    assert "요청이 너무 많습니다" in content
    assert "귀하의 네트워크에서 또는 이 이메일 주소로 이 양식이 너무 자주 제출되었습니다." in content
    assert f"{math.ceil(retry_after('127.0.0.1') / 60)}분 후에 다시 시도해 주세요." in content


class FailingCache(LocMemCache):
    def add(self, *args, **kwargs):
        raise ConnectionError("cache unreachable")


@pytest.mark.django_db
def test_a_cache_that_fails_lets_the_form_through_and_is_logged(client, settings, caplog):
    settings.CACHES = settings.CACHES | {
        "default": {"BACKEND": f"{__name__}.FailingCache", "LOCATION": "failing"}
    }

    answers = signups(client, 12)

    assert answers == [200] * 12
    assert "Rate limit signup by address not counted: the cache failed." in caplog.messages


@pytest.fixture
def udon_thani_data(db):
    city = factories.CityFactory(name_en="Udon Thani", time_zone="Asia/Bangkok")
    password = "Khon-Kaen-floods-2024"
    return {
        "account-kind": "buyer",
        "account-first_name": "Somchai",
        "account-last_name": "Wongsakul",
        "account-email": "somchai@udon.example",
        "account-username": "somchai",
        "account-password1": password,
        "account-password2": password,
        "buyer-name": "Udon Thani City Municipality",
        "buyer-kind": BuyerOrganisation.Kind.CITY_GOVERNMENT,
        "buyer-city": city.pk,
        "consent-processing": "on",
        "consent-transfer": "on",
        "consent-law": "general",  # the city's country is none of Korea, Thailand and Türkiye
    }
