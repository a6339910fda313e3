"""Partner requests raced by real threads on PostgreSQL (each with its own connection): two members of
the company answering at once, an answer racing the asker's withdrawal, and a double click on "send".
Whatever the interleaving: one answer, one request, one conversation, never an unexpected error."""

import pytest

from matching.partnering import services
from matching.partnering.models import Conversation, Message, PartnerRequest
from tests.partnering.factories import PartnerRequestFactory
from tests.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_members_accepting_and_declining_at_once_give_one_answer(race_pair):
    company, buyer, (kim, lee), asker = race_pair
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


def test_an_answer_racing_the_withdrawal_leaves_one_of_them(race_pair):
    company, buyer, (kim, _lee), asker = race_pair
    asked = PartnerRequestFactory(company=company, buyer=buyer, requested_by=asker)

    results = race(
        lambda: services.partner_request_answer(request=asked, answered_by=kim, accept=True),
        lambda: services.partner_request_withdraw(request=asked, withdrawn_by=asker),
    )

    asked.refresh_from_db()
    assert sum(isinstance(r, PartnerRequest) for r in results) == 1
    assert asked.status in ("accepted", "withdrawn")
    assert not any(str(r).startswith("error") for r in results)


def test_six_clicks_on_send_make_one_request_one_conversation_and_one_message(race_pair):
    company, buyer, _members, asker = race_pair

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
