"""An event's programme: the sessions' rules in the database and the service, staff's pages, the public
page, and what it does to agendas, calendars, staff's bookings and the auto-scheduler.

The Bangkok roadshow of 6-7 October 2031: Seoul Traffic Systems (the SME) and Khon Kaen City Municipality
(the buyer) meet at 09:30 at T07. Times are Bangkok's (UTC+7).
"""

import datetime as dt
import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from matching.consultations.booking import scheduler_runs, services
from matching.consultations.booking.models import Meeting, MeetingRequest
from matching.consultations.events import programme
from matching.consultations.events.models import (
    Event,
    ProgrammeParticipant,
    ProgrammeSession,
    Registration,
    Table,
)
from matching.consultations.events.programme import SessionData
from tests import factories
from tests.consultations.test_agendas import BANGKOK, bangkok_roadshow, slot_at
from tests.consultations.test_event_setup import event_form
from tests.races import race


def at(event, hour, minute=0, day=0):
    """hour:minute Bangkok time on the event's first day (plus `day` days), aware."""
    return dt.datetime.combine(event.start_date + dt.timedelta(days=day), dt.time(hour, minute), BANGKOK)


def session_data(event, hour=14, minute=0, length=30, **fields):
    fields.setdefault("kind", ProgrammeSession.Kind.IR_PITCH)
    fields.setdefault("title", "IR pitches: smart traffic")
    fields.setdefault("room", "Grand Ballroom")
    starts = at(event, hour, minute, fields.pop("day", 0))
    return SessionData(starts_at=starts, ends_at=starts + dt.timedelta(minutes=length), **fields)


def add_session(event, hour=14, minute=0, length=30, **fields):
    session, created = programme.programme_session_create(
        event=event, data=session_data(event, hour, minute, length, **fields)
    )
    assert created
    return session


def errors_of(call):
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict


@pytest.fixture
def roadshow(bangkok_centre, sme_owner, buyer):
    return bangkok_roadshow(bangkok_centre, sme_owner.company, buyer.buyer_organisation)


# ---------------------------------------------------------------- the database's rules
def test_the_database_refuses_a_session_that_ends_before_it_starts(roadshow):
    event = roadshow["event"]
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeSession.objects.create(
            event=event, title="Backwards", starts_at=at(event, 10), ends_at=at(event, 9)
        )


def test_the_database_refuses_an_unknown_kind(roadshow):
    event = roadshow["event"]
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeSession.objects.create(
            event=event, kind="party", title="Party", starts_at=at(event, 9), ends_at=at(event, 10)
        )


def test_the_database_refuses_a_participant_twice_in_one_session(roadshow):
    session = add_session(roadshow["event"])
    ProgrammeParticipant.objects.create(session=session, registration=roadshow["sme"], role="speaker")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeParticipant.objects.create(session=session, registration=roadshow["sme"], role="attendee")


# ---------------------------------------------------------------- the service's rules
def test_a_session_is_stored_in_utc_with_its_speakers_and_languages(roadshow):
    event, sme, buyer = roadshow["event"], roadshow["sme"], roadshow["buyer"]
    korean = factories.LanguageFactory(code="ko", name_en="Korean")

    session = add_session(
        event, 14, speakers="Kim Min-jun (MOLIT)", languages=[korean], speaking=[sme], attending=[buyer]
    )

    session.refresh_from_db()
    assert (session.starts_at, session.ends_at) == (
        dt.datetime(2031, 10, 6, 7, 0, tzinfo=dt.UTC),
        dt.datetime(2031, 10, 6, 7, 30, tzinfo=dt.UTC),
    )
    assert session.speakers == "Kim Min-jun (MOLIT)"
    assert [language.code for language in session.languages.all()] == ["ko"]
    assert sorted(session.roles.values_list("registration_id", "role")) == sorted(
        [(sme.pk, "speaker"), (buyer.pk, "attendee")]
    )


def test_a_session_ending_before_it_starts_is_refused_on_its_end(roadshow):
    event = roadshow["event"]
    data = session_data(event, 14)
    data.ends_at = at(event, 13)

    assert errors_of(lambda: programme.programme_session_create(event=event, data=data)) == {
        "ends": ["A session must end after it starts."]
    }


