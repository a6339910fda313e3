"""Staff book, move and cancel meetings by hand: the services behind the grid and the grid's pages.

A refusal carries the rule's or the database constraint's own message and saves nothing; every booking,
move and cancellation reaches both sides (and the interpreter) by e-mail, with the meeting's .ics whose
SEQUENCE grows with each revision. The roadshow is the Bangkok centre's: slots at 09:30 and 10:00 Bangkok
time (UTC+7) on 6 October 2031 and one at 09:30 on 7 October, tables T07 and T08.
"""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from matching.consultations.booking import services
from matching.consultations.booking.models import Meeting, MeetingRequest
from matching.consultations.events.models import Registration
from tests import factories
from tests.consultations.conftest import JISOO, PAIR, PARTIES, SOYEON, book, by_recipient, calendar_of, utc
from tests.consultations.test_agendas import EVENT, INTERPRETER, VENUE


def assert_booking_refused(roadshow, messages, meetings, **booking):
    """book() (with the first pair at 09:30 at T07 unless told otherwise) is refused with exactly
    `messages`, and `meetings` meetings stay in the database."""
    with pytest.raises(ValidationError) as refused:
        book(roadshow, **booking)

    assert refused.value.messages == messages
    assert Meeting.objects.count() == meetings


def book_online(roadshow):
    """meeting_book with the first pair at 09:30, online, with no table."""
    return services.meeting_book(
        slot=roadshow.slot_0930,
        sme=roadshow.sme,
        buyer=roadshow.buyer,
        booked_by=None,
        mode=Meeting.Mode.ONLINE,
        online_link="https://meet.example.com/room-1",
    )


# ================================================================ meeting_book
def test_a_booking_is_saved_scheduled_and_locked_and_accepts_its_request(roadshow):
    request = factories.MeetingRequestFactory(event=roadshow.event, sme=roadshow.sme, buyer=roadshow.buyer)

    meeting = book(roadshow, interpreter=roadshow.soyeon, request=request, locked=True)

    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table, meeting.interpreter) == (
        roadshow.slot_0930,
        roadshow.t07,
        roadshow.soyeon,
    )
    assert (meeting.status, meeting.locked, meeting.sequence) == (Meeting.Status.SCHEDULED, True, 0)
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.ACCEPTED
    assert meeting.request == request


def test_a_booking_is_unlocked_unless_asked(roadshow):
    meeting = book(roadshow)

    meeting.refresh_from_db()
    assert meeting.locked is False


