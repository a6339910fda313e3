"""Django's cache as the portal uses it: Redis in CI and production, sessions read through it (cached_db),
and what that must never change: a logout, a deactivation or a password change holds on the next request.
Also the agendas' and the dashboard's cached content (the directories: tests/test_directory_pages.py)."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_KEY_PREFIX
from django.contrib.sessions.backends.cached_db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client
from django.urls import reverse

from matching.consultations.booking.models import Meeting
from portal.accounts.models import User
from tests import factories
from tests.conftest import empty_cache, redis_client
from tests.consultations.test_agendas import bangkok_roadshow, slot_at

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a new long passphrase 2026"


def nav_of(response):
    return response.content.decode().split("<nav", 1)[1].split("</nav>", 1)[0]


# ---------------------------------------------------------------- the backend
@pytest.mark.redis
def test_with_redis_url_set_the_cache_and_the_sessions_live_in_redis(client, sme_owner):
    assert type(caches["default"]) is RedisCache
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"

    cache.set("probe", "through Redis")
    client.force_login(sme_owner)

    # Read back with a Redis client of its own: the entries are in the server, not in this process.
    assert redis_client().exists(cache.make_key("probe")) == 1
    session_key = cache.make_key(SESSION_KEY_PREFIX + client.cookies[settings.SESSION_COOKIE_NAME].value)
    assert redis_client().exists(session_key) == 1


def test_the_cache_is_a_real_one_emptied_before_each_test():
    assert caches["default"].__class__.__name__ in {"RedisCache", "LocMemCache"}
    assert cache.get("left-by-another-test") is None

    cache.set("left-by-another-test", 1)

    assert cache.get("left-by-another-test") == 1


# ---------------------------------------------------------------- who is logged in
def test_a_members_page_reads_the_session_from_the_cache_and_only_the_user_from_the_database(
    client, sme_owner, django_assert_num_queries
):
    client.force_login(sme_owner)
    client.get("/companies/")  # the directory's content, cached for everyone

    with django_assert_num_queries(1):  # the user with their organisation
        response = client.get("/companies/")

    assert "sme_owner" in nav_of(response)
    assert "Seoul Traffic Systems" in nav_of(response)  # the organisation, read with the user


def test_after_logging_out_the_old_session_cookie_opens_nothing(client, sme_owner):
    client.force_login(sme_owner)
    assert client.get("/events/agendas/").status_code == 200
    old_cookie = client.cookies["sessionid"].value

    client.post(reverse("logout"))
    client.cookies["sessionid"] = old_cookie

    assert client.get("/events/agendas/").status_code == 302  # to the login page


def test_a_logout_through_another_server_ends_the_session_on_the_next_request(client, sme_owner):
    """Another server shares the database and the cache: its logout is the session store's delete."""
    client.force_login(sme_owner)
    assert client.get("/events/agendas/").status_code == 200

    SessionStore(client.cookies["sessionid"].value).delete()

    assert client.get("/events/agendas/").status_code == 302


def test_a_deactivated_account_is_logged_out_at_once(client, sme_owner):
    client.force_login(sme_owner)
    assert client.get("/events/agendas/").status_code == 200

    sme_owner.is_active = False
    sme_owner.save()

    assert client.get("/events/agendas/").status_code == 302


def test_an_account_deactivated_by_a_queryset_update_is_logged_out_at_once(client, sme_owner):
    client.force_login(sme_owner)
    assert client.get("/events/agendas/").status_code == 200

    type(sme_owner).objects.filter(pk=sme_owner.pk).update(is_active=False)  # no signal, no save()

    assert client.get("/events/agendas/").status_code == 302


def test_a_changed_password_logs_out_the_users_other_sessions(client, sme_owner):
    client.force_login(sme_owner)
    assert client.get("/events/agendas/").status_code == 200

    sme_owner.set_password(NEW_PASSWORD)
    sme_owner.save()

    assert client.get("/events/agendas/").status_code == 302