def test_a_session_outside_the_events_days_is_refused_on_its_day(roadshow):
    event = roadshow["event"]

    errors = errors_of(
        lambda: programme.programme_session_create(event=event, data=session_data(event, day=2))
    )

    assert errors == {"day": ["Choose a day of the event, from 2031-10-06 to 2031-10-07."]}


def test_a_room_taken_at_the_same_time_is_refused_naming_the_other_session(roadshow):
    event = roadshow["event"]
    add_session(event, 14, length=60, title="Opening remarks", room="Grand Ballroom")

    data = session_data(event, 14, 30, title="Policy talk", room="  grand ballroom ")
    errors = errors_of(lambda: programme.programme_session_create(event=event, data=data))

    assert errors == {"room": ["Grand Ballroom is taken by “Opening remarks” from 14:00–15:00."]}


def test_the_same_room_right_after_another_session_is_free(roadshow):
    event = roadshow["event"]
    add_session(event, 14, title="Opening remarks")

    add_session(event, 14, 30, title="Policy talk")

    assert ProgrammeSession.objects.filter(event=event).count() == 2


def test_a_participant_already_in_another_session_at_that_time_is_refused(roadshow):
    event, sme = roadshow["event"], roadshow["sme"]
    add_session(event, 14, title="IR pitches", room="Hall A", speaking=[sme])

    data = session_data(event, 14, room="Hall B", title="Key-buyer meeting", attending=[sme])
    errors = errors_of(lambda: programme.programme_session_create(event=event, data=data))

    assert errors == {"speaking": ["Seoul Traffic Systems takes part in “IR pitches” from 14:00–14:30."]}


def test_a_participant_both_speaking_and_attending_is_refused(roadshow):
    event, sme = roadshow["event"], roadshow["sme"]

    data = session_data(event, speaking=[sme], attending=[sme])
    errors = errors_of(lambda: programme.programme_session_create(event=event, data=data))

    assert errors == {"attending": ["Seoul Traffic Systems already speak in this session: choose them once."]}


def test_a_withdrawn_or_another_events_participant_is_refused(roadshow):
    event = roadshow["event"]
    withdrawn = factories.SmeRegistrationFactory(event=event, status=Registration.Status.WITHDRAWN)
    elsewhere = factories.SmeRegistrationFactory()

    for registration in (withdrawn, elsewhere):
        data = session_data(event, speaking=[registration])
        assert errors_of(lambda data=data: programme.programme_session_create(event=event, data=data)) == {
            "speaking": ["Choose participants of this event who have not withdrawn."]
        }


def test_an_event_that_is_over_keeps_its_programme(bangkok_centre):
    event = factories.EventFactory(organising_centre=bangkok_centre, start_date=dt.date(2022, 10, 6))

    with pytest.raises(ValidationError) as raised:
        programme.programme_session_create(event=event, data=session_data(event))

    assert raised.value.code == "event_over"


def test_the_same_form_sent_twice_makes_one_session(roadshow):
    event, token = roadshow["event"], uuid.uuid4()

    first, created = programme.programme_session_create(
        event=event, data=session_data(event), form_token=token
    )
    again, created_again = programme.programme_session_create(
        event=event, data=session_data(event), form_token=token
    )

    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert ProgrammeSession.objects.count() == 1


def test_a_change_raises_the_calendar_revision_and_replaces_participants(roadshow):
    event, sme, buyer = roadshow["event"], roadshow["sme"], roadshow["buyer"]
    session = add_session(event, speaking=[sme])

    changed = programme.programme_session_update(
        session=session, data=session_data(event, 15, attending=[buyer])
    )

    assert changed.sequence == 1
    assert list(changed.roles.values_list("registration_id", "role")) == [(buyer.pk, "attendee")]
    assert changed.starts_at == at(event, 15)


def test_a_session_may_keep_its_own_room_and_time_when_changed(roadshow):
    event = roadshow["event"]
    session = add_session(event, 14, title="Opening")

    changed = programme.programme_session_update(
        session=session, data=session_data(event, 14, title="Opening remarks")
    )

    assert changed.title == "Opening remarks"


