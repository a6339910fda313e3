"""Changing a password while logged in, and resetting a forgotten one by e-mail."""

import re

import pytest
from django.core import mail

from tests import factories

NEW_PASSWORD = "Gaziantep-water-2025"
RESET = "/accounts/password/reset/"
SENT = "/accounts/password/reset/sent/"
RESET_LINK = re.compile(r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)")
SENT_MESSAGE = "If an account uses that address, we have e-mailed it a link to choose a new password."


def without_csrf_tokens(response):
    """The page's HTML with the per-request CSRF tokens blanked out, so two pages can be compared."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def log_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


# ---------------------------------------------------------------- change
@pytest.mark.django_db
def test_a_member_changes_their_password_and_stays_logged_in(client, sme_owner):
    client.force_login(sme_owner)

    response = client.post(
        "/accounts/password/change/",
        {"old_password": factories.PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/change/done/"
    sme_owner.refresh_from_db()
    assert sme_owner.check_password(NEW_PASSWORD)
    done = client.get("/accounts/password/change/done/")
    assert done.status_code == 200
    assert "Your password was changed." in done.content.decode()


@pytest.mark.django_db
def test_the_new_password_logs_in_and_the_old_one_no_longer_does(client, sme_owner):
    client.force_login(sme_owner)
    client.post(
        "/accounts/password/change/",
        {"old_password": factories.PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    client.logout()

    assert log_in(client, "sme_owner", factories.PASSWORD).status_code == 200  # form again, with the error
    assert "_auth_user_id" not in client.session
    response = log_in(client, "sme_owner", NEW_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(sme_owner.pk)


@pytest.mark.django_db
def test_a_wrong_old_password_changes_nothing(client, sme_owner):
    client.force_login(sme_owner)

    response = client.post(
        "/accounts/password/change/",
        {"old_password": "not-my-password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "old_password": ["Your old password was entered incorrectly. Please enter it again."]
    }
    sme_owner.refresh_from_db()
    assert sme_owner.check_password(factories.PASSWORD)


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_before_changing_a_password(client, db):
    response = client.get("/accounts/password/change/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/password/change/"


# ---------------------------------------------------------------- reset
@pytest.mark.django_db
def test_a_reset_sends_an_email_with_a_link_to_the_account_address(client, sme_owner):
    response = client.post(RESET, {"email": "sme_owner@example.com"})

    assert response.status_code == 302
    assert response["Location"] == SENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sme_owner@example.com"]
    assert message.subject == "Choose a new password for the K-Smart City export portal"
    assert len(RESET_LINK.findall(message.body)) == 1


@pytest.mark.django_db
def test_following_the_reset_link_sets_a_new_password_that_logs_in(client, sme_owner):
    client.post(RESET, {"email": "sme_owner@example.com"})
    (link,) = RESET_LINK.findall(mail.outbox[0].body)

    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    set_password_url = response.redirect_chain[-1][0]
    assert set_password_url.endswith("/set-password/")
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    done = client.get("/accounts/password/reset/done/")
    assert "Your new password is set. You can log in with it now." in done.content.decode()
    assert log_in(client, "sme_owner", NEW_PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(sme_owner.pk)


@pytest.mark.django_db
def test_a_reset_link_works_only_once(client, sme_owner):
    client.post(RESET, {"email": "sme_owner@example.com"})
    (link,) = RESET_LINK.findall(mail.outbox[0].body)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = client.get(link, follow=True)

    assert response.context["validlink"] is False
    assert "This link is invalid or was already used. Ask for a new one." in response.content.decode()


@pytest.mark.django_db
def test_a_reset_for_an_unknown_email_shows_the_same_sent_page_and_sends_nothing(client, sme_owner):
    known = client.post(RESET, {"email": "sme_owner@example.com"}, follow=True)
    mail.outbox.clear()

    unknown = client.post(RESET, {"email": "nobody@example.com"}, follow=True)

    assert unknown.redirect_chain == known.redirect_chain == [(SENT, 302)]
    assert unknown.status_code == known.status_code == 200
    assert SENT_MESSAGE in unknown.content.decode()
    assert without_csrf_tokens(unknown) == without_csrf_tokens(known)
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_tampered_reset_link_is_refused(client, sme_owner):
    response = client.get("/accounts/password/reset/MQ/not-a-token/")

    assert response.status_code == 200
    assert response.context["validlink"] is False
