"""Meeting change requests raced by real threads on PostgreSQL (each with its own connection): two staff
members answering at once, a withdrawal racing an approval, six clicks on "send". Whatever the interleaving:
one outcome, the meeting as that outcome left it, a clear message for the others, never an error."""

import pytest

from matching.consultations.booking import change_requests
from matching.consultations.booking.models import Meeting, MeetingChangeRequest
from tests import factories
from tests.consultations.test_change_requests import ask
from tests.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def colleague(bangkok_centre):
    """A second member of the Bangkok centre's staff."""
    return factories.CentreStaffFactory(username="colleague", trade_centre=bangkok_centre)


def test_two_staff_approving_and_refusing_a_cancellation_at_once_give_one_answer(
    booked, sme_owner, centre_staff, colleague
):
    asked = ask(booked, sme_owner, kind="cancel")

    results = race(
        lambda: change_requests.meeting_change_request_answer(
            change_request=asked, answered_by=centre_staff, approve=True
        ),
        lambda: change_requests.meeting_change_request_answer(
            change_request=asked, answered_by=colleague, approve=False, note="Keep it, please."
        ),
    )

    answers = [r for r in results if isinstance(r, MeetingChangeRequest)]
    refusals = [r for r in results if not isinstance(r, MeetingChangeRequest)]
    asked.refresh_from_db()
    booked.refresh_from_db()
    assert len(answers) == 1
    assert refusals in (["This request was already approved."], ["This request was already refused."])
    assert asked.status == answers[0].status
    assert booked.status == ("cancelled" if asked.status == "approved" else "scheduled")
    assert booked.sequence == (1 if asked.status == "approved" else 0)


def test_two_staff_moving_the_meeting_to_two_slots_at_once_move_it_once(
    roadshow, booked, sme_owner, centre_staff, colleague
):
    asked = ask(booked, sme_owner)

    results = race(
        lambda: change_requests.meeting_change_request_answer(
            change_request=asked, answered_by=centre_staff, approve=True, slot=roadshow.slot_1000
        ),
        lambda: change_requests.meeting_change_request_answer(
            change_request=asked, answered_by=colleague, approve=True, slot=roadshow.slot_day2
        ),
    )

    [answer] = [r for r in results if isinstance(r, MeetingChangeRequest)]
    assert [r for r in results if not isinstance(r, MeetingChangeRequest)] == [
        "This request was already approved."
    ]
    booked.refresh_from_db()
    expected = roadshow.slot_1000 if answer.answered_by == centre_staff else roadshow.slot_day2
    assert (booked.slot, booked.sequence, booked.locked) == (expected, 1, True)


def test_a_withdrawal_racing_the_approval_leaves_one_of_them(booked, sme_owner, centre_staff):
    asked = ask(booked, sme_owner, kind="cancel")

    results = race(
        lambda: change_requests.meeting_change_request_answer(
            change_request=asked, answered_by=centre_staff, approve=True
        ),
        lambda: change_requests.meeting_change_request_withdraw(change_request=asked, withdrawn_by=sme_owner),
    )

    asked.refresh_from_db()
    booked.refresh_from_db()
    assert sum(isinstance(r, MeetingChangeRequest) for r in results) == 1
    assert not any(str(r).startswith("error") for r in results)
    if asked.status == "approved":
        assert results[1] == "This request was already approved."
        assert booked.status == Meeting.Status.CANCELLED
    else:
        assert (asked.status, results[0]) == ("withdrawn", "This request was withdrawn.")
        assert booked.status == Meeting.Status.SCHEDULED


def test_six_clicks_on_send_make_one_request(booked, sme_owner, buyer):
    def send(user):
        return lambda: ask(booked, user, kind="cancel")

    results = race(*[send(sme_owner)] * 3, *[send(buyer)] * 3)

    made = [r for r in results if isinstance(r, MeetingChangeRequest)]
    assert len(made) == 1
    assert set(results) - set(made) == {"A change of this meeting is already waiting for KOTRA's answer."}
    assert MeetingChangeRequest.objects.count() == 1