def test_deleting_twice_deletes_once(roadshow):
    session = add_session(roadshow["event"])

    assert programme.programme_session_delete(session=session) is True
    assert programme.programme_session_delete(session=session) is False
    assert ProgrammeSession.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sessions_in_one_room_at_once_from_two_staff_members_make_one(bangkok_centre, sme_owner, buyer):
    event = bangkok_roadshow(bangkok_centre, sme_owner.company, buyer.buyer_organisation)["event"]

    results = race(
        lambda: programme.programme_session_create(event=event, data=session_data(event, title="A"))[0].title,
        lambda: programme.programme_session_create(event=event, data=session_data(event, title="B"))[0].title,
    )

    assert ProgrammeSession.objects.count() == 1
    winner = ProgrammeSession.objects.get().title
    assert sorted(results) == sorted([winner, f"Grand Ballroom is taken by “{winner}” from 14:00–14:30."])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_form_sent_four_times_at_once_makes_one_session(bangkok_centre, sme_owner, buyer):
    event = bangkok_roadshow(bangkok_centre, sme_owner.company, buyer.buyer_organisation)["event"]
    token = uuid.uuid4()

    def send():
        session, created = programme.programme_session_create(
            event=event, data=session_data(event), form_token=token
        )
        return session.pk, created

    results = race(send, send, send, send)

    session = ProgrammeSession.objects.get()
    assert sorted(results, key=lambda r: not r[1]) == [(session.pk, True)] + [(session.pk, False)] * 3


# ---------------------------------------------------------------- staff's bookings and the scheduler
def test_staff_cannot_book_a_meeting_while_its_company_speaks(roadshow, centre_staff):
    event, sme, buyer = roadshow["event"], roadshow["sme"], roadshow["buyer"]
    add_session(event, 14, title="IR pitches: smart traffic", speaking=[sme])
    other_buyer = factories.BuyerRegistrationFactory(event=event)

    with pytest.raises(ValidationError) as raised:
        services.meeting_book(slot=slot_at(event, 14), sme=sme, buyer=other_buyer, booked_by=centre_staff)

    assert raised.value.messages == [
        "Seoul Traffic Systems speaks in “IR pitches: smart traffic” (14:00–14:30) at this time."
    ]
    assert Meeting.objects.filter(sme=sme).count() == 1  # the 09:30 meeting only
    assert buyer  # the roadshow's buyer is untouched


def test_staff_cannot_move_a_meeting_into_a_session_its_buyer_must_attend(roadshow, centre_staff):
    event, buyer, meeting = roadshow["event"], roadshow["buyer"], roadshow["meeting"]
    add_session(event, 14, 30, title="Key-buyer meeting", kind="key_buyer", attending=[buyer])

    with pytest.raises(ValidationError) as raised:
        services.meeting_change(meeting=meeting, changed_by=centre_staff, slot=slot_at(event, 14, 30))

    assert raised.value.messages == [
        "Khon Kaen City Municipality must attend “Key-buyer meeting” (14:30–15:00) at this time."
    ]


def test_an_open_session_without_participants_blocks_no_booking(roadshow, centre_staff):
    event, sme = roadshow["event"], roadshow["sme"]
    add_session(event, 14, title="Opening remarks", kind="seminar")

    meeting = services.meeting_book(
        slot=slot_at(event, 14),
        sme=sme,
        buyer=factories.BuyerRegistrationFactory(event=event),
        booked_by=centre_staff,
        table=factories.TableFactory(event=event, name="T01"),
    )

    assert (meeting.slot.starts_at, meeting.status) == (at(event, 14), "scheduled")


def _scheduler_event(centre, hours):
    """An event with slots at `hours` (Bangkok), one table, an accepted request of an SME and a buyer."""
    event = factories.EventFactory(
        organising_centre=centre, city=centre.city, start_date=dt.date(2031, 10, 6)
    )
    slots = {hour: slot_at(event, *hour) for hour in hours}
    factories.TableFactory(event=event, name="T01")
    sme = factories.SmeRegistrationFactory(event=event)
    buyer = factories.BuyerRegistrationFactory(event=event)
    factories.MeetingRequestFactory(event=event, sme=sme, buyer=buyer, status=MeetingRequest.Status.ACCEPTED)
    return event, slots, sme, buyer


