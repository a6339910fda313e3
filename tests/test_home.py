"""The home page in English and Korean, and the log-in page."""

import datetime as dt

import pytest
from django.conf import settings

from tests import factories
from tests.conftest import html_in


@pytest.mark.django_db
def test_home_page_in_english_shows_a_log_in_link_to_anonymous_visitors(client):
    html = html_in(client.get("/", HTTP_ACCEPT_LANGUAGE="en"), "en")

    assert "<title>K-Smart City export portal</title>" in html
    assert '<a href="/accounts/login/" class="btn btn-primary btn-lg">Log in</a>' in html
    assert '<a class="btn btn-light btn-sm" href="/accounts/login/">Log in</a>' in html


@pytest.mark.django_db
def test_home_page_follows_a_korean_browser(client):
    html = html_in(client.get("/", HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9,en;q=0.5"), "ko")

    assert "<title>K-스마트시티 수출 포털</title>" in html
    assert '<a href="/accounts/login/" class="btn btn-primary btn-lg">로그인</a>' in html


@pytest.mark.django_db
def test_language_cookie_overrides_the_browser(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    html_in(response, "ko")


@pytest.mark.django_db
def test_language_switch_sets_the_cookie_and_returns_to_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "ko", "next": "/"})

    assert response.status_code == 302
    assert response.url == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ko"
    assert client.get("/")["Content-Language"] == "ko"


@pytest.mark.django_db
def test_home_page_counts_what_the_portal_holds(client):
    factories.CompanyFactory.create_batch(3)
    factories.CompanyFactory(approval_status="pending")
    factories.DemandFactory(published=True)
    factories.DemandFactory()
    factories.MouFactory()
    factories.MeetingFactory(status="cancelled")

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    # The outcome's and the cancelled meeting's SMEs are approved companies too.
    assert response.context["figures"] == {"companies": 5, "open_demands": 1, "meetings": 1, "mous": 1}


@pytest.mark.django_db
def test_home_page_summarises_each_roadshow(client, bangkok_centre, istanbul_centre):
    bangkok = factories.EventFactory(
        name="Bangkok Smart City Roadshow",
        city=bangkok_centre.city,
        organising_centre=bangkok_centre,
        start_date=dt.date(2022, 10, 6),
    )
    istanbul = factories.EventFactory(
        name="Istanbul Smart City Roadshow",
        city=istanbul_centre.city,
        organising_centre=istanbul_centre,
        start_date=dt.date(2023, 5, 16),
    )
    factories.MouFactory(meeting__slot__event=bangkok)
    factories.MeetingFactory(slot__event=bangkok)
    factories.MeetingFactory(slot__event=bangkok, status="cancelled")
    factories.SmeRegistrationFactory(event=istanbul)

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    summaries = [
        (e.name, e.sme_count, e.buyer_count, e.meeting_count, e.mou_count) for e in response.context["events"]
    ]
    assert summaries == [
        ("Istanbul Smart City Roadshow", 1, 0, 0, 0),
        ("Bangkok Smart City Roadshow", 3, 3, 2, 1),
    ]
    html = response.content.decode()
    programme = f'<a href="/events/{bangkok.pk}/programme/">Bangkok Smart City Roadshow</a>'
    assert f'<h3 class="h5 card-title mb-1">{programme}</h3>' in html
    assert "Bangkok, Thailand" in html


@pytest.mark.django_db
def test_signed_in_member_sees_their_name_and_no_log_in_link(client, sme_owner):
    client.force_login(sme_owner)

    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "sme_owner" in html
    assert "SME member · Seoul Traffic Systems" in html
    assert 'href="/accounts/login/"' not in html


@pytest.mark.django_db
def test_login_page_renders_the_form(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="h4 mb-3">Log in to the portal</h1>' in html
    assert 'name="username"' in html
    assert 'name="password"' in html


@pytest.mark.django_db
def test_wrong_password_re_renders_with_the_error_and_keeps_the_username(client, sme_owner):
    response = client.post(
        "/accounts/login/",
        {"username": "sme_owner", "password": "not-the-password"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    html = response.content.decode()
    message = "Please enter a correct username and password. Note that both fields may be case-sensitive."
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [message]
    assert message in html
    assert 'value="sme_owner"' in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_right_password_logs_in_and_goes_to_the_members_own_page(client, sme_owner):
    response = client.post("/accounts/login/", {"username": "sme_owner", "password": factories.PASSWORD})

    assert response.status_code == 302
    assert response.url == "/accounts/"
    assert client.session["_auth_user_id"] == str(sme_owner.pk)
