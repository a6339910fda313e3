"""Participants ask KOTRA to reschedule or cancel a booked roadshow meeting; staff approve or refuse it:
the services (matching.consultations.booking.change_requests) and their e-mails. The pages are in
test_change_request_pages.py, attacks in test_change_request_attacks.py, races in
test_change_request_races.py."""

from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from matching.consultations.booking import change_requests, services
from matching.consultations.booking.models import MeetingChangeRequest
from tests import factories
from tests.consultations.conftest import by_recipient

pytestmark = pytest.mark.django_db

PAIR = "Seoul Traffic Systems and Khon Kaen City Municipality"


@pytest.fixture
def meeting(booked):
    """The first pair's meeting at 09:30 at T07 (the booking tests' `booked`)."""
    return booked


def ask_url(meeting):
    return reverse("consultations:meeting_change_ask", args=[meeting.pk])


def answer_url(event_pk, change_request_pk):
    return reverse("consultations:meeting_change_answer", args=[event_pk, change_request_pk])


def withdraw_url(change_request):
    return reverse("consultations:meeting_change_withdraw", args=[change_request.pk])


def ask(meeting, user, *, kind="reschedule", reason="clash", note="", preferred_time=""):
    return change_requests.meeting_change_request_create(
        meeting=meeting, asked_by=user, kind=kind, reason=reason, note=note, preferred_time=preferred_time
    )