def test_the_scheduler_books_no_meeting_while_its_company_speaks(bangkok_centre):
    event, slots, sme, _ = _scheduler_event(bangkok_centre, [(14, 0), (14, 30)])
    add_session(event, 14, speaking=[sme])

    run = scheduler_runs.schedule_event(event=event, time_limit_seconds=10)

    assert run.placed == 1
    assert list(Meeting.objects.filter(slot__event=event).values_list("slot_id", flat=True)) == [
        slots[14, 30].pk
    ]


def test_the_scheduler_leaves_out_a_pair_only_free_while_one_of_them_must_attend(bangkok_centre):
    event, slots, sme, buyer = _scheduler_event(bangkok_centre, [(13, 30), (14, 0)])
    buyer.unavailable_slots.add(slots[13, 30])
    add_session(event, 14, kind="key_buyer", title="Key-buyer meeting", attending=[sme])

    run = scheduler_runs.schedule_event(event=event, time_limit_seconds=10)

    assert (run.placed, Meeting.objects.filter(slot__event=event).count()) == (0, 0)
    assert [row["code"] for row in run.unplaced] == ["never_free_together"]


def test_a_locked_meeting_during_a_session_stays_and_the_run_still_works(bangkok_centre):
    event, slots, sme, buyer = _scheduler_event(bangkok_centre, [(14, 0), (14, 30)])
    request = MeetingRequest.objects.get(event=event)
    other = factories.BuyerRegistrationFactory(event=event)
    table = Table.objects.get(event=event)
    locked = Meeting.objects.create(slot=slots[14, 0], sme=sme, buyer=other, table=table, locked=True)
    add_session(event, 14, speaking=[sme])

    run = scheduler_runs.schedule_event(event=event, time_limit_seconds=10)

    locked.refresh_from_db()
    assert (run.status, run.placed) == ("optimal", 2)
    assert (locked.slot_id, locked.status) == (slots[14, 0].pk, "scheduled")
    assert Meeting.objects.get(request=request).slot_id == slots[14, 30].pk
    assert buyer


def test_saving_a_session_warns_staff_of_the_meetings_it_now_overlaps(client, roadshow, centre_staff):
    event, sme = roadshow["event"], roadshow["sme"]
    client.force_login(centre_staff)

    response = client.post(
        reverse("consultations:programme_sessions", args=[event.pk]),
        form_data(event, starts="09:30", ends="10:00", speaking=[sme.pk]),
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "“IR pitches: smart traffic” is on the programme.",
        "These booked meetings fall in the session, with a participant taking part in it: Seoul Traffic "
        "Systems – Khon Kaen City Municipality. Move them on the meeting grid, or run the scheduler.",
    ]


# ---------------------------------------------------------------- staff's pages
def form_data(event, **fields):
    data = {
        "kind": "ir_pitch",
        "title": "IR pitches: smart traffic",
        "day": event.start_date.isoformat(),
        "starts": "14:00",
        "ends": "14:30",
        "room": "Grand Ballroom",
        "speakers": "",
        "languages": [factories.LanguageFactory(code="en", name_en="English").pk],
        "open_to_all": "on",
        "description": "",
        "form_token": str(uuid.uuid4()),
    }
    data.update(fields)
    return data


