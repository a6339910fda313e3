"""Staff book, move and cancel meetings by hand: the services behind the grid and the grid's pages.

A refusal carries the rule's or the database constraint's own message and saves nothing; every booking,
move and cancellation reaches both sides (and the interpreter) by e-mail, with the meeting's .ics whose
SEQUENCE grows with each revision. The roadshow is the Bangkok centre's: slots at 09:30 and 10:00 Bangkok
time (UTC+7) on 6 October 2025 and one at 09:30 on 7 October, tables T07 and T08.
"""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from matching.consultations.booking import services
from matching.consultations.booking.models import Meeting, MeetingRequest
from matching.consultations.events.models import Registration
from tests import factories
from tests.consultations.test_agendas import EVENT, INTERPRETER, VENUE, slot_at

SOYEON = "soyeon@interpret.example"
JISOO = "jisoo@interpret.example"
PARTIES = ["buyer@example.com", "sme_owner@example.com"]
PAIR = "Seoul Traffic Systems and Khon Kaen City Municipality"


@pytest.fixture
def roadshow(bangkok_centre, sme_owner, buyer):
    """The Bangkok roadshow with two confirmed SMEs and two confirmed buyers, nobody booked yet.

    Only the first pair has members (sme_owner, buyer), so only they and the interpreters get e-mails.
    """
    event = factories.EventFactory(
        name=EVENT,
        slug="bangkok-2025",
        city=bangkok_centre.city,
        venue=VENUE,
        organising_centre=bangkok_centre,
        start_date=dt.date(2025, 10, 6),
    )
    return SimpleNamespace(
        event=event,
        slot_0930=slot_at(event, 9, 30),
        slot_1000=slot_at(event, 10),
        slot_day2=slot_at(event, 9, 30, day=1),
        t07=factories.TableFactory(event=event, name="T07"),
        t08=factories.TableFactory(event=event, name="T08"),
        soyeon=factories.InterpreterFactory(event=event, name=INTERPRETER, email=SOYEON),
        jisoo=factories.InterpreterFactory(event=event, name="Lee Jisoo", email=JISOO),
        sme=factories.SmeRegistrationFactory(event=event, company=sme_owner.company),
        buyer=factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation),
        sme2=factories.SmeRegistrationFactory(
            event=event, company=factories.CompanyFactory(name_en="Busan Water Tech")
        ),
        buyer2=factories.BuyerRegistrationFactory(
            event=event,
            buyer=factories.BuyerOrganisationFactory(
                name="Chiang Mai Smart City Office", city=bangkok_centre.city
            ),
        ),
    )


@pytest.fixture
def booked(roadshow):
    """The first pair's meeting at 09:30 at T07 with Kim Soyeon, as the services leave a booking."""
    return factories.MeetingFactory(
        slot=roadshow.slot_0930,
        sme=roadshow.sme,
        buyer=roadshow.buyer,
        table=roadshow.t07,
        interpreter=roadshow.soyeon,
    )


def book(roadshow, *, sme=None, buyer=None, slot=None, table=None, **kwargs):
    """meeting_book with the first pair at 09:30 at T07 unless told otherwise."""
    return services.meeting_book(
        slot=slot or roadshow.slot_0930,
        sme=sme or roadshow.sme,
        buyer=buyer or roadshow.buyer,
        table=table or roadshow.t07,
        booked_by=None,
        **kwargs,
    )


def by_recipient():
    assert all(len(message.to) == 1 for message in mail.outbox), "one recipient per message"
    return {message.to[0]: message for message in mail.outbox}


def calendar_of(message):
    [part] = message.attachments
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    [vevent] = calendar.events
    return calendar, vevent


def utc(day, hour, minute=0):
    return dt.datetime(2025, 10, day, hour, minute, tzinfo=dt.UTC)


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
        f"Meeting booked at {EVENT}: {PAIR}, Oct. 6, 2025"
    }
    calendar, vevent = calendar_of(messages["sme_owner@example.com"])
    assert (calendar["METHOD"], vevent["STATUS"], vevent["SEQUENCE"]) == ("REQUEST", "CONFIRMED", 0)
    assert vevent["UID"] == f"meeting-{meeting.pk}@k-smartcity.example"
    assert vevent.start.astimezone(dt.UTC) == utc(6, 2, 30)
    assert str(vevent["LOCATION"]) == f"Table T07, {VENUE}, Bangkok"