def test_a_booking_emails_both_sides_and_the_interpreter_a_calendar_request_after_commit(
    roadshow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        meeting = book(roadshow, interpreter=roadshow.soyeon)
        assert mail.outbox == []  # nothing leaves before the booking is committed

    assert len(callbacks) == 1
    messages = by_recipient()
    assert sorted(messages) == [*PARTIES, SOYEON]
    assert {message.subject for message in mail.outbox} == {
        f"Meeting booked at {EVENT}: {PAIR}, Oct. 6, 2031"
    }
    calendar, vevent = calendar_of(messages["sme_owner@example.com"])
    assert (calendar["METHOD"], vevent["STATUS"], vevent["SEQUENCE"]) == ("REQUEST", "CONFIRMED", 0)
    assert vevent["UID"] == f"meeting-{meeting.pk}@k-smartcity.example"
    assert vevent.start.astimezone(dt.UTC) == utc(6, 2, 30)
    assert str(vevent["LOCATION"]) == f"Table T07, {VENUE}, Bangkok"


def test_a_pending_registration_cannot_be_booked(roadshow):
    Registration.objects.filter(pk=roadshow.sme.pk).update(status=Registration.Status.PENDING)
    roadshow.sme.refresh_from_db()

    assert_booking_refused(roadshow, ["Seoul Traffic Systems's registration is not confirmed."], 0)


def test_a_participant_cannot_be_booked_into_a_slot_they_cannot_attend(roadshow):
    roadshow.buyer.unavailable_slots.add(roadshow.slot_0930)

    assert_booking_refused(roadshow, ["Khon Kaen City Municipality cannot attend in this slot."], 0)


def test_a_participant_with_the_maximum_number_of_meetings_cannot_be_booked_again(roadshow):
    Registration.objects.filter(pk=roadshow.sme.pk).update(max_meetings=1)
    roadshow.sme.refresh_from_db()
    book(roadshow, buyer=roadshow.buyer2, slot=roadshow.slot_1000)

    assert_booking_refused(roadshow, ["Seoul Traffic Systems already has the maximum number of meetings."], 1)


def test_a_cancelled_meeting_does_not_count_towards_the_maximum(roadshow):
    Registration.objects.filter(pk=roadshow.sme.pk).update(max_meetings=1)
    roadshow.sme.refresh_from_db()
    services.meeting_cancel(meeting=book(roadshow, buyer=roadshow.buyer2), cancelled_by=None)

    meeting = book(roadshow, slot=roadshow.slot_1000)

    assert Meeting.objects.exclude(status=Meeting.Status.CANCELLED).get() == meeting


def test_an_interpreter_cannot_be_booked_into_a_slot_they_do_not_interpret(roadshow):
    roadshow.soyeon.unavailable_slots.add(roadshow.slot_0930)

    assert_booking_refused(
        roadshow, [f"{INTERPRETER} does not interpret in this slot."], 0, interpreter=roadshow.soyeon
    )


def test_an_online_meeting_is_refused_at_an_event_without_online_meetings(roadshow):
    with pytest.raises(ValidationError) as refused:
        book_online(roadshow)

    assert refused.value.messages == ["This event has no online meetings."]
    assert Meeting.objects.count() == 0


def test_an_online_meeting_is_booked_without_a_table_where_the_event_allows_it(roadshow):
    roadshow.event.online_meetings_allowed = True
    roadshow.event.save(update_fields=["online_meetings_allowed"])
    roadshow.slot_0930.event.refresh_from_db()

    meeting = book_online(roadshow)

    meeting.refresh_from_db()
    assert (meeting.mode, meeting.table, meeting.online_link) == (
        Meeting.Mode.ONLINE,
        None,
        "https://meet.example.com/room-1",
    )


def test_every_rule_that_stops_a_booking_is_named_at_once(roadshow):
    Registration.objects.filter(pk=roadshow.sme.pk).update(status=Registration.Status.PENDING)
    roadshow.sme.refresh_from_db()
    roadshow.buyer.unavailable_slots.add(roadshow.slot_0930)

    with pytest.raises(ValidationError) as refused:
        book(roadshow)

    assert refused.value.messages == [
        "Seoul Traffic Systems's registration is not confirmed.",
        "Khon Kaen City Municipality cannot attend in this slot.",
    ]


# The first pair is booked at 09:30 at T07 with Kim Soyeon; each case tries one more booking.
TAKEN = {
    "table": (
        dict(sme="sme2", buyer="buyer2", slot="slot_0930", table="t07"),
        "This table is already taken in this slot.",
    ),
    "company": (
        dict(sme="sme", buyer="buyer2", slot="slot_0930", table="t08"),
        "This company already has a meeting in this slot.",
    ),
    "buyer": (
        dict(sme="sme2", buyer="buyer", slot="slot_0930", table="t08"),
        "This buyer already has a meeting in this slot.",
    ),
    "interpreter": (
        dict(sme="sme2", buyer="buyer2", slot="slot_0930", table="t08", interpreter="soyeon"),
        "This interpreter is already busy in this slot.",
    ),
    "pair": (
        dict(sme="sme", buyer="buyer", slot="slot_1000", table="t08"),
        "These two already have a meeting.",
    ),
}


@pytest.mark.parametrize("taken", list(TAKEN))
def test_a_booking_of_what_is_already_taken_gets_the_constraints_own_message(
    roadshow, booked, taken, django_capture_on_commit_callbacks
):
    names, message = TAKEN[taken]
    chosen = {key: getattr(roadshow, name) for key, name in names.items()}

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as refused:
        book(roadshow, **chosen)

    assert refused.value.messages == [message]
    assert list(Meeting.objects.all()) == [booked]
    assert mail.outbox == []


def test_a_booking_marks_its_accepted_request_without_touching_it_again(roadshow):
    request = factories.MeetingRequestFactory(
        event=roadshow.event,
        sme=roadshow.sme,
        buyer=roadshow.buyer,
        status=MeetingRequest.Status.ACCEPTED,
    )

    meeting = book(roadshow, request=request)

    request.refresh_from_db()
    assert (request.status, request.meeting) == (MeetingRequest.Status.ACCEPTED, meeting)


# ================================================================ meeting_change
def test_moving_a_meeting_to_a_free_slot_and_table_saves_it_and_raises_its_sequence(roadshow, booked):
    services.meeting_change(meeting=booked, changed_by=None, slot=roadshow.slot_1000, table=roadshow.t08)

    booked.refresh_from_db()
    assert (booked.slot, booked.table, booked.interpreter) == (
        roadshow.slot_1000,
        roadshow.t08,
        roadshow.soyeon,
    )
    assert (booked.status, booked.sequence) == (Meeting.Status.SCHEDULED, 1)


def test_each_move_raises_the_sequence_once_more(roadshow, booked):
    services.meeting_change(meeting=booked, changed_by=None, slot=roadshow.slot_1000)
    services.meeting_change(meeting=booked, changed_by=None, table=roadshow.t08)

    booked.refresh_from_db()
    assert booked.sequence == 2


def test_a_move_emails_both_sides_and_the_interpreter_the_new_calendar_entry(
    roadshow, booked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_change(meeting=booked, changed_by=None, slot=roadshow.slot_1000, table=roadshow.t08)

    messages = by_recipient()
    assert sorted(messages) == [*PARTIES, SOYEON]
    assert {message.subject for message in mail.outbox} == {
        f"Meeting changed at {EVENT}: {PAIR}, Oct. 6, 2031"
    }
    for message in mail.outbox:
        calendar, vevent = calendar_of(message)
        assert (calendar["METHOD"], vevent["STATUS"], vevent["SEQUENCE"]) == ("REQUEST", "CONFIRMED", 1)
        assert vevent["UID"] == f"meeting-{booked.pk}@k-smartcity.example"
        assert vevent.start.astimezone(dt.UTC) == utc(6, 3)
        assert str(vevent["LOCATION"]) == f"Table T08, {VENUE}, Bangkok"


def test_locking_a_meeting_alone_sends_no_email_and_keeps_its_sequence(
    booked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.meeting_change(meeting=booked, changed_by=None, locked=True)

    booked.refresh_from_db()
    assert (booked.locked, booked.sequence) == (True, 0)
    assert callbacks == []
    assert mail.outbox == []


def test_a_change_to_what_the_meeting_already_is_saves_nothing_and_sends_nothing(
    roadshow, booked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_change(meeting=booked, changed_by=None, slot=roadshow.slot_0930, table=roadshow.t07)

    booked.refresh_from_db()
    assert booked.sequence == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("other", "move_to", "message"),
    [
        (
            dict(sme="sme2", buyer="buyer2", slot="slot_1000", table="t08"),
            dict(slot="slot_1000", table="t08"),
            "This table is already taken in this slot.",
        ),
        (
            dict(sme="sme2", buyer="buyer2", slot="slot_0930", table="t08"),
            dict(table="t08"),
            "This table is already taken in this slot.",
        ),
        (
            dict(sme="sme2", buyer="buyer", slot="slot_1000", table="t08"),
            dict(slot="slot_1000"),
            "This buyer already has a meeting in this slot.",
        ),
        (
            dict(sme="sme2", buyer="buyer2", slot="slot_1000", table="t08", interpreter="soyeon"),
            dict(slot="slot_1000"),
            "This interpreter is already busy in this slot.",
        ),
    ],
    ids=["table-in-another-slot", "table-in-its-slot", "buyer-busy", "interpreter-busy"],
)
def test_moving_onto_what_is_taken_is_refused_with_the_constraints_message_and_nothing_saved(
    roadshow, booked, other, move_to, message, django_capture_on_commit_callbacks
):
    factories.MeetingFactory(**{key: getattr(roadshow, name) for key, name in other.items()})

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as refused:
        services.meeting_change(
            meeting=booked,
            changed_by=None,
            **{key: getattr(roadshow, name) for key, name in move_to.items()},
        )

    assert refused.value.messages == [message]
    saved = Meeting.objects.get(pk=booked.pk)
    assert (saved.slot, saved.table, saved.sequence) == (roadshow.slot_0930, roadshow.t07, 0)
    assert mail.outbox == []


def test_moving_into_a_slot_the_interpreter_does_not_interpret_is_refused(roadshow, booked):
    roadshow.soyeon.unavailable_slots.add(roadshow.slot_1000)

    with pytest.raises(ValidationError) as refused:
        services.meeting_change(meeting=booked, changed_by=None, slot=roadshow.slot_1000)

    assert refused.value.messages == [f"{INTERPRETER} does not interpret in this slot."]
    assert Meeting.objects.get(pk=booked.pk).slot == roadshow.slot_0930


def test_changing_the_interpreter_sends_the_former_one_a_cancellation_and_the_new_one_a_request(
    roadshow, booked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_change(meeting=booked, changed_by=None, interpreter=roadshow.jisoo)

    booked.refresh_from_db()
    assert (booked.interpreter, booked.sequence) == (roadshow.jisoo, 1)
    messages = by_recipient()
    assert sorted(messages) == sorted([*PARTIES, JISOO, SOYEON])
    released = messages[SOYEON]
    assert released.subject == f"You no longer interpret at {EVENT}: {PAIR}"
    calendar, vevent = calendar_of(released)
    assert (calendar["METHOD"], vevent["STATUS"], vevent["SEQUENCE"]) == ("CANCEL", "CANCELLED", 1)
    calendar, vevent = calendar_of(messages[JISOO])
    assert (calendar["METHOD"], vevent["STATUS"], vevent["SEQUENCE"]) == ("REQUEST", "CONFIRMED", 1)
    assert messages[JISOO].subject == f"Meeting changed at {EVENT}: {PAIR}, Oct. 6, 2031"


def test_taking_the_interpreter_off_a_meeting_tells_them_and_both_sides(
    booked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_change(meeting=booked, changed_by=None, interpreter=None)

    messages = by_recipient()
    assert sorted(messages) == [*PARTIES, SOYEON]
    assert calendar_of(messages[SOYEON])[0]["METHOD"] == "CANCEL"
    assert calendar_of(messages["buyer@example.com"])[0]["METHOD"] == "REQUEST"


@pytest.mark.parametrize("status", [Meeting.Status.HELD, Meeting.Status.NO_SHOW, Meeting.Status.CANCELLED])
def test_only_a_scheduled_meeting_can_be_changed(roadshow, booked, status):
    Meeting.objects.filter(pk=booked.pk).update(status=status)
    booked.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        services.meeting_change(meeting=booked, changed_by=None, slot=roadshow.slot_1000)

    assert refused.value.messages == ["Only a scheduled meeting can be changed."]
    assert Meeting.objects.get(pk=booked.pk).slot == roadshow.slot_0930


def test_a_meetings_parties_and_status_are_not_changed_by_a_move(booked):
    with pytest.raises(TypeError, match=r"cannot change \['buyer', 'status'\]"):
        services.meeting_change(meeting=booked, changed_by=None, status="held", buyer=None)


# ================================================================ meeting_cancel
def test_cancelling_clears_the_lock_raises_the_sequence_and_cancels_its_request(roadshow):
    request = factories.MeetingRequestFactory(event=roadshow.event, sme=roadshow.sme, buyer=roadshow.buyer)
    meeting = book(roadshow, request=request, locked=True)

    services.meeting_cancel(meeting=meeting, cancelled_by=None)

    meeting.refresh_from_db()
    assert (meeting.status, meeting.locked, meeting.sequence) == (Meeting.Status.CANCELLED, False, 1)
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.CANCELLED


def test_a_cancelled_meetings_slot_table_and_interpreter_can_be_booked_again(roadshow, booked):
    services.meeting_cancel(meeting=booked, cancelled_by=None)

    again = book(roadshow, sme=roadshow.sme2, buyer=roadshow.buyer2, interpreter=roadshow.soyeon)
    same_pair = book(roadshow, slot=roadshow.slot_1000)

    assert (again.slot, again.table, again.interpreter) == (roadshow.slot_0930, roadshow.t07, roadshow.soyeon)
    assert (same_pair.sme, same_pair.buyer) == (roadshow.sme, roadshow.buyer)


def test_a_cancellation_emails_everyone_a_calendar_cancel(booked, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=booked, cancelled_by=None)

    messages = by_recipient()
    assert sorted(messages) == [*PARTIES, SOYEON]
    assert {message.subject for message in mail.outbox} == {
        f"Meeting cancelled at {EVENT}: {PAIR}, Oct. 6, 2031"
    }
    for message in mail.outbox:
        part = message.attachments[0]
        calendar, vevent = calendar_of(message)
        assert (part.get_param("method"), calendar["METHOD"]) == ("CANCEL", "CANCEL")
        assert (vevent["STATUS"], vevent["SEQUENCE"]) == ("CANCELLED", 1)
        assert vevent["UID"] == f"meeting-{booked.pk}@k-smartcity.example"


def test_a_cancelled_meeting_cannot_be_cancelled_again(booked, django_capture_on_commit_callbacks):
    services.meeting_cancel(meeting=booked, cancelled_by=None)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as refused:
        services.meeting_cancel(meeting=booked, cancelled_by=None)

    assert refused.value.messages == ["Only a scheduled meeting can be cancelled."]
    assert Meeting.objects.get(pk=booked.pk).sequence == 1
    assert mail.outbox == []
