"""Sign-up under concurrency, on PostgreSQL: parallel sign-ups that clash are refused with the form's
own message, never a database error (a 500).

Each attempt runs in its own thread and database connection, released together by a barrier. A second
barrier holds every attempt's INSERT of the raced row until all attempts have passed the service's own
checks: the interleaving a busy server produces by chance, made certain. Only the database's unique
constraint can then stop them, and the service must turn its refusal into the form's message.
"""

import threading

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.test import Client, override_settings

from matching.companies.models import Company
from matching.demands.models import BuyerOrganisation
from portal.accounts import services
from portal.accounts.models import User
from portal.privacy.models import REQUIRED_KINDS
from tests import factories
from tests.accounts.test_signup import sme_data
from tests.races import at_once

ATTEMPTS = 10
PASSWORD = "Khon-Kaen-floods-2024"
TAKEN_USERNAME = "A user with that username already exists."
TAKEN_BRN = "Korean company with this Business registration number already exists."
TAKEN_BUYER = "Buyer organisation with this City and Name (English) already exists."


def account(username):
    return {
        "username": username,
        "email": "jiwoo.park@hanbit.example",
        "password": PASSWORD,
        "first_name": "Ji-woo",
        "last_name": "Park",
    }


def company_fields(n):
    return {
        "name_ko": f"한빛신호제어 {n}",
        "name_en": f"Hanbit Signal Control {n}",
        "business_registration_number": factories.valid_brn(424_000 + n),
        "website": "https://hanbit.example",
    }


@pytest.fixture
def inserts_held_until_all_checked(monkeypatch):
    """Hold each new row of `model` at its INSERT until every attempt got there (past the checks)."""

    def hold(model):
        arrived = threading.Barrier(ATTEMPTS)
        save = model.save

        def save_once_all_checked(self, *args, **kwargs):
            if self._state.adding:
                arrived.wait(timeout=30)
            return save(self, *args, **kwargs)

        monkeypatch.setattr(model, "save", save_once_all_checked)

    return hold


def _race(signup, looked_free):
    """Run signup(n) for every attempt at once; what each returned or raised, and whether it looked free."""

    def attempt(n):
        free = looked_free(n)
        try:
            signup(n)
        except ValidationError as error:
            return free, error.message_dict
        except Exception as error:  # noqa: BLE001 (any other error is what the test must catch)
            return free, f"error: {error!r}"
        return free, "created"

    results = at_once(attempt, list(range(ATTEMPTS)))
    return [free for free, _ in results], [outcome for _, outcome in results]


def assert_one_created_and_the_others_refused(outcomes, refusal):
    """Of the ATTEMPTS racing sign-ups one succeeded, and every other was refused with `refusal`."""
    assert outcomes.count("created") == 1
    assert [outcome for outcome in outcomes if outcome != "created"] == [refusal] * (ATTEMPTS - 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_sign_ups_with_one_username_create_one_account_and_refuse_the_others_by_username(
    inserts_held_until_all_checked,
):
    inserts_held_until_all_checked(User)
    saw_free, outcomes = _race(
        lambda n: services.sme_signup(
            account=account("jiwoo"), company_fields=company_fields(n), consents=REQUIRED_KINDS
        ),
        lambda n: not User.objects.filter(username="jiwoo").exists(),
    )

    assert connection.vendor == "postgresql"
    assert_one_created_and_the_others_refused(outcomes, {"username": [TAKEN_USERNAME]})
    assert User.objects.filter(username="jiwoo").count() == 1
    # The refused sign-ups left no company behind.
    assert Company.objects.count() == 1
    assert saw_free.count(True) > 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_sign_ups_of_one_company_create_one_and_refuse_the_others_by_registration_number(
    inserts_held_until_all_checked,
):
    inserts_held_until_all_checked(Company)
    saw_free, outcomes = _race(
        lambda n: services.sme_signup(
            account=account(f"member{n}"), company_fields=company_fields(0), consents=REQUIRED_KINDS
        ),
        lambda n: not Company.objects.exists(),
    )

    assert_one_created_and_the_others_refused(outcomes, {"business_registration_number": [TAKEN_BRN]})
    assert Company.objects.count() == 1
    assert User.objects.count() == 1
    assert saw_free.count(True) > 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_sign_ups_of_one_buyer_in_one_city_create_one_and_refuse_the_others_by_name(
    inserts_held_until_all_checked,
):
    inserts_held_until_all_checked(BuyerOrganisation)
    city = factories.CityFactory(name_en="Udon Thani", time_zone="Asia/Bangkok")
    buyer_fields = {
        "name": "Udon Thani City Municipality",
        "name_local": "",
        "kind": BuyerOrganisation.Kind.CITY_GOVERNMENT,
        "city": city,
        "website": "",
    }

    saw_free, outcomes = _race(
        lambda n: services.buyer_signup(
            account=account(f"somchai{n}"), buyer_fields=buyer_fields, consents=REQUIRED_KINDS
        ),
        lambda n: not BuyerOrganisation.objects.exists(),
    )

    assert_one_created_and_the_others_refused(outcomes, {NON_FIELD_ERRORS: [TAKEN_BUYER]})
    assert BuyerOrganisation.objects.count() == 1
    assert User.objects.count() == 1
    assert saw_free.count(True) > 1


# Rate limits are tested on their own (test_rate_limits.py); here the same person submits ten times.
@override_settings(RATELIMIT_ENABLE=False)
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sign_up_submitted_ten_times_at_once_creates_one_account_and_shows_the_others_the_form_again():
    data = sme_data()  # Hanbit Signal Control, the sign-up tests' company

    def submit(client):
        try:
            response = client.post("/accounts/signup/", data)
        except Exception as error:  # noqa: BLE001 (a 500 raises in the test client)
            return f"error: {error!r}", None
        if response.status_code != 200:
            return response.status_code, None
        context = response.context
        errors = (context["account_form"].errors, context["company_form"].errors)
        return 200, (errors, 'name="company-name_en" value="Hanbit Signal Control"' in response.text)

    results = at_once(submit, [Client() for _ in range(ATTEMPTS)])

    statuses = [status for status, _ in results]
    assert statuses.count(302) == 1
    assert statuses.count(200) == ATTEMPTS - 1
    # Each loser hears of the clash from the form's checks or from the service's refusal. Only a form
    # that checked the username just before the winner committed and the number just after names one.
    both = ({"username": [TAKEN_USERNAME]}, {"business_registration_number": [TAKEN_BRN]})
    number_only = ({}, {"business_registration_number": [TAKEN_BRN]})
    for _, (errors, kept) in (result for result in results if result[0] == 200):
        assert errors in (both, number_only)
        assert kept
    assert User.objects.count() == 1
    assert Company.objects.count() == 1