def test_a_pending_registration_cannot_be_booked(roadshow):
    Registration.objects.filter(pk=roadshow.sme.pk).update(status=Registration.Status.PENDING)
    roadshow.sme.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        book(roadshow)

    assert refused.value.messages == ["Seoul Traffic Systems's registration is not confirmed."]
    assert Meeting.objects.count() == 0


def test_a_participant_cannot_be_booked_into_a_slot_they_cannot_attend(roadshow):
    roadshow.buyer.unavailable_slots.add(roadshow.slot_0930)

    with pytest.raises(ValidationError) as refused:
        book(roadshow)

    assert refused.value.messages == ["Khon Kaen City Municipality cannot attend in this slot."]
    assert Meeting.objects.count() == 0


def test_a_participant_with_the_maximum_number_of_meetings_cannot_be_booked_again(roadshow):
    Registration.objects.filter(pk=roadshow.sme.pk).update(max_meetings=1)
    roadshow.sme.refresh_from_db()
    book(roadshow, buyer=roadshow.buyer2, slot=roadshow.slot_1000)

    with pytest.raises(ValidationError) as refused:
        book(roadshow)

    assert refused.value.messages == ["Seoul Traffic Systems already has the maximum number of meetings."]
    assert Meeting.objects.count() == 1


def test_a_cancelled_meeting_does_not_count_towards_the_maximum(roadshow):
    Registration.objects.filter(pk=roadshow.sme.pk).update(max_meetings=1)
    roadshow.sme.refresh_from_db()
    services.meeting_cancel(meeting=book(roadshow, buyer=roadshow.buyer2), cancelled_by=None)

    meeting = book(roadshow, slot=roadshow.slot_1000)

    assert Meeting.objects.exclude(status=Meeting.Status.CANCELLED).get() == meeting


def test_an_interpreter_cannot_be_booked_into_a_slot_they_do_not_interpret(roadshow):
    roadshow.soyeon.unavailable_slots.add(roadshow.slot_0930)

    with pytest.raises(ValidationError) as refused:
        book(roadshow, interpreter=roadshow.soyeon)

    assert refused.value.messages == [f"{INTERPRETER} does not interpret in this slot."]
    assert Meeting.objects.count() == 0


def test_an_online_meeting_is_refused_at_an_event_without_online_meetings(roadshow):
    with pytest.raises(ValidationError) as refused:
        services.meeting_book(
            slot=roadshow.slot_0930,
            sme=roadshow.sme,
            buyer=roadshow.buyer,
            booked_by=None,
            mode=Meeting.Mode.ONLINE,
            online_link="https://meet.example.com/room-1",
        )

    assert refused.value.messages == ["This event has no online meetings."]
    assert Meeting.objects.count() == 0


def test_an_online_meeting_is_booked_without_a_table_where_the_event_allows_it(roadshow):
    roadshow.event.online_meetings_allowed = True
    roadshow.event.save(update_fields=["online_meetings_allowed"])
    roadshow.slot_0930.event.refresh_from_db()

    meeting = services.meeting_book(
        slot=roadshow.slot_0930,
        sme=roadshow.sme,
        buyer=roadshow.buyer,
        booked_by=None,
        mode=Meeting.Mode.ONLINE,
        online_link="https://meet.example.com/room-1",
    )

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
        f"Meeting changed at {EVENT}: {PAIR}, Oct. 6, 2025"
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
    assert messages[JISOO].subject == f"Meeting changed at {EVENT}: {PAIR}, Oct. 6, 2025"


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
        f"Meeting cancelled at {EVENT}: {PAIR}, Oct. 6, 2025"
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


# ================================================================ the grid
def grid_url(event, day=None):
    url = reverse("consultations:grid", args=[event.pk])
    return f"{url}?day={day}" if day else url


def grid_rows(response):
    """The grid's body rows, each a list of its cells' whitespace-collapsed text."""
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def grid_columns(response):
    head = response.content.decode().split("<thead", 1)[1].split("</thead>", 1)[0]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)
    ]