# ---------------------------------------------------------------- asking
def test_a_company_member_asks_for_another_time_and_the_buyer_and_the_centre_are_told(
    meeting, sme_owner, buyer, centre_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asked = ask(
            meeting, sme_owner, reason="travel", note="Our flight lands at noon.", preferred_time="PM"
        )

    asked.refresh_from_db()
    assert (asked.kind, asked.reason, asked.status, asked.asking_side, asked.asked_by) == (
        "reschedule",
        "travel",
        "pending",
        "sme",
        sme_owner,
    )
    assert (asked.note, asked.preferred_time, asked.answered_at) == ("Our flight lands at noon.", "PM", None)
    assert sorted(by_recipient()) == ["buyer@example.com", "centre_staff@example.com"]
    message = by_recipient()["buyer@example.com"]
    assert message.subject == f"New time asked at Smart City Roadshow Bangkok 2025: {PAIR}, Oct. 6, 2031"
    assert "Seoul Traffic Systems asks KOTRA to move this 1:1 consultation to another time." in message.body
    assert "Reason: Travel plans changed\nOur flight lands at noon.\nWould suit them: PM" in message.body
    assert f"/events/registrations/{meeting.buyer_id}/agenda/" in message.body
    staff_message = by_recipient()["centre_staff@example.com"]
    assert "Approve or refuse it on the event's page:" in staff_message.body
    assert f"/events/{meeting.slot.event_id}/" in staff_message.body
    # The meeting itself is untouched until staff answer.
    meeting.refresh_from_db()
    assert (meeting.status, meeting.slot_id, meeting.sequence) == ("scheduled", meeting.slot_id, 0)


def test_a_buyer_member_asks_to_cancel_without_a_preferred_time(meeting, buyer):
    asked = ask(meeting, buyer, kind="cancel", reason="not_relevant", preferred_time="Tuesday")

    assert (asked.kind, asked.asking_side, asked.preferred_time) == ("cancel", "buyer", "")


def test_another_reason_needs_a_note(meeting, sme_owner):
    with pytest.raises(ValidationError) as refused:
        ask(meeting, sme_owner, reason="other", note="   ")

    assert refused.value.message_dict == {"note": ["Say in a few words why."]}
    assert MeetingChangeRequest.objects.count() == 0


def test_a_second_request_while_one_waits_is_refused_with_a_clear_message(meeting, sme_owner, buyer):
    ask(meeting, sme_owner)

    with pytest.raises(ValidationError) as refused:
        ask(meeting, buyer, kind="cancel")

    assert refused.value.messages == ["A change of this meeting is already waiting for KOTRA's answer."]
    assert MeetingChangeRequest.objects.count() == 1


def test_after_a_withdrawal_the_meeting_can_be_asked_to_change_again(meeting, sme_owner):
    first = ask(meeting, sme_owner)
    change_requests.meeting_change_request_withdraw(change_request=first, withdrawn_by=sme_owner)

    second = ask(meeting, sme_owner, kind="cancel")

    assert list(MeetingChangeRequest.objects.order_by("pk").values_list("status", flat=True)) == [
        "withdrawn",
        "pending",
    ]
    assert second.is_pending


def test_a_meeting_that_has_started_cannot_be_asked_to_change(meeting, sme_owner):
    with mock.patch("django.utils.timezone.now", return_value=meeting.slot.starts_at):
        with pytest.raises(ValidationError) as refused:
            ask(meeting, sme_owner)

    assert refused.value.messages == ["This meeting has already started: it can no longer be changed."]


# ---------------------------------------------------------------- withdrawing
def test_the_asker_withdraws_and_the_other_side_and_the_centre_are_told(
    meeting, sme_owner, buyer, centre_staff, django_capture_on_commit_callbacks
):
    asked = ask(meeting, sme_owner)

    with django_capture_on_commit_callbacks(execute=True):
        change_requests.meeting_change_request_withdraw(change_request=asked, withdrawn_by=sme_owner)

    asked.refresh_from_db()
    assert asked.status == "withdrawn"
    assert asked.answered_at is not None
    assert sorted(by_recipient()) == ["buyer@example.com", "centre_staff@example.com"]
    assert (
        "Seoul Traffic Systems has withdrawn its request to change this 1:1 consultation: it stays as booked."
        in by_recipient()["buyer@example.com"].body
    )


def test_the_other_side_cannot_withdraw_the_request(meeting, sme_owner, buyer):
    asked = ask(meeting, sme_owner)

    with pytest.raises(ValidationError) as refused:
        change_requests.meeting_change_request_withdraw(change_request=asked, withdrawn_by=buyer)

    assert refused.value.messages == ["Only the side that asked can withdraw the request."]
    asked.refresh_from_db()
    assert asked.status == "pending"


def test_withdrawing_twice_says_it_is_withdrawn(meeting, sme_owner):
    asked = ask(meeting, sme_owner)
    change_requests.meeting_change_request_withdraw(change_request=asked, withdrawn_by=sme_owner)

    with pytest.raises(ValidationError) as refused:
        change_requests.meeting_change_request_withdraw(change_request=asked, withdrawn_by=sme_owner)

    assert refused.value.messages == ["This request was withdrawn."]


# ---------------------------------------------------------------- answering
def test_approving_a_new_time_moves_and_locks_the_meeting_and_both_sides_hear_of_it(
    roadshow, meeting, sme_owner, buyer, centre_staff, django_capture_on_commit_callbacks
):
    asked = ask(meeting, sme_owner)

    with django_capture_on_commit_callbacks(execute=True):
        change_requests.meeting_change_request_answer(
            change_request=asked,
            answered_by=centre_staff,
            approve=True,
            note="Moved to the afternoon as you asked.",
            slot=roadshow.slot_day2,
            table=roadshow.t08,
        )

    asked.refresh_from_db()
    meeting.refresh_from_db()
    assert (asked.status, asked.answered_by, asked.answer_note) == (
        "approved",
        centre_staff,
        "Moved to the afternoon as you asked.",
    )
    assert (meeting.slot, meeting.table, meeting.locked, meeting.sequence, meeting.status) == (
        roadshow.slot_day2,
        roadshow.t08,
        True,
        1,
        "scheduled",
    )
    subjects = sorted((message.to[0], message.subject.split(" at ")[0]) for message in mail.outbox)
    assert subjects == [
        ("buyer@example.com", "Change request approved"),
        ("buyer@example.com", "Meeting changed"),
        ("sme_owner@example.com", "Change request approved"),
        ("sme_owner@example.com", "Meeting changed"),
        ("soyeon@interpret.example", "Meeting changed"),
    ]
    approved = next(m for m in mail.outbox if m.subject.startswith("Change request approved"))
    assert "KOTRA's note: Moved to the afternoon as you asked." in approved.body
    assert "Table: T08" in approved.body


def test_approving_a_new_time_without_a_table_keeps_the_table(roadshow, meeting, sme_owner, centre_staff):
    asked = ask(meeting, sme_owner)

    change_requests.meeting_change_request_answer(
        change_request=asked, answered_by=centre_staff, approve=True, slot=roadshow.slot_1000
    )

    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table) == (roadshow.slot_1000, roadshow.t07)


def test_approving_a_new_time_into_a_taken_slot_changes_nothing(roadshow, meeting, sme_owner, centre_staff):
    factories.MeetingFactory(
        slot=roadshow.slot_1000, sme=roadshow.sme, buyer=roadshow.buyer2, table=roadshow.t08
    )
    asked = ask(meeting, sme_owner)

    with pytest.raises(ValidationError) as refused:
        change_requests.meeting_change_request_answer(
            change_request=asked, answered_by=centre_staff, approve=True, slot=roadshow.slot_1000
        )

    assert refused.value.messages == ["This company already has a meeting in this slot."]
    asked.refresh_from_db()
    meeting.refresh_from_db()
    assert (asked.status, meeting.slot) == ("pending", roadshow.slot_0930)