def test_a_member_who_changes_their_password_stays_logged_in_and_their_other_session_is_out(sme_owner):
    this, other = Client(), Client()
    this.force_login(sme_owner)
    other.force_login(sme_owner)
    assert other.get("/events/agendas/").status_code == 200

    this.post(
        "/accounts/password/change/",
        {"old_password": factories.PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    page = this.get("/accounts/password/change/done/")
    assert page.status_code == 200
    assert "Your password was changed." in page.content.decode()
    assert this.get("/events/agendas/").status_code == 200
    assert other.get("/events/agendas/").status_code == 302


def test_a_login_over_another_session_ends_that_session(client, sme_owner, stranger):
    client.force_login(stranger)
    assert client.get("/events/agendas/").status_code == 200
    old_cookie = client.cookies["sessionid"].value

    client.post(reverse("login"), {"username": "sme_owner", "password": factories.PASSWORD})
    assert "sme_owner" in nav_of(client.get("/companies/"))
    client.cookies["sessionid"] = old_cookie

    assert "stranger" not in nav_of(client.get("/companies/"))
    assert not Session.objects.filter(session_key=old_cookie).exists()


def test_a_new_role_changes_the_navigation_at_once(client, sme_owner, bangkok_centre):
    client.force_login(sme_owner)
    assert "Roadshows" in client.get("/companies/").content.decode()

    sme_owner.role, sme_owner.company, sme_owner.trade_centre = "staff", None, bangkok_centre
    sme_owner.save()

    page = client.get("/companies/").content.decode()
    assert "Roadshows" not in page
    assert "KOTRA Bangkok" in page


def test_a_renamed_company_shows_in_its_members_navigation_at_once(client, sme_owner):
    client.force_login(sme_owner)
    client.get("/companies/")

    sme_owner.company.name_en = "Seoul Mobility Labs"
    sme_owner.company.save()

    assert "Seoul Mobility Labs" in nav_of(client.get("/companies/"))


# ---------------------------------------------------------------- the navigation menu
def test_the_menu_is_the_roles_own_in_the_users_language_with_the_section_marked(
    client, sme_owner, centre_staff, bangkok_centre
):
    User.objects.update(language="")  # nobody chose a language: the browser's (or cookie's) decides
    visitor_menu = nav_of(client.get("/companies/"))
    client.force_login(sme_owner)
    sme_menu = nav_of(client.get("/companies/"))
    korean_menu = nav_of(client.get("/companies/", HTTP_ACCEPT_LANGUAGE="ko"))
    on_demands = nav_of(client.get("/demands/"))
    on_roadshows = nav_of(client.get(reverse("consultations:join_list")))
    on_agendas = nav_of(client.get(reverse("consultations:my_agenda")))  # the same app, another page

    client.force_login(centre_staff)
    staff_menu = nav_of(client.get("/companies/"))
    client.force_login(factories.CentreStaffFactory(trade_centre=bangkok_centre, is_staff=True))
    staff_with_admin_menu = nav_of(client.get("/companies/"))

    assert "My agendas" in sme_menu and "Events" not in sme_menu
    assert "Events" in staff_menu and "My agendas" not in staff_menu
    assert "한국 기업" in korean_menu and "Korean companies" not in korean_menu
    assert 'class="nav-link active" href="/companies/"' in sme_menu
    assert 'class="nav-link active" href="/demands/"' in on_demands
    assert 'class="nav-link active" href="/companies/"' not in on_demands
    assert 'class="nav-link active" href="/events/join/"' in on_roadshows
    assert 'class="nav-link active" href="/events/join/"' not in on_agendas
    assert "My organisation" not in visitor_menu and "Korean companies" in visitor_menu
    assert "Administration" in staff_with_admin_menu and "Administration" not in staff_menu


# ---------------------------------------------------------------- agendas
@pytest.fixture
def roadshow(bangkok_centre, sme_owner, buyer):
    return bangkok_roadshow(bangkok_centre, sme_owner.company, buyer.buyer_organisation)


def agenda_url(roadshow):
    return reverse("consultations:agenda", args=[roadshow["sme"].pk])


def main_of(response):
    """The page's <main>: the navigation around it carries a new CSRF token on every page. The check-in
    QR code is left out too: its signed token carries the second it was made in (django.core.signing),
    so two pages a second apart differ there (it is asserted on its own)."""
    main = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    qr_codes = re.findall(r'<svg[^>]*class="check-in-qr".*?</svg>', main, flags=re.S)
    for qr in qr_codes:
        main = main.replace(qr, "<svg:check-in-qr/>")
    return main


def test_an_agenda_seen_again_reads_its_registration_and_its_meetings_state_only(
    client, sme_owner, roadshow, django_assert_num_queries
):
    client.force_login(sme_owner)
    first = client.get(agenda_url(roadshow))

    # The user, the registration (who may see it, its title), its meetings' state (the cached content's key),
    # and the programme's sessions, which are read fresh so that a changed session shows at once.
    with django_assert_num_queries(4):
        again = client.get(agenda_url(roadshow))

    assert main_of(again) == main_of(first)
    assert main_of(again).count("<svg:check-in-qr/>") == 1  # the QR code is there, once
    assert again.content.decode().count("Khon Kaen City Municipality") == 1
    assert (
        "<title>Agenda · Seoul Traffic Systems · Smart City Roadshow Bangkok 2025 · K-Smart City</title>"
        in again.content.decode()
    )


def test_a_moved_meeting_shows_at_its_new_time_at_once(client, sme_owner, roadshow):
    client.force_login(sme_owner)
    assert "09:30" in client.get(agenda_url(roadshow)).content.decode()

    Meeting.objects.filter(pk=roadshow["meeting"].pk).update(slot=slot_at(roadshow["event"], 14))  # no signal

    page = client.get(agenda_url(roadshow)).content.decode()
    assert "14:00" in page
    assert "09:30" not in page


def test_a_new_meeting_is_on_the_agenda_at_once(client, sme_owner, roadshow):
    client.force_login(sme_owner)
    client.get(agenda_url(roadshow))
    other_buyer = factories.BuyerRegistrationFactory(
        event=roadshow["event"], buyer=factories.BuyerOrganisationFactory(name="Phuket City Municipality")
    )

    factories.MeetingFactory(slot=slot_at(roadshow["event"], 11), sme=roadshow["sme"], buyer=other_buyer)

    assert "Phuket City Municipality" in client.get(agenda_url(roadshow)).content.decode()


def test_a_renamed_company_shows_on_its_agenda_at_once(client, sme_owner, roadshow):
    client.force_login(sme_owner)
    client.get(agenda_url(roadshow))

    sme_owner.company.name_en = "Seoul Mobility Labs"
    sme_owner.company.save()

    assert "Agenda of Seoul Mobility Labs" in main_of(client.get(agenda_url(roadshow)))


def test_the_outcome_button_appears_when_the_meeting_starts(client, sme_owner, roadshow):
    meeting = roadshow["meeting"]
    outcome_url = reverse("consultations:outcome", args=[meeting.pk])
    before = meeting.slot.starts_at - dt.timedelta(minutes=1)
    client.force_login(sme_owner)

    with mock.patch("django.utils.timezone.now", return_value=before):
        assert outcome_url not in client.get(agenda_url(roadshow)).content.decode()
        assert outcome_url not in client.get(agenda_url(roadshow)).content.decode()

    with mock.patch("django.utils.timezone.now", return_value=meeting.slot.starts_at):
        assert outcome_url in client.get(agenda_url(roadshow)).content.decode()


def test_a_cached_agenda_is_never_shown_to_another_member(client, sme_owner, stranger, roadshow):
    client.force_login(sme_owner)
    assert client.get(agenda_url(roadshow)).status_code == 200

    client.force_login(stranger)

    assert client.get(agenda_url(roadshow)).status_code == 404


def test_each_language_has_its_own_cached_agenda(client, sme_owner, roadshow):
    User.objects.update(language="")  # nobody chose a language: the browser's (or cookie's) decides
    client.force_login(sme_owner)
    english = client.get(agenda_url(roadshow), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    korean = client.get(agenda_url(roadshow), HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert "Agenda of Seoul Traffic Systems" in english
    assert "Agenda of" not in korean
    assert '<html lang="ko">' in korean


# ---------------------------------------------------------------- the dashboard
def test_the_dashboard_seen_again_reads_only_the_user(
    client, centre_staff, roadshow, django_assert_num_queries
):
    client.force_login(centre_staff)
    first = client.get("/dashboard/")

    with django_assert_num_queries(1):
        again = client.get("/dashboard/")

    assert main_of(again) == main_of(first)
    assert "Smart City Roadshow Bangkok 2025" in again.content.decode()


def test_the_dashboards_figures_are_cached_for_page_cache_seconds(client, centre_staff, roadshow):
    client.force_login(centre_staff)
    assert re.search(r"<dt>Held</dt><dd>0</dd>", client.get("/dashboard/").content.decode())
    Meeting.objects.filter(pk=roadshow["meeting"].pk).update(status=Meeting.Status.HELD)

    cached = client.get("/dashboard/").content.decode()
    empty_cache()  # PAGE_CACHE_SECONDS later

    assert re.search(r"<dt>Held</dt><dd>0</dd>", cached)
    assert re.search(r"<dt>Held</dt><dd>1</dd>", client.get("/dashboard/").content.decode())


def test_another_centres_staff_never_get_the_first_centres_cached_dashboard(
    client, centre_staff, other_centre_staff, roadshow
):
    client.force_login(centre_staff)
    assert "Smart City Roadshow Bangkok 2025" in client.get("/dashboard/").content.decode()

    client.force_login(other_centre_staff)

    assert "Smart City Roadshow Bangkok 2025" not in client.get("/dashboard/").content.decode()


def test_each_chosen_event_has_its_own_cached_dashboard(client, centre_staff, roadshow, bangkok_centre):
    factories.EventFactory(name="Smart City Roadshow Chiang Mai 2026", organising_centre=bangkok_centre)
    client.force_login(centre_staff)
    client.get("/dashboard/")

    page = client.get("/dashboard/", {"event": f"00{roadshow['event'].pk}"}).content.decode()

    assert '<p class="text-body-secondary mb-0">Smart City Roadshow Bangkok 2025</p>' in page


def test_members_are_refused_the_dashboard_even_when_it_is_cached(client, centre_staff, sme_owner, roadshow):
    client.force_login(centre_staff)
    client.get("/dashboard/")

    client.force_login(sme_owner)

    assert client.get("/dashboard/").status_code == 403