def selected(response, name):
    """The label of the selected option of the form's <select name=...>, or None."""
    html = response.content.decode()
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    chosen = re.findall(r"<option[^>]* selected>([^<]*)</option>", select)
    return chosen[0] if chosen else None


FREE = "Book here"


@pytest.fixture
def grid(roadshow, booked):
    """Two meetings on the first day: the locked first pair at 09:30 at T07, the second at 10:00 at T08."""
    Meeting.objects.filter(pk=booked.pk).update(locked=True)
    second = factories.MeetingFactory(
        slot=roadshow.slot_1000, sme=roadshow.sme2, buyer=roadshow.buyer2, table=roadshow.t08
    )
    return SimpleNamespace(first=booked, second=second)


def test_the_grid_shows_each_meeting_in_its_table_column_and_slot_row_in_bangkok_time(
    client, centre_staff, roadshow, grid
):
    client.force_login(centre_staff)

    response = client.get(grid_url(roadshow.event))

    assert response.status_code == 200
    assert grid_columns(response) == ["Slot", "T07", "T08"]
    assert grid_rows(response) == [
        ["09:30–10:00", f"Seoul Traffic Systems Khon Kaen City Municipality {INTERPRETER} locked", FREE],
        ["10:00–10:30", FREE, "Busan Water Tech Chiang Mai Smart City Office"],
    ]
    html = response.content.decode()
    edit = reverse("consultations:meeting_edit", args=[roadshow.event.pk, grid.second.pk])
    assert html.count(f'href="{edit}"') == 1


def test_an_empty_grid_cell_links_to_the_booking_form_for_its_slot_and_table(
    client, centre_staff, roadshow, grid
):
    client.force_login(centre_staff)

    html = client.get(grid_url(roadshow.event)).content.decode()

    new = reverse("consultations:meeting_create", args=[roadshow.event.pk])
    free_links = re.findall(r'class="grid-free[^"]*" href="([^"]*)"', html)
    assert free_links == [
        f"{new}?slot={roadshow.slot_0930.pk}&amp;table={roadshow.t08.pk}",
        f"{new}?slot={roadshow.slot_1000.pk}&amp;table={roadshow.t07.pk}",
    ]


def test_a_cancelled_meeting_leaves_its_grid_cell_free(client, centre_staff, roadshow, grid):
    Meeting.objects.filter(pk=grid.second.pk).update(status=Meeting.Status.CANCELLED)
    client.force_login(centre_staff)

    response = client.get(grid_url(roadshow.event))

    assert grid_rows(response)[1] == ["10:00–10:30", FREE, FREE]


def test_the_grid_shows_the_day_asked_for(client, centre_staff, roadshow, grid):
    factories.MeetingFactory(
        slot=roadshow.slot_day2, sme=roadshow.sme2, buyer=roadshow.buyer, table=roadshow.t07
    )
    client.force_login(centre_staff)

    response = client.get(grid_url(roadshow.event, "2025-10-07"))

    assert response.context["day"] == dt.date(2025, 10, 7)
    assert grid_rows(response) == [["09:30–10:00", "Busan Water Tech Khon Kaen City Municipality", FREE]]
    html = response.content.decode()
    assert 'class="nav-link active" aria-current="page" href="?day=2025-10-07"' in html
    assert 'class="nav-link" href="?day=2025-10-06"' in html


def test_an_early_bangkok_slot_is_on_its_local_day_though_in_utc_it_is_the_day_before(
    client, centre_staff, roadshow, grid
):
    early = slot_at(roadshow.event, 6, 30)
    assert early.starts_at == dt.datetime(2025, 10, 5, 23, 30, tzinfo=dt.UTC)
    client.force_login(centre_staff)

    response = client.get(grid_url(roadshow.event, "2025-10-06"))

    assert response.context["days"] == [dt.date(2025, 10, 6), dt.date(2025, 10, 7)]
    assert [row[0] for row in grid_rows(response)] == ["06:30–07:00", "09:30–10:00", "10:00–10:30"]


@pytest.mark.parametrize("day", ["2025-10-08", "not-a-day", ""])
def test_an_unknown_day_shows_the_first_day_of_the_grid(client, centre_staff, roadshow, grid, day):
    client.force_login(centre_staff)

    response = client.get(grid_url(roadshow.event, day))

    assert response.status_code == 200
    assert response.context["day"] == dt.date(2025, 10, 6)
    assert [row[0] for row in grid_rows(response)] == ["09:30–10:00", "10:00–10:30"]