def test_approving_a_new_time_needs_a_slot(meeting, sme_owner, centre_staff):
    asked = ask(meeting, sme_owner)

    with pytest.raises(ValidationError) as refused:
        change_requests.meeting_change_request_answer(
            change_request=asked, answered_by=centre_staff, approve=True
        )

    assert refused.value.message_dict == {"slot": ["Choose the meeting's new slot."]}


def test_approving_a_cancellation_cancels_the_meeting_with_the_reason_for_both_sides(
    meeting, buyer, centre_staff, django_capture_on_commit_callbacks
):
    asked = ask(meeting, buyer, kind="cancel", reason="attendee", note="Our mayor is ill.")

    with django_capture_on_commit_callbacks(execute=True):
        change_requests.meeting_change_request_answer(
            change_request=asked, answered_by=centre_staff, approve=True, note="Get well soon."
        )

    meeting.refresh_from_db()
    asked.refresh_from_db()
    reason = (
        "Khon Kaen City Municipality asked to cancel: The person meeting them cannot come. "
        "Our mayor is ill. Get well soon."
    )
    assert (meeting.status, meeting.cancellation_reason, asked.status) == ("cancelled", reason, "approved")
    cancelled = [m for m in mail.outbox if m.subject.startswith("Meeting cancelled")]
    assert sorted(m.to[0] for m in cancelled) == [
        "buyer@example.com",
        "sme_owner@example.com",
        "soyeon@interpret.example",
    ]
    assert all(f"Reason: {reason}" in m.body for m in cancelled)


def test_refusing_needs_a_note_and_leaves_the_meeting_as_booked(
    meeting, sme_owner, centre_staff, django_capture_on_commit_callbacks
):
    asked = ask(meeting, sme_owner)
    with pytest.raises(ValidationError) as refused:
        change_requests.meeting_change_request_answer(
            change_request=asked, answered_by=centre_staff, approve=False
        )
    assert refused.value.message_dict == {"note": ["Say why you refuse: both sides will read it."]}

    with django_capture_on_commit_callbacks(execute=True):
        change_requests.meeting_change_request_answer(
            change_request=asked, answered_by=centre_staff, approve=False, note="Every other slot is full."
        )

    asked.refresh_from_db()
    meeting.refresh_from_db()
    assert (asked.status, asked.answer_note, meeting.status, meeting.sequence) == (
        "refused",
        "Every other slot is full.",
        "scheduled",
        0,
    )
    assert sorted(by_recipient()) == ["buyer@example.com", "sme_owner@example.com"]
    assert "KOTRA's note: Every other slot is full." in by_recipient()["sme_owner@example.com"].body


def test_answering_twice_says_what_the_first_answer_was(meeting, sme_owner, centre_staff):
    asked = ask(meeting, sme_owner)
    change_requests.meeting_change_request_answer(
        change_request=asked, answered_by=centre_staff, approve=False, note="Full."
    )

    with pytest.raises(ValidationError) as refused:
        change_requests.meeting_change_request_answer(
            change_request=asked, answered_by=centre_staff, approve=False, note="Full."
        )

    assert refused.value.messages == ["This request was already refused."]


def test_staff_cancelling_the_meeting_on_the_grid_closes_its_waiting_cancellation_request(
    meeting, sme_owner, centre_staff
):
    asked = ask(meeting, sme_owner, kind="cancel")

    services.meeting_cancel(meeting=meeting, cancelled_by=centre_staff, reason="Agreed on the phone.")

    asked.refresh_from_db()
    assert (asked.status, asked.answered_by) == ("approved", centre_staff)


def test_a_withdrawn_registration_refuses_the_waiting_new_time(roadshow, meeting, sme_owner, centre_staff):
    asked = ask(meeting, sme_owner)

    services.registration_decide(registration=roadshow.sme, status="withdrawn", decided_by=centre_staff)

    asked.refresh_from_db()
    assert asked.status == "refused"


def test_the_database_keeps_one_waiting_request_per_meeting(meeting, sme_owner):
    ask(meeting, sme_owner)

    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingChangeRequest.objects.create(
            meeting=meeting, kind="cancel", reason="clash", asked_by=sme_owner, asking_side="sme"
        )