def test_staff_add_a_session_and_see_it_on_the_programme(client, roadshow, centre_staff):
    event = roadshow["event"]
    client.force_login(centre_staff)
    url = reverse("consultations:programme_sessions", args=[event.pk])

    response = client.post(url, form_data(event, speakers="Kim Min-jun (MOLIT)"), follow=True)

    session = ProgrammeSession.objects.get()
    assert response.redirect_chain == [(url, 302)]
    assert (session.title, session.speakers, session.room) == (
        "IR pitches: smart traffic",
        "Kim Min-jun (MOLIT)",
        "Grand Ballroom",
    )
    assert "14:00–14:30 · IR pitches: smart traffic" in _strip(response.content.decode())


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"ends": "13:00"}, "ends", "A session must end after it starts."),
        ({"day": "2031-10-09"}, "day", "Choose a day of the event, from 2031-10-06 to 2031-10-07."),
        ({"day": "99999-01-01"}, "day", "Enter a valid date."),
        ({"title": "x" * 100_000}, "title", "Ensure this value has at most 200 characters (it has 100000)."),
        (
            {"description": "x" * 100_000},
            "description",
            "Ensure this value has at most 5000 characters (it has 100000).",
        ),
        ({"room": "Hall\x00A"}, "room", "Null characters are not allowed."),
        ({"kind": "party"}, "kind", "Select a valid choice. party is not one of the available choices."),
        ({"speaking": ["abc"]}, "speaking", "“abc” is not a valid value."),
        ({"form_token": "not-a-uuid"}, "form_token", "Enter a valid UUID."),
    ],
)
def test_a_wrong_session_form_is_shown_again_with_the_typed_data_and_a_precise_message(
    client, roadshow, centre_staff, fields, field, message
):
    event = roadshow["event"]
    client.force_login(centre_staff)

    response = client.post(
        reverse("consultations:programme_sessions", args=[event.pk]), form_data(event, **fields)
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {field: [message]}
    assert form["title"].value() == fields.get("title", "IR pitches: smart traffic")
    assert ProgrammeSession.objects.count() == 0


def test_a_room_clash_is_shown_on_the_room_field(client, roadshow, centre_staff):
    event = roadshow["event"]
    add_session(event, 14, title="Opening remarks")
    client.force_login(centre_staff)

    response = client.post(reverse("consultations:programme_sessions", args=[event.pk]), form_data(event))

    assert response.context["form"].errors == {
        "room": ["Grand Ballroom is taken by “Opening remarks” from 14:00–14:30."]
    }


def test_the_same_form_posted_twice_makes_one_session_and_says_so(client, roadshow, centre_staff):
    event = roadshow["event"]
    client.force_login(centre_staff)
    data = form_data(event)
    url = reverse("consultations:programme_sessions", args=[event.pk])

    client.post(url, data)
    again = client.post(url, data, follow=True)

    assert ProgrammeSession.objects.count() == 1
    assert [str(m) for m in again.context["messages"]][-1] == (
        "This form was already sent: the session is on the programme once."
    )


def test_staff_edit_a_session_and_delete_it_twice_without_an_error(client, roadshow, centre_staff):
    event = roadshow["event"]
    session = add_session(event, 14, title="Opening")
    client.force_login(centre_staff)
    edit = reverse("consultations:programme_session_edit", args=[event.pk, session.pk])
    delete = reverse("consultations:programme_session_delete", args=[event.pk, session.pk])

    shown = client.get(edit)
    edited = client.post(
        edit, form_data(event, title="Opening remarks", starts="15:00", ends="15:30"), follow=True
    )
    session.refresh_from_db()
    first = client.post(delete, follow=True)
    second = client.post(delete, follow=True)

    assert shown.context["form"]["starts"].value() == dt.time(14, 0)
    assert (session.title, session.starts_at, session.sequence) == ("Opening remarks", at(event, 15), 1)
    assert [str(m) for m in edited.context["messages"]] == ["“Opening remarks” is saved."]
    assert [str(m) for m in first.context["messages"]] == ["“Opening remarks” is taken off the programme."]
    assert [str(m) for m in second.context["messages"]] == ["This session is no longer on the programme."]
    assert ProgrammeSession.objects.count() == 0


def test_staff_of_another_centre_get_404_for_a_session(client, roadshow, other_centre_staff):
    event = roadshow["event"]
    session = add_session(event)
    client.force_login(other_centre_staff)

    edit = client.post(
        reverse("consultations:programme_session_edit", args=[event.pk, session.pk]),
        form_data(event, title="X"),
    )
    delete = client.post(reverse("consultations:programme_session_delete", args=[event.pk, session.pk]))

    assert (edit.status_code, delete.status_code) == (404, 404)
    assert ProgrammeSession.objects.get().title == "IR pitches: smart traffic"


def test_a_session_of_another_event_is_not_found_under_this_one(
    client, roadshow, centre_staff, bangkok_centre
):
    other = factories.EventFactory(organising_centre=bangkok_centre, city=bangkok_centre.city)
    session = add_session(other)
    client.force_login(centre_staff)

    response = client.get(
        reverse("consultations:programme_session_edit", args=[roadshow["event"].pk, session.pk])
    )

    assert response.status_code == 404


def _sessions(event, count):
    """`count` sessions from 14:00, each with a speaking SME, an attending buyer and a language."""
    english = factories.LanguageFactory(code="en", name_en="English")
    for number in range(count):
        add_session(
            event,
            14 + number,
            title=f"Session {number}",
            languages=[english],
            speaking=[factories.SmeRegistrationFactory(event=event)],
            attending=[factories.BuyerRegistrationFactory(event=event)],
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["consultations:programme_sessions", "consultations:programme"])
def test_programme_pages_cost_the_same_queries_for_one_session_or_four(
    client, bangkok_centre, centre_staff, page
):
    one = factories.EventFactory(organising_centre=bangkok_centre, city=bangkok_centre.city, slug="one")
    four = factories.EventFactory(organising_centre=bangkok_centre, city=bangkok_centre.city, slug="four")
    _sessions(one, 1)
    _sessions(four, 4)
    client.force_login(centre_staff)
    client.get(reverse(page, args=[one.pk]))  # the session and the cache warmed

    assert _queries(client, reverse(page, args=[one.pk])) == _queries(client, reverse(page, args=[four.pk]))


# ---------------------------------------------------------------- the public page
def test_anyone_reads_the_programme_on_the_events_public_page(client, roadshow):
    event, sme = roadshow["event"], roadshow["sme"]
    add_session(event, 9, length=30, kind="seminar", title="Opening remarks", speakers="MOLIT; KOTRA Bangkok")
    add_session(event, 10, length=60, title="IR pitches", room="Hall B", speaking=[sme])
    add_session(event, 14, kind="bilateral", title="MOLIT and BMA", room="Executive Room", open_to_all=False)

    response = client.get(reverse("consultations:programme", args=[event.pk]))

    text = _strip(response.content.decode())
    assert response.status_code == 200
    assert "09:00–09:30 · Opening remarks" in text
    assert "Speakers: MOLIT; KOTRA Bangkok" in text
    assert "10:00–11:00 · IR pitches" in text
    assert "Speakers: Seoul Traffic Systems" in text
    assert "14:00–14:30 · MOLIT and BMA" in text
    assert "By invitation" in text


def test_the_public_page_names_speakers_but_not_who_must_attend(client, roadshow):
    event, buyer = roadshow["event"], roadshow["buyer"]
    add_session(event, 11, kind="key_buyer", title="Key-buyer meeting", attending=[buyer], open_to_all=False)

    public = _strip(client.get(reverse("consultations:programme", args=[event.pk])).content.decode())

    assert "11:00–11:30 · Key-buyer meeting" in public
    assert "Khon Kaen City Municipality" not in public


def test_a_draft_events_public_page_is_seen_by_its_staff_only(client, roadshow, centre_staff, sme_owner):
    event = roadshow["event"]
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    url = reverse("consultations:programme", args=[event.pk])

    anonymous = client.get(url).status_code
    client.force_login(sme_owner)
    member = client.get(url).status_code
    client.force_login(centre_staff)
    staff = client.get(url).status_code

    assert (anonymous, member, staff) == (404, 404, 200)


def test_the_home_page_links_each_roadshow_to_its_public_page(client, roadshow):
    response = client.get(reverse("home"))

    assert reverse("consultations:programme", args=[roadshow["event"].pk]) in response.content.decode()


# ---------------------------------------------------------------- agendas and calendars
@pytest.fixture
def programme_sessions(roadshow):
    """An open seminar, IR pitches the SME speaks in, a key-buyer meeting the buyer must attend, and a
    bilateral meeting by invitation that neither takes part in."""
    event, sme, buyer = roadshow["event"], roadshow["sme"], roadshow["buyer"]
    return [
        add_session(event, 9, kind="seminar", title="Opening remarks", room="Grand Ballroom"),
        add_session(event, 10, title="IR pitches", room="Grand Ballroom", speaking=[sme]),
        add_session(
            event,
            11,
            kind="key_buyer",
            title="Key-buyer meeting",
            room="Room 2",
            attending=[buyer],
            open_to_all=False,
        ),
        add_session(
            event, 14, kind="bilateral", title="MOLIT and BMA", room="Executive Room", open_to_all=False
        ),
    ]


def _rows_text(response):
    html = response.content.decode()
    section = html.split('id="agenda-programme-heading"')[1].split("</section>")[0]
    return [row.split("</tr>")[0] for row in section.split("<tr>")[2:]]


def _strip(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# The members' own zone is Seoul's (UTC+9): the agenda adds a column two hours after Bangkok's.
DAY = " Monday, Oct. 6, 2031 "
PITCHES = "IR pitches IR pitch · Seoul Traffic Systems Grand Ballroom"


def test_the_companys_agenda_shows_the_sessions_it_speaks_in_and_the_open_ones(
    client, roadshow, programme_sessions, sme_owner
):
    client.force_login(sme_owner)

    response = client.get(reverse("consultations:agenda", args=[roadshow["sme"].pk]))

    assert [_strip(row) for row in _rows_text(response)] == [
        f"09:00–09:30{DAY}11:00–11:30{DAY}Opening remarks Seminar talk Grand Ballroom Open to all",
        f"10:00–10:30{DAY}12:00–12:30{DAY}{PITCHES} You speak",
    ]


def test_the_buyers_agenda_shows_the_meeting_it_must_attend(client, roadshow, programme_sessions, buyer):
    client.force_login(buyer)

    response = client.get(reverse("consultations:agenda", args=[roadshow["buyer"].pk]))

    assert [_strip(row) for row in _rows_text(response)] == [
        f"09:00–09:30{DAY}11:00–11:30{DAY}Opening remarks Seminar talk Grand Ballroom Open to all",
        f"10:00–10:30{DAY}12:00–12:30{DAY}{PITCHES} Open to all",
        f"11:00–11:30{DAY}13:00–13:30{DAY}Key-buyer meeting Key-buyer meeting Room 2 You must attend",
    ]


def test_the_agenda_costs_the_same_queries_for_one_session_or_four(client, roadshow, sme_owner):
    event, sme = roadshow["event"], roadshow["sme"]
    client.force_login(sme_owner)
    url = reverse("consultations:agenda", args=[sme.pk])
    add_session(event, 9, title="Opening", speaking=[sme])
    client.get(url)
    one = _queries(client, url)
    for hour in (10, 11, 14):
        add_session(
            event,
            hour,
            title=f"Talk {hour}",
            speaking=[sme],
            attending=[factories.BuyerRegistrationFactory(event=event)],
        )

    assert _queries(client, url) == one


def test_the_agenda_calendar_holds_the_sessions_marked_by_part(
    client, roadshow, programme_sessions, sme_owner
):
    client.force_login(sme_owner)

    response = client.get(reverse("consultations:agenda_ics", args=[roadshow["sme"].pk]))

    calendar = Calendar.from_ical(response.content)
    events = {str(vevent["summary"]): vevent for vevent in calendar.walk("VEVENT")}
    assert sorted(events) == [
        "1:1 consultation: Seoul Traffic Systems – Khon Kaen City Municipality",
        "IR pitches (you speak)",
        "Opening remarks (open to all)",
    ]
    pitches = events["IR pitches (you speak)"]
    assert pitches.decoded("dtstart") == at(roadshow["event"], 10)
    assert str(pitches["uid"]) == f"programme-session-{programme_sessions[1].pk}@k-smartcity.example"
    assert "Your part: speaker" in str(pitches["description"])
    assert str(events["Opening remarks (open to all)"]["location"]) == (
        "Grand Ballroom, Queen Sirikit National Convention Center, hall B, Bangkok"
    )


# ---------------------------------------------------------------- the event's days
def test_the_events_days_keep_its_programme_within_them(client, centre_staff, bangkok_centre):
    client.force_login(centre_staff)
    start = timezone.localdate() + dt.timedelta(days=20)
    data = event_form(
        bangkok_centre.city, start_date=start.isoformat(), end_date=(start + dt.timedelta(days=1)).isoformat()
    )
    client.post(reverse("consultations:create"), data)
    event = Event.objects.get(slug="khon-kaen-day")
    add_session(event, 9, title="Opening remarks", day=1)
    one_day = data | {"end_date": start.isoformat()}

    refused = client.post(reverse("consultations:edit", args=[event.pk]), one_day)
    kept = client.post(reverse("consultations:edit", args=[event.pk]), data | {"name": "Khon Kaen Day"})

    assert refused.context["form"].errors == {
        "start_date": [
            "The programme has sessions outside these days (“Opening remarks”): move or delete them first."
        ]
    }
    assert kept.status_code == 302
    event.refresh_from_db()
    assert (event.name, event.end_date) == ("Khon Kaen Day", start + dt.timedelta(days=1))