def test_online_meetings_are_listed_in_their_own_column_where_the_event_allows_them(
    client, centre_staff, roadshow, grid
):
    roadshow.event.online_meetings_allowed = True
    roadshow.event.save(update_fields=["online_meetings_allowed"])
    factories.MeetingFactory(
        slot=roadshow.slot_0930,
        sme=roadshow.sme2,
        buyer=factories.BuyerRegistrationFactory(
            event=roadshow.event, buyer__name="Phuket Smart City Company", buyer__city=roadshow.event.city
        ),
        online=True,
    )
    client.force_login(centre_staff)

    response = client.get(grid_url(roadshow.event))

    assert grid_columns(response) == ["Slot", "T07", "T08", "Online"]
    assert grid_rows(response)[0][3] == "Busan Water Tech Phuket Smart City Company"


def test_the_grid_takes_the_same_number_of_queries_for_1_and_for_30_meetings(
    client, centre_staff, bangkok_centre, django_assert_num_queries
):
    event = factories.EventFactory(organising_centre=bangkok_centre, city=bangkok_centre.city)
    # Explicit times: the factory's own sequence could push some slots onto the next local day.
    slots = [slot_at(event, 9 + n // 2, 30 * (n % 2)) for n in range(6)]
    tables = [factories.TableFactory(event=event, name=f"T{n:02d}") for n in range(5)]
    factories.MeetingFactory(slot=slots[0], table=tables[0], interpreted=True, locked=True)
    client.force_login(centre_staff)
    url = grid_url(event)
    client.get(url)  # the session and the user's first load are not what is measured
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(1, 30):
        factories.MeetingFactory(
            slot=slots[n % 6], table=tables[n // 6], interpreted=n % 2 == 0, locked=n % 3 == 0
        )

    with django_assert_num_queries(len(one)):
        response = client.get(url)

    filled = sum(1 for row in grid_rows(response) for cell in row[1:] if cell != FREE)
    assert filled == 30


# ---------------------------------------------------------------- booking form
def meeting_form(roadshow, **changes):
    data = {
        "sme": roadshow.sme2.pk,
        "buyer": roadshow.buyer2.pk,
        "slot": roadshow.slot_0930.pk,
        "table": roadshow.t07.pk,
        "interpreter": roadshow.jisoo.pk,
        "locked": "on",
    }
    return data | changes


def test_an_empty_cells_link_opens_the_booking_form_with_its_slot_and_table_chosen(
    client, centre_staff, roadshow
):
    client.force_login(centre_staff)
    url = reverse("consultations:meeting_create", args=[roadshow.event.pk])

    response = client.get(f"{url}?slot={roadshow.slot_1000.pk}&table={roadshow.t08.pk}")

    assert response.status_code == 200
    assert selected(response, "slot") == "2025-10-06 10:00 (Morning)"
    assert selected(response, "table") == "T08"
    assert selected(response, "sme") == "---------"


def test_the_booking_form_offers_confirmed_registrations_only(client, centre_staff, roadshow):
    Registration.objects.filter(pk=roadshow.sme2.pk).update(status=Registration.Status.PENDING)
    client.force_login(centre_staff)

    response = client.get(reverse("consultations:meeting_create", args=[roadshow.event.pk]))

    form = response.context["form"]
    assert list(form.fields["sme"].queryset) == [roadshow.sme]
    assert sorted(form.fields["buyer"].queryset, key=str) == [roadshow.buyer2, roadshow.buyer]


def test_staff_book_a_meeting_and_return_to_its_day_on_the_grid(
    client, centre_staff, roadshow, django_capture_on_commit_callbacks
):
    client.force_login(centre_staff)
    data = meeting_form(roadshow, sme=roadshow.sme.pk, buyer=roadshow.buyer.pk, slot=roadshow.slot_day2.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("consultations:meeting_create", args=[roadshow.event.pk]), data)

    assert response.status_code == 302
    assert response["Location"] == grid_url(roadshow.event, "2025-10-07")
    meeting = Meeting.objects.get()
    assert (meeting.slot, meeting.table, meeting.interpreter, meeting.locked) == (
        roadshow.slot_day2,
        roadshow.t07,
        roadshow.jisoo,
        True,
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Booked: {PAIR}, 2025-10-07 09:30 (Morning)."
    ]
    assert sorted(by_recipient()) == sorted([*PARTIES, JISOO])


def test_a_booking_from_the_form_takes_over_the_accepted_request_of_the_pair(client, centre_staff, roadshow):
    accepted = factories.MeetingRequestFactory(
        event=roadshow.event, sme=roadshow.sme2, buyer=roadshow.buyer2, status=MeetingRequest.Status.ACCEPTED
    )
    factories.MeetingRequestFactory(event=roadshow.event, sme=roadshow.sme2, buyer=roadshow.buyer)
    client.force_login(centre_staff)

    client.post(reverse("consultations:meeting_create", args=[roadshow.event.pk]), meeting_form(roadshow))

    meeting = Meeting.objects.get()
    assert meeting.request == accepted


def test_a_taken_table_rerenders_the_booking_form_with_the_choices_and_the_precise_message(
    client, centre_staff, roadshow, booked
):
    client.force_login(centre_staff)

    response = client.post(
        reverse("consultations:meeting_create", args=[roadshow.event.pk]), meeting_form(roadshow)
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["This table is already taken in this slot."]
    assert "This table is already taken in this slot." in response.content.decode()
    assert [selected(response, name) for name in ["sme", "buyer", "slot", "table", "interpreter"]] == [
        "Busan Water Tech",
        "Chiang Mai Smart City Office",
        "2025-10-06 09:30 (Morning)",
        "T07",
        "Lee Jisoo",
    ]
    assert list(Meeting.objects.all()) == [booked]


def test_a_rule_that_stops_a_booking_is_shown_on_the_form(client, centre_staff, roadshow):
    roadshow.jisoo.unavailable_slots.add(roadshow.slot_0930)
    client.force_login(centre_staff)

    response = client.post(
        reverse("consultations:meeting_create", args=[roadshow.event.pk]), meeting_form(roadshow)
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Lee Jisoo does not interpret in this slot."]
    assert Meeting.objects.count() == 0


def test_an_in_person_booking_without_a_table_is_refused_on_the_table_field(client, centre_staff, roadshow):
    client.force_login(centre_staff)

    response = client.post(
        reverse("consultations:meeting_create", args=[roadshow.event.pk]), meeting_form(roadshow, table="")
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"table": ["An in-person meeting needs a table."]}
    assert Meeting.objects.count() == 0


# ---------------------------------------------------------------- moving and cancelling from the grid
def edit_url(event, meeting):
    return reverse("consultations:meeting_edit", args=[event.pk, meeting.pk])


def test_staff_move_a_meeting_from_its_page_and_both_sides_are_told(
    client, centre_staff, roadshow, booked, django_capture_on_commit_callbacks
):
    client.force_login(centre_staff)
    data = {"slot": roadshow.slot_day2.pk, "table": roadshow.t08.pk, "interpreter": roadshow.soyeon.pk}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(roadshow.event, booked), data)

    assert response.status_code == 302
    assert response["Location"] == grid_url(roadshow.event, "2025-10-07")
    booked.refresh_from_db()
    assert (booked.slot, booked.table, booked.locked, booked.sequence) == (
        roadshow.slot_day2,
        roadshow.t08,
        False,
        1,
    )
    assert (booked.sme, booked.buyer) == (roadshow.sme, roadshow.buyer)
    assert sorted(by_recipient()) == [*PARTIES, SOYEON]


def test_the_parties_of_a_meeting_stay_whatever_the_edit_form_posts(client, centre_staff, roadshow, booked):
    client.force_login(centre_staff)
    data = {
        "sme": roadshow.sme2.pk,
        "buyer": roadshow.buyer2.pk,
        "slot": roadshow.slot_0930.pk,
        "table": roadshow.t07.pk,
        "interpreter": roadshow.soyeon.pk,
        "locked": "on",
    }

    client.post(edit_url(roadshow.event, booked), data)

    booked.refresh_from_db()
    assert (booked.sme, booked.buyer, booked.locked, booked.sequence) == (
        roadshow.sme,
        roadshow.buyer,
        True,
        0,
    )


def test_moving_onto_a_taken_table_from_the_edit_page_shows_the_message_and_saves_nothing(
    client, centre_staff, roadshow, grid
):
    client.force_login(centre_staff)
    data = {"slot": roadshow.slot_1000.pk, "table": roadshow.t08.pk, "interpreter": roadshow.soyeon.pk}

    response = client.post(edit_url(roadshow.event, grid.first), data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["This table is already taken in this slot."]
    assert selected(response, "slot") == "2025-10-06 10:00 (Morning)"
    saved = Meeting.objects.get(pk=grid.first.pk)
    assert (saved.slot, saved.table, saved.sequence) == (roadshow.slot_0930, roadshow.t07, 0)


def test_a_meeting_that_is_no_longer_scheduled_has_no_edit_page(client, centre_staff, roadshow, booked):
    Meeting.objects.filter(pk=booked.pk).update(status=Meeting.Status.CANCELLED)
    client.force_login(centre_staff)

    assert client.get(edit_url(roadshow.event, booked)).status_code == 404


def test_staff_cancel_a_meeting_and_return_to_its_day_on_the_grid(
    client, centre_staff, roadshow, booked, django_capture_on_commit_callbacks
):
    client.force_login(centre_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("consultations:meeting_cancel", args=[roadshow.event.pk, booked.pk]))

    assert response.status_code == 302
    assert response["Location"] == grid_url(roadshow.event, "2025-10-06")
    booked.refresh_from_db()
    assert (booked.status, booked.sequence) == (Meeting.Status.CANCELLED, 1)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The meeting is cancelled; both sides are told."
    ]
    assert len(mail.outbox) == 3


def test_cancelling_a_cancelled_meeting_again_says_so_and_sends_nothing(
    client, centre_staff, roadshow, booked, django_capture_on_commit_callbacks
):
    Meeting.objects.filter(pk=booked.pk).update(status=Meeting.Status.CANCELLED, sequence=1)
    client.force_login(centre_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("consultations:meeting_cancel", args=[roadshow.event.pk, booked.pk]))

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Only a scheduled meeting can be cancelled."
    ]
    assert Meeting.objects.get(pk=booked.pk).sequence == 1
    assert mail.outbox == []


def test_a_meeting_is_cancelled_by_post_only(client, centre_staff, roadshow, booked):
    client.force_login(centre_staff)

    response = client.get(reverse("consultations:meeting_cancel", args=[roadshow.event.pk, booked.pk]))

    assert response.status_code == 405
    assert Meeting.objects.get(pk=booked.pk).status == Meeting.Status.SCHEDULED


# ---------------------------------------------------------------- who may
def test_staff_of_another_centre_get_404_on_the_grid_and_its_booking_pages(
    client, other_centre_staff, roadshow, booked
):
    client.force_login(other_centre_staff)
    event = roadshow.event
    pages = [
        ("get", grid_url(event)),
        ("get", reverse("consultations:meeting_create", args=[event.pk])),
        ("post", reverse("consultations:meeting_create", args=[event.pk])),
        ("get", edit_url(event, booked)),
        ("post", edit_url(event, booked)),
        ("post", reverse("consultations:meeting_cancel", args=[event.pk, booked.pk])),
    ]

    statuses = [getattr(client, method)(url).status_code for method, url in pages]

    assert statuses == [404] * len(pages)
    booked.refresh_from_db()
    assert (booked.status, booked.sequence) == (Meeting.Status.SCHEDULED, 0)


def test_a_meeting_of_another_event_is_not_found_under_this_one(
    client, centre_staff, roadshow, bangkok_centre
):
    elsewhere = factories.MeetingFactory(slot__event__organising_centre=bangkok_centre)
    client.force_login(centre_staff)

    assert client.get(edit_url(roadshow.event, elsewhere)).status_code == 404
    response = client.post(reverse("consultations:meeting_cancel", args=[roadshow.event.pk, elsewhere.pk]))
    assert response.status_code == 404
    assert Meeting.objects.get(pk=elsewhere.pk).status == Meeting.Status.SCHEDULED


def test_an_admin_may_use_the_grid_of_any_centre(client, admin, roadshow, grid):
    client.force_login(admin)

    assert client.get(grid_url(roadshow.event)).status_code == 200
