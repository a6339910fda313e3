"""What each worker keeps besides the directories (portal.caching): who is logged in (sessions and users),
agendas and the results dashboard. A kept page reads nothing from the database, and nothing kept outlives
a change: logouts, deactivations, role and password changes, new meetings, outcomes, and the clock."""

import datetime as dt
import re
from unittest import mock

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.db import DatabaseError
from django.db.models import F
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from matching.consultations.models import Meeting
from portal import caching
from portal.accounts.backends import PortalBackend
from portal.accounts.models import User
from portal.accounts.sessions import SessionStore
from portal.models import CacheVersion
from tests import factories
from tests.consultations.test_agendas import bangkok_roadshow, slot_at
from tests.kept import real_caches

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def real_cache():
    """A real cache; the versions are read once, then only when this worker changed one (or a test says)."""
    with real_caches(version_seconds=3600):
        yield


def another_server_changed(name):
    """What another app server's commit does: the version row goes up; this worker was not told."""
    CacheVersion.objects.filter(name=name).update(number=F("number") + 1) or CacheVersion.objects.create(
        name=name, number=2
    )


def a_second_later():
    """This worker's next look at the versions (CACHE_VERSION_SECONDS is up)."""
    caching.forget_versions()


@pytest.fixture
def roadshow(bangkok_centre, sme_owner, buyer):
    return bangkok_roadshow(bangkok_centre, sme_owner.company, buyer.buyer_organisation)


def nav_of(response):
    return response.content.decode().split("<nav", 1)[1].split("</nav>", 1)[0]


def main_of(response):
    """The page's <main>: the navigation around it carries a new CSRF token on every page."""
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def agenda_url(roadshow):
    return reverse("consultations:agenda", args=[roadshow["sme"].pk])


# ---------------------------------------------------------------- who is logged in
def test_a_members_second_page_reads_nothing_from_the_database(client, sme_owner, django_assert_num_queries):
    client.force_login(sme_owner)
    client.get("/companies/")

    with django_assert_num_queries(0):
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


def test_a_logout_on_another_server_ends_the_session_here_within_the_version_interval(client, sme_owner):
    client.force_login(sme_owner)
    assert client.get("/events/agendas/").status_code == 200

    Session.objects.all().delete()  # the other server's logout
    another_server_changed(caching.SESSIONS)
    a_second_later()

    assert client.get("/events/agendas/").status_code == 302


def test_a_deactivated_account_is_logged_out_at_once(client, sme_owner, django_capture_on_commit_callbacks):
    client.force_login(sme_owner)
    assert client.get("/events/agendas/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        sme_owner.is_active = False
        sme_owner.save()

    assert client.get("/events/agendas/").status_code == 302


def test_a_changed_password_logs_out_the_users_other_sessions(
    client, sme_owner, django_capture_on_commit_callbacks
):
    client.force_login(sme_owner)
    assert client.get("/events/agendas/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        sme_owner.set_password("a new long passphrase 2026")
        sme_owner.save()

    assert client.get("/events/agendas/").status_code == 302


def test_a_member_who_changes_their_password_stays_logged_in_on_a_worker_that_kept_them_from_before(
    client, sme_owner
):
    client.force_login(sme_owner)
    client.get("/events/agendas/")  # this worker keeps the user, with the old password
    new_password = "a new long passphrase 2026"

    # The version the change raises is not read here yet (in a test, nothing commits): as on any other worker
    # within the second after the change.
    client.post(
        "/accounts/password/change/",
        {"old_password": factories.PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    page = client.get("/accounts/password/change/done/")
    assert page.status_code == 200
    assert "Your password was changed." in page.content.decode()
    assert client.get("/events/agendas/").status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"is_active": False}, id="deactivated"),
        pytest.param({"password": make_password("a new long passphrase 2026")}, id="password changed"),
    ],
)
def test_a_change_to_the_user_on_another_server_logs_them_out_here_within_the_version_interval(
    client, sme_owner, change
):
    with override_settings(CACHE_VERSION_SECONDS=1):
        with mock.patch("portal.caching.time.monotonic", return_value=1000.0):
            client.force_login(sme_owner)
            assert client.get("/events/agendas/").status_code == 200
            User.objects.filter(pk=sme_owner.pk).update(**change)  # the other server's save
            another_server_changed(caching.IDENTITIES)
            # Within the second this worker still knows the user as it kept them.
            assert client.get("/events/agendas/").status_code == 200

        with mock.patch("portal.caching.time.monotonic", return_value=1001.0):
            assert client.get("/events/agendas/").status_code == 302


