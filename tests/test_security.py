"""Login lockout (django-axes), the 503 page when the database is down, and the error pages."""

import datetime as dt
import logging
from unittest import mock

import pytest
import redis
from axes.models import AccessAttempt, AccessFailureLog
from django.db import IntegrityError, InterfaceError, OperationalError
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from portal.common.security import client_ip
from tests.csp import assert_page_works_under_the_policy

PASSWORD = "Roadshow-Bangkok-2022"


@pytest.fixture
def member(sme_owner):
    sme_owner.set_password(PASSWORD)
    sme_owner.save()
    return sme_owner


def _login(client, password, username="sme_owner", address="203.0.113.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail_five_times(client, address="203.0.113.7"):
    for attempt in range(4):
        response = _login(client, f"wrong-{attempt}", address=address)
        assert response.status_code == 200  # the form again, with its error
    fifth = _login(client, "wrong-4", address=address)
    assert fifth.status_code == 429  # the fifth failure locks
    return fifth


# ---------------------------------------------------------------- lockout
@pytest.mark.django_db
def test_a_wrong_password_re_renders_the_form_with_the_username_kept(client, member):
    response = _login(client, "wrong")

    assert response.status_code == 200
    assert response.context["form"].data["username"] == "sme_owner"
    assert response.context["form"].non_field_errors() == [
        "Please enter a correct username and password. Note that both fields may be case-sensitive."
    ]


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_username_from_that_address_even_with_the_right_one(client, member):
    _fail_five_times(client)

    response = _login(client, PASSWORD)

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "Too many login attempts" in response.content.decode()
    assert "paused for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert_page_works_under_the_policy(response)


@pytest.mark.django_db
def test_four_wrong_passwords_then_the_right_one_logs_in_and_clears_the_count(client, member):
    for attempt in range(4):
        _login(client, f"wrong-{attempt}")

    response = _login(client, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)
    assert AccessAttempt.objects.filter(username="sme_owner").count() == 0


@pytest.mark.django_db
def test_the_lockout_is_per_username_and_address(member, stranger):
    stranger.set_password(PASSWORD)
    stranger.save()
    _fail_five_times(Client())

    from_elsewhere = _login(Client(), PASSWORD, address="198.51.100.20")
    colleague_same_network = _login(Client(), PASSWORD, username="stranger")

    assert from_elsewhere.status_code == 302
    assert colleague_same_network.status_code == 302


@pytest.mark.django_db
def test_the_lockout_ends_after_the_cool_off(client, member):
    _fail_five_times(client)
    assert _login(client, PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    response = _login(client, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_the_admin_login_shares_the_lockout(client, admin):
    for attempt in range(5):
        client.post(
            reverse("admin:login"),
            {"username": admin.username, "password": f"wrong-{attempt}"},
            REMOTE_ADDR="203.0.113.9",
        )

    response = client.post(
        reverse("admin:login"),
        {"username": admin.username, "password": "password"},
        REMOTE_ADDR="203.0.113.9",
    )

    assert response.status_code == 429


@pytest.mark.django_db
def test_failures_and_the_lockout_are_logged_with_username_and_address(client, member, caplog):
    with caplog.at_level(logging.WARNING, "axes"):
        _fail_five_times(client)

    lockouts = [message for message in caplog.messages if "Locking out" in message]
    assert len(lockouts) == 1
    assert 'username: "sme_owner"' in lockouts[0]
    assert 'ip_address: "203.0.113.7"' in lockouts[0]
    assert AccessFailureLog.objects.filter(username="sme_owner", ip_address="203.0.113.7").count() == 5
    assert AccessAttempt.objects.get(username="sme_owner").failures_since_start == 5


@pytest.mark.django_db
def test_the_lockout_page_is_translated(client, member):
    _fail_five_times(client)

    response = client.post(
        reverse("login"),
        {"username": "sme_owner", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
        HTTP_ACCEPT_LANGUAGE="ko",
    )

    assert response.status_code == 429
    assert "로그인 시도가 너무 많습니다" in response.content.decode()


# ---------------------------------------------------------------- client address behind proxies
def test_client_ip_is_the_connection_address_without_trusted_proxies():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert client_ip(request) == "10.0.0.5"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_client_ip_behind_one_load_balancer_is_the_last_forwarded_address():
    # The client claimed 1.2.3.4 itself; the load balancer appended the address it saw.
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")

    assert client_ip(request) == "203.0.113.7"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_client_ip_falls_back_to_the_connection_when_the_header_is_short():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert client_ip(request) == "10.0.0.5"


# ---------------------------------------------------------------- a database that is down
@pytest.fixture
def server():
    """A client that gets the server-error pages, as a browser would, instead of the exception."""
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "error", [OperationalError("could not connect to server"), InterfaceError("connection already closed")]
)
@pytest.mark.django_db
def test_a_database_that_is_down_gives_a_503_page_with_retry_after(server, error):
    with mock.patch("portal.views.selectors.portal_figures", side_effect=error):
        response = server.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    assert "The portal is back in a moment" in page
    assert "Please try again in 10 seconds." in page
    assert_page_works_under_the_policy(response)


@pytest.mark.django_db
def test_redis_that_cannot_be_reached_gives_the_503_page_not_a_500(server, sme_owner):
    """Sessions and pages are read from Redis: while it restarts, pages say so as for the database."""
    server.force_login(sme_owner)
    refused = redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with mock.patch("django.contrib.sessions.backends.cached_db.SessionStore.load", side_effect=refused):
        response = server.get("/companies/")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "The portal is back in a moment" in response.content.decode()


@pytest.mark.django_db
def test_the_503_page_reads_nothing_from_the_database(server, django_assert_num_queries):
    with (
        mock.patch("portal.views.selectors.portal_figures", side_effect=OperationalError("gone")),
        django_assert_num_queries(0),
    ):
        response = server.get("/")

    assert response.status_code == 503


@pytest.mark.django_db
def test_the_503_page_is_translated(server):
    with mock.patch("portal.views.selectors.portal_figures", side_effect=OperationalError("gone")):
        response = server.get("/", HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 503
    assert "잠시 후 다시" in response.content.decode()


@pytest.mark.django_db
def test_a_programming_error_is_still_a_500_page(server):
    with mock.patch("portal.views.selectors.portal_figures", side_effect=IntegrityError("a bug")):
        response = server.get("/")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Something went wrong on our side" in response.content.decode()
    assert_page_works_under_the_policy(response)


# ---------------------------------------------------------------- the other error pages
@pytest.mark.django_db
def test_an_unknown_address_gives_the_portal_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
    assert_page_works_under_the_policy(response)


@pytest.mark.django_db
def test_a_refused_page_gives_the_portal_403_page(client, sme_owner):
    client.force_login(sme_owner)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()
    assert_page_works_under_the_policy(response)


@pytest.mark.django_db
def test_the_drivers_own_connection_error_is_also_a_503(server):
    from django.db import connection

    driver_error = connection.Database.OperationalError("server closed the connection unexpectedly")
    with mock.patch("portal.views.selectors.portal_figures", side_effect=driver_error):
        response = server.get("/")

    assert response.status_code == 503


@pytest.mark.django_db
def test_an_error_raised_while_handling_a_lost_connection_is_a_503(server):
    def fail_while_handling():
        try:
            raise OperationalError("terminating connection due to administrator command")
        except OperationalError:
            raise RuntimeError("cleanup failed") from None

    with mock.patch("portal.views.selectors.portal_figures", side_effect=fail_while_handling):
        response = server.get("/")

    assert response.status_code == 503
