"""Invitations under concurrency, on PostgreSQL: one invitation makes one account, whatever the interleaving.

Each attempt runs in its own thread and database connection, reads the invitation as the accept page
does, and calls accounts.services.invitation_accept; a barrier releases them together. The control: many
attempts saw the invitation usable at the same moment, so only the service's lock kept them apart.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test import Client

from portal.accounts import services
from portal.accounts.models import Invitation, User
from portal.privacy.models import REQUIRED_KINDS
from tests import factories
from tests.races import at_once

ATTEMPTS = 12
PASSWORD = "Khon-Kaen-floods-2024"
USED = "This invitation was already used or has expired. Ask your colleague to send a new one."
NO_LONGER_VALID = (
    "This invitation is no longer valid. Ask a member of the organisation to send you a new one."
)


def account(n):
    return {
        "username": f"colleague{n}",
        "email": "seoyeon@seoul-traffic.example",
        "password": PASSWORD,
        "first_name": "Seo-yeon",
        "last_name": f"Choi {n}",
    }


def _accept(invitation_pk, n):
    """One acceptance as the view makes it: read the invitation, then call the service."""
    invitation = Invitation.objects.select_related("invited_by").get(pk=invitation_pk)
    usable = invitation.is_usable
    try:
        services.invitation_accept(invitation=invitation, account=account(n), consents=REQUIRED_KINDS)
    except ValidationError as error:
        return usable, " ".join(error.messages)
    except Exception as error:  # noqa: BLE001 (any other error is what the test must catch)
        return usable, f"error: {error!r}"
    return usable, "accepted"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twelve_simultaneous_acceptances_of_one_invitation_create_one_account_and_eleven_clear_refusals():
    inviter = factories.SmeMemberFactory(username="sme_owner")
    invitation = factories.InvitationFactory(invited_by=inviter)
    results = at_once(lambda n: _accept(invitation.pk, n), list(range(ATTEMPTS)))

    assert connection.vendor == "postgresql"
    outcomes = [outcome for _, outcome in results]
    assert outcomes.count("accepted") == 1
    assert {outcome for outcome in outcomes if outcome != "accepted"} == {USED}
    colleagues = User.objects.exclude(pk=inviter.pk)
    assert colleagues.count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_by == colleagues.get()
    # The control: several attempts read the invitation as usable before anyone had accepted it.
    assert [usable for usable, _ in results].count(True) > 1


def _backend_waits_for_a_lock(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_acceptance_that_meets_the_inviters_deactivation_halfway_creates_no_member():
    """The administrator's deactivation holds the inviter's row; the acceptance waits for it, then refuses.

    Without a lock on the inviter, the acceptance reads the inviter as still active and makes a member.
    """
    inviter = factories.SmeMemberFactory(username="sme_owner")
    invitation = factories.InvitationFactory(invited_by=inviter)
    deactivating = threading.Event()
    commit = threading.Event()
    acceptance = {}

    def deactivate():
        try:
            with transaction.atomic():
                User.objects.filter(pk=inviter.pk).update(is_active=False)
                deactivating.set()
                commit.wait(timeout=30)
        finally:
            connections.close_all()

    def accept():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                acceptance["pid"] = cursor.fetchone()[0]
            acceptance["outcome"] = _accept(invitation.pk, 1)[1]
        finally:
            connections.close_all()

    admin = threading.Thread(target=deactivate)
    admin.start()
    assert deactivating.wait(timeout=30)
    member = threading.Thread(target=accept)
    member.start()
    # Let the deactivation commit only once the acceptance waits for it (or has already finished).
    for _ in range(3000):
        if not member.is_alive() or ("pid" in acceptance and _backend_waits_for_a_lock(acceptance["pid"])):
            break
        time.sleep(0.01)
    commit.set()
    admin.join(timeout=30)
    member.join(timeout=30)

    assert acceptance["outcome"] == NO_LONGER_VALID
    assert list(User.objects.values_list("username", flat=True)) == ["sme_owner"]
    invitation.refresh_from_db()
    assert invitation.accepted_by is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_six_simultaneous_submits_of_the_accept_form_log_in_one_colleague_and_show_the_others_the_gone_page():
    inviter = factories.SmeMemberFactory(username="sme_owner")
    invitation = factories.InvitationFactory(invited_by=inviter)
    url = f"/accounts/invitation/{invitation.token}/"

    def submit(n):
        data = {
            "first_name": "Seo-yeon",
            "last_name": "Choi",
            "email": "seoyeon@seoul-traffic.example",
            "username": f"colleague{n}",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "consent-processing": "on",
            "consent-transfer": "on",
            "consent-law": "pipa",
        }
        try:
            response = Client().post(url, data)
        except Exception as error:  # noqa: BLE001 (a 500 raises in the test client)
            return f"error: {error!r}", ""
        return response.status_code, response.content.decode()

    results = at_once(submit, list(range(6)))

    statuses = [status for status, _ in results]
    assert sorted(statuses, key=str) == [302, 410, 410, 410, 410, 410]
    assert all(USED in content for status, content in results if status == 410)
    assert User.objects.exclude(pk=inviter.pk).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_colleagues_choosing_one_username_at_once_get_one_account_and_a_username_error(monkeypatch):
    """Two invitations from two members, one username: both pass the checks before either inserts (held by
    a barrier). (Invitations of one inviter wait for each other on the inviter's lock.)"""
    company = factories.CompanyFactory(name_en="Seoul Traffic Systems")
    inviters = [factories.SmeMemberFactory(username=name, company=company) for name in ("minji", "junho")]
    invitations = [factories.InvitationFactory(invited_by=inviter) for inviter in inviters]
    arrived = threading.Barrier(2)
    save = User.save

    def save_once_both_checked(self, *args, **kwargs):
        if self._state.adding:
            arrived.wait(timeout=30)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(User, "save", save_once_both_checked)

    def attempt(invitation):
        try:
            services.invitation_accept(invitation=invitation, account=account(1), consents=REQUIRED_KINDS)
        except ValidationError as error:
            return error.message_dict
        except Exception as error:  # noqa: BLE001 (any other error is what the test must catch)
            return f"error: {error!r}"
        return "accepted"

    outcomes = at_once(attempt, invitations)

    assert sorted(outcomes, key=str) == [
        "accepted",
        {"username": ["A user with that username already exists."]},
    ]
    assert User.objects.filter(username="colleague1").count() == 1
    # The refused colleague's invitation is still theirs to use, with another username.
    winner = User.objects.get(username="colleague1")
    used = Invitation.objects.filter(pk__in=[invitation.pk for invitation in invitations])
    assert sorted(used.values_list("accepted_by", flat=True), key=lambda pk: pk or 0) == [None, winner.pk]