def test_a_session_from_before_a_password_change_is_logged_out_where_the_new_user_is_kept(sme_owner):
    before, after = Client(), Client()
    before.force_login(sme_owner)
    before.get("/events/agendas/")
    after.force_login(sme_owner)
    new_password = "a new long passphrase 2026"
    after.post(
        "/accounts/password/change/",
        {"old_password": factories.PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert after.get("/events/agendas/").status_code == 200  # this worker now keeps the new user

    assert before.get("/events/agendas/").status_code == 302


def test_a_login_over_another_session_ends_that_session(client, sme_owner, stranger):
    client.force_login(stranger)
    assert client.get("/events/agendas/").status_code == 200
    old_cookie = client.cookies["sessionid"].value

    client.post(reverse("login"), {"username": "sme_owner", "password": factories.PASSWORD})
    assert "sme_owner" in nav_of(client.get("/companies/"))
    client.cookies["sessionid"] = old_cookie

    assert "stranger" not in nav_of(client.get("/companies/"))


def test_the_async_session_methods_forget_what_the_worker_kept(client, sme_owner):
    client.force_login(sme_owner)
    assert client.get("/events/agendas/").status_code == 200
    store = SessionStore(client.cookies["sessionid"].value)

    async_to_sync(store.adelete)()

    assert client.get("/events/agendas/").status_code == 302


def test_a_new_role_changes_the_navigation_at_once(
    client, sme_owner, bangkok_centre, django_capture_on_commit_callbacks
):
    client.force_login(sme_owner)
    assert "Roadshows" in client.get("/companies/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        sme_owner.role, sme_owner.company, sme_owner.trade_centre = "staff", None, bangkok_centre
        sme_owner.save()

    page = client.get("/companies/").content.decode()
    assert "Roadshows" not in page
    assert "KOTRA Bangkok" in page


def test_a_renamed_company_shows_in_its_members_navigation_at_once(
    client, sme_owner, django_capture_on_commit_callbacks
):
    client.force_login(sme_owner)
    client.get("/companies/")

    with django_capture_on_commit_callbacks(execute=True):
        sme_owner.company.name_en = "Seoul Mobility Labs"
        sme_owner.company.save()

    assert "Seoul Mobility Labs" in client.get("/events/agendas/").content.decode()


def test_a_login_does_not_make_every_worker_forget_who_is_logged_in(
    client, sme_owner, django_capture_on_commit_callbacks
):
    versions = caching.version(caching.SESSIONS), caching.version(caching.IDENTITIES)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("login"), {"username": "sme_owner", "password": factories.PASSWORD})

    assert response.status_code == 302
    a_second_later()
    assert (caching.version(caching.SESSIONS), caching.version(caching.IDENTITIES)) == versions


def test_another_members_logout_costs_a_member_only_the_session_query(
    client, sme_owner, stranger, roadshow, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client.force_login(sme_owner)
    client.get(agenda_url(roadshow))
    other = Client()
    other.force_login(stranger)
    other.get("/events/agendas/")

    with django_capture_on_commit_callbacks(execute=True):
        other.post(reverse("logout"))

    with django_assert_num_queries(2):  # the versions, the session; the user and the agenda are still kept
        response = client.get(agenda_url(roadshow))
    assert "Khon Kaen City Municipality" in response.content.decode()


def test_each_page_gets_its_own_copy_of_the_kept_user(sme_owner):
    backend = PortalBackend()
    backend.get_user(sme_owner.pk)

    first = backend.get_user(sme_owner.pk)
    first.role = "admin"
    first._perm_cache = {"anything"}

    second = backend.get_user(sme_owner.pk)
    assert second is not first
    assert second.role == "sme"
    assert not hasattr(second, "_perm_cache")


def test_an_expired_session_is_not_served_from_memory(client, sme_owner):
    client.force_login(sme_owner)
    assert client.get("/events/agendas/").status_code == 200

    later = timezone.now() + dt.timedelta(days=400)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.get("/events/agendas/").status_code == 302


# ---------------------------------------------------------------- agendas
def test_an_agenda_seen_again_reads_nothing_from_the_database(
    client, sme_owner, roadshow, django_assert_num_queries
):
    client.force_login(sme_owner)
    first = client.get(agenda_url(roadshow))

    with django_assert_num_queries(0):
        again = client.get(agenda_url(roadshow))

    assert again.status_code == 200
    assert again.content.decode().count("Khon Kaen City Municipality") == 1
    assert (
        "<title>Agenda · Seoul Traffic Systems · Smart City Roadshow Bangkok 2025 · K-Smart City</title>"
        in (again.content.decode())
    )
    assert main_of(first) == main_of(again)


def test_a_new_meeting_is_on_the_agenda_at_once(
    client, sme_owner, roadshow, django_capture_on_commit_callbacks
):
    client.force_login(sme_owner)
    client.get(agenda_url(roadshow))
    other_buyer = factories.BuyerRegistrationFactory(
        event=roadshow["event"], buyer=factories.BuyerOrganisationFactory(name="Phuket City Municipality")
    )

    with django_capture_on_commit_callbacks(execute=True):
        factories.MeetingFactory(slot=slot_at(roadshow["event"], 11), sme=roadshow["sme"], buyer=other_buyer)

    assert "Phuket City Municipality" in client.get(agenda_url(roadshow)).content.decode()


def test_a_meeting_moved_on_another_server_shows_at_its_new_time_within_the_version_interval(
    client, sme_owner, roadshow
):
    client.force_login(sme_owner)
    assert "09:30" in client.get(agenda_url(roadshow)).content.decode()
    Meeting.objects.filter(pk=roadshow["meeting"].pk).update(slot=slot_at(roadshow["event"], 14))  # no signal

    another_server_changed(caching.CONSULTATIONS)
    a_second_later()

    page = client.get(agenda_url(roadshow)).content.decode()
    assert "14:00" in page
    assert "09:30" not in page


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


def test_a_kept_agenda_is_never_shown_to_another_member(client, sme_owner, stranger, roadshow):
    client.force_login(sme_owner)
    assert client.get(agenda_url(roadshow)).status_code == 200

    client.force_login(stranger)

    assert client.get(agenda_url(roadshow)).status_code == 404


def test_each_language_has_its_own_kept_agenda(client, sme_owner, roadshow):
    client.force_login(sme_owner)
    english = client.get(agenda_url(roadshow), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    korean = client.get(agenda_url(roadshow), HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert "Agenda of Seoul Traffic Systems" in english
    assert "Agenda of" not in korean
    assert '<html lang="ko">' in korean


# ---------------------------------------------------------------- the dashboard
def test_the_dashboard_seen_again_reads_nothing_from_the_database(
    client, centre_staff, roadshow, django_assert_num_queries
):
    client.force_login(centre_staff)
    first = client.get("/dashboard/")

    with django_assert_num_queries(0):
        again = client.get("/dashboard/")

    assert again.status_code == 200
    assert main_of(first) == main_of(again)
    assert "Smart City Roadshow Bangkok 2025" in again.content.decode()


def test_a_recorded_outcome_is_on_the_dashboard_at_once(
    client, centre_staff, roadshow, django_capture_on_commit_callbacks
):
    client.force_login(centre_staff)
    client.get("/dashboard/")

    with django_capture_on_commit_callbacks(execute=True):
        meeting = Meeting.objects.get(pk=roadshow["meeting"].pk)
        meeting.status = Meeting.Status.HELD
        meeting.save()

    page = client.get("/dashboard/").content.decode()
    assert re.search(r"<dt>Held</dt><dd>1</dd>", page)


def test_another_centres_staff_never_get_the_first_centres_kept_dashboard(
    client, centre_staff, other_centre_staff, roadshow
):
    client.force_login(centre_staff)
    assert "Smart City Roadshow Bangkok 2025" in client.get("/dashboard/").content.decode()

    client.force_login(other_centre_staff)

    assert "Smart City Roadshow Bangkok 2025" not in client.get("/dashboard/").content.decode()


def test_each_chosen_event_has_its_own_kept_dashboard(client, centre_staff, roadshow, bangkok_centre):
    factories.EventFactory(name="Smart City Roadshow Chiang Mai 2026", organising_centre=bangkok_centre)
    client.force_login(centre_staff)
    client.get("/dashboard/")

    page = client.get("/dashboard/", {"event": roadshow["event"].pk}).content.decode()

    assert '<p class="text-body-secondary mb-0">Smart City Roadshow Bangkok 2025</p>' in page


def test_members_are_refused_the_dashboard_even_when_it_is_kept(client, centre_staff, sme_owner, roadshow):
    client.force_login(centre_staff)
    client.get("/dashboard/")

    client.force_login(sme_owner)

    assert client.get("/dashboard/").status_code == 403


# ---------------------------------------------------------------- the navigation menu
def test_the_kept_menu_is_the_roles_own_in_the_users_language_with_the_section_marked(
    client, sme_owner, centre_staff, bangkok_centre
):
    visitor_menu = nav_of(client.get("/companies/"))
    client.force_login(sme_owner)
    client.get("/companies/")
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


# ---------------------------------------------------------------- raising the versions
def test_a_many_to_many_change_raises_each_version_once(sme_owner, django_capture_on_commit_callbacks):
    company, vietnam = sme_owner.company, factories.CountryFactory(iso_code="VN", name_en="Vietnam")

    with mock.patch("portal.caching._raise_version") as raised:
        with django_capture_on_commit_callbacks(execute=True):
            company.export_countries.add(vietnam)

    assert sorted(call.args[0] for call in raised.call_args_list) == [caching.DIRECTORIES, caching.IDENTITIES]


def test_a_logins_timestamp_raises_nothing(sme_owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        sme_owner.last_login = timezone.now()
        sme_owner.save(update_fields=["last_login"])

    assert callbacks == []


def test_the_same_event_written_two_ways_is_one_kept_dashboard(
    client, centre_staff, roadshow, django_assert_num_queries
):
    event = roadshow["event"].pk
    client.force_login(centre_staff)
    client.get("/dashboard/", {"event": event})

    with django_assert_num_queries(0):
        page = client.get("/dashboard/", {"event": f"00{event}"}).content.decode()

    assert '<p class="text-body-secondary mb-0">Smart City Roadshow Bangkok 2025</p>' in page


@pytest.mark.django_db(transaction=True)
def test_a_logout_whose_version_raise_fails_still_logs_out(client, sme_owner):
    """The logout is committed before the raise runs; a database error then must not turn it into a 500."""
    client.force_login(sme_owner)
    assert client.get("/events/agendas/").status_code == 200

    with mock.patch("portal.caching._raise_version", side_effect=DatabaseError("gone")):
        response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get("/events/agendas/").status_code == 302
