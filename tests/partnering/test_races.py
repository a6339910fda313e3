"""Partner requests raced by real threads on PostgreSQL (each with its own connection): two members of
the company answering at once, an answer racing the asker's withdrawal, and a double click on "send".
Whatever the interleaving: one answer, one request, one conversation, never an unexpected error."""

import pytest
from django.core.exceptions import ValidationError

from matching.partnering import services
from matching.partnering.models import Conversation, Message, PartnerRequest
from tests import factories
from tests.partnering.factories import PartnerRequestFactory
from tests.races import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(*attempts):
    """Run the callables at once; what each returned, or the message of its refusal."""

    def attempt(call):
        try:
            return call()
        except ValidationError as error:
            return " ".join(error.messages)
        except Exception as error:  # noqa: BLE001 (any other error is what the tests must catch)
            return f"error: {error!r}"

    return at_once(attempt, attempts)


@pytest.fixture
def pair(db):
    company = factories.CompanyFactory(name_en="Race Sensors")
    buyer = factories.BuyerOrganisationFactory(name="Race City")
    members = [factories.SmeMemberFactory(company=company) for _ in range(2)]
    asker = factories.BuyerMemberFactory(buyer_organisation=buyer)
    return company, buyer, members, asker


def test_two_members_accepting_and_declining_at_once_give_one_answer(pair):
    company, buyer, (kim, lee), asker = pair
    asked = PartnerRequestFactory(company=company, buyer=buyer, requested_by=asker)

    results = race(
        lambda: services.partner_request_answer(request=asked, answered_by=kim, accept=True),
        lambda: services.partner_request_answer(
            request=asked, answered_by=lee, accept=False, reason="not_now"
        ),
    )

    asked.refresh_from_db()
    answers = [r for r in results if isinstance(r, PartnerRequest)]
    refusals = [r for r in results if not isinstance(r, PartnerRequest)]
    assert len(answers) == 1
    assert refusals in (["This request is already accepted."], ["This request is already declined."])
    assert asked.status == answers[0].status


def test_an_answer_racing_the_withdrawal_leaves_one_of_them(pair):
    company, buyer, (kim, _lee), asker = pair
    asked = PartnerRequestFactory(company=company, buyer=buyer, requested_by=asker)

    results = race(
        lambda: services.partner_request_answer(request=asked, answered_by=kim, accept=True),
        lambda: services.partner_request_withdraw(request=asked, withdrawn_by=asker),
    )

    asked.refresh_from_db()
    assert sum(isinstance(r, PartnerRequest) for r in results) == 1
    assert asked.status in ("accepted", "withdrawn")
    assert not any(str(r).startswith("error") for r in results)


def test_six_clicks_on_send_make_one_request_one_conversation_and_one_message(pair):
    company, buyer, _members, asker = pair

    def send():
        return services.partner_request_create(
            requested_by=asker, company=company, buyer=buyer, kind="question", message="Tidal canals?"
        )

    results = race(*([send] * 6))

    made = [r for r in results if isinstance(r, PartnerRequest)]
    assert len(made) == 1
    assert set(results) - set(made) == {
        "The same request between your organisations is already waiting for an answer."
    }
    assert PartnerRequest.objects.count() == 1
    assert Conversation.objects.count() == 1
    assert Message.objects.count() == 1
