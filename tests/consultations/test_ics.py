"""Calendar files of meetings and agendas: read back with icalendar, at the right instant in the right zone.

The Bangkok roadshow's meeting is at 09:30–10:00 Asia/Bangkok on 6 October 2031, i.e. 02:30 UTC.
"""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from matching.consultations.booking import agendas, ics
from matching.consultations.booking.models import Meeting
from tests import factories
from tests.consultations.test_agendas import EVENT, INTERPRETER, VENUE, bangkok_roadshow, slot_at

UID_OF_MEETING = "meeting-{pk}@k-smartcity.example"
THE_INSTANT = dt.datetime(2031, 10, 6, 2, 30, tzinfo=dt.UTC)


@pytest.fixture
def roadshow(bangkok_centre, sme_owner, buyer):
    return bangkok_roadshow(bangkok_centre, sme_owner.company, buyer.buyer_organisation)


def _parse(data):
    return Calendar.from_ical(data)


def _meeting(roadshow):
    """The roadshow's meeting as the views and e-mails fetch it."""
    return agendas.meeting_with_relations(Meeting.objects.all(), roadshow["meeting"].pk)


def _file(meeting, **kwargs):
    return _parse(ics.to_bytes(ics.meeting_calendar(meeting, **kwargs)))


def test_meeting_file_starts_at_0930_in_bangkok_which_is_0230_utc(roadshow):
    calendar = _file(_meeting(roadshow))

    [vevent] = calendar.events
    assert vevent["DTSTART"].params["TZID"] == "Asia/Bangkok"
    assert vevent.start == dt.datetime(2031, 10, 6, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Bangkok"))
    assert vevent.start.astimezone(dt.UTC) == THE_INSTANT
    assert vevent["DTEND"].params["TZID"] == "Asia/Bangkok"
    assert vevent.end.astimezone(dt.UTC) == THE_INSTANT + dt.timedelta(minutes=30)
    assert b"DTSTART;TZID=Asia/Bangkok:20311006T093000" in calendar.to_ical()


def test_meeting_file_carries_the_vtimezone_of_the_event(roadshow):
    calendar = _file(_meeting(roadshow))

    [vtimezone] = calendar.timezones
    assert vtimezone.tz_name == "Asia/Bangkok"
    assert [(sub.name, sub["TZOFFSETTO"].td) for sub in vtimezone.subcomponents] == [
        ("STANDARD", dt.timedelta(hours=7))
    ]
    assert calendar.get_missing_tzids() == set()


def test_a_zone_with_summer_time_gets_its_transitions_and_the_summer_offset(bangkok_centre, roadshow):
    roadshow["event"].time_zone = "Europe/Warsaw"
    roadshow["event"].save(update_fields=["time_zone"])
    meeting = _meeting(roadshow)  # still 02:30 UTC: 04:30 in Warsaw's summer time (UTC+2)

    calendar = _file(meeting)

    [vevent] = calendar.events
    assert vevent["DTSTART"].params["TZID"] == "Europe/Warsaw"
    assert vevent.start.replace(tzinfo=None) == dt.datetime(2031, 10, 6, 4, 30)
    assert vevent.start.astimezone(dt.UTC) == THE_INSTANT
    assert {sub.name for sub in calendar.timezones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_meeting_file_names_both_parties_the_place_and_the_interpreter(roadshow):
    [vevent] = _file(_meeting(roadshow)).events

    assert vevent["SUMMARY"] == "1:1 consultation: Seoul Traffic Systems – Khon Kaen City Municipality"
    assert vevent["LOCATION"] == f"Table T07, {VENUE}, Bangkok"
    assert vevent["DESCRIPTION"] == (
        f"Event: {EVENT}\n"
        "Korean company: Seoul Traffic Systems\n"
        "Buyer: Khon Kaen City Municipality\n"
        "Table: T07\n"
        f"Interpreter: {INTERPRETER}"
    )
    assert vevent["STATUS"] == "CONFIRMED"
    assert "URL" not in vevent


def test_online_meeting_file_has_the_link_as_location_and_url(roadshow):
    meeting = roadshow["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(
        mode=Meeting.Mode.ONLINE, table=None, interpreter=None, online_link="https://meet.example.com/kk"
    )

    [vevent] = _file(_meeting(roadshow)).events

    assert vevent["LOCATION"] == "https://meet.example.com/kk"
    assert vevent["URL"] == "https://meet.example.com/kk"
    assert vevent["DESCRIPTION"].splitlines()[-2:] == [
        "Online meeting: https://meet.example.com/kk",
        "Interpreter: none",
    ]


def test_uid_is_the_same_in_every_file_of_the_meeting(sme_owner, roadshow):
    meeting = _meeting(roadshow)
    uid = UID_OF_MEETING.format(pk=meeting.pk)

    first = _file(meeting, now=meeting.created_at)
    later = _file(meeting, now=meeting.created_at + dt.timedelta(days=3))
    agenda = _parse(
        ics.to_bytes(ics.agenda_calendar(roadshow["sme"], agendas.agenda_meetings(roadshow["sme"])))
    )

    assert [e["UID"] for e in first.events + later.events + agenda.events] == [uid, uid, uid]


def test_sequence_is_the_meeting_revision_whenever_the_file_is_made(roadshow):
    meeting = _meeting(roadshow)
    booked = meeting.created_at
    at_booking = [
        _file(meeting, now=booked + delay).events[0]["SEQUENCE"]
        for delay in [dt.timedelta(0), dt.timedelta(days=2)]
    ]
    Meeting.objects.filter(pk=meeting.pk).update(sequence=3)

    assert at_booking == [0, 0]
    assert _file(_meeting(roadshow), now=booked).events[0]["SEQUENCE"] == 3


def test_cancelled_meeting_file_says_cancelled(roadshow):
    Meeting.objects.filter(pk=roadshow["meeting"].pk).update(status=Meeting.Status.CANCELLED)

    [vevent] = _file(_meeting(roadshow)).events

    assert vevent["STATUS"] == "CANCELLED"


def test_downloaded_file_has_no_method_and_names_nobody(roadshow):
    calendar = _file(_meeting(roadshow))

    assert "METHOD" not in calendar
    assert "ORGANIZER" not in calendar.events[0]
    assert "ATTENDEE" not in calendar.events[0]
    assert calendar["PRODID"] == "-//KOTRA//K-Smart City export portal//EN"


def test_emailed_file_is_a_request_from_the_centre_to_its_attendee(roadshow):
    calendar = _file(
        _meeting(roadshow),
        method=ics.REQUEST,
        organizer=("bangkok@kotra.example", "KOTRA Bangkok"),
        attendees=[("jiwoo@seoultraffic.example", "Jiwoo Park")],
    )

    vevent = calendar.events[0]
    assert calendar["METHOD"] == "REQUEST"
    assert (str(vevent["ORGANIZER"]), vevent["ORGANIZER"].params["CN"]) == (
        "mailto:bangkok@kotra.example",
        "KOTRA Bangkok",
    )
    assert (str(vevent["ATTENDEE"]), vevent["ATTENDEE"].params["CN"]) == (
        "mailto:jiwoo@seoultraffic.example",
        "Jiwoo Park",
    )
    assert vevent["STATUS"] == "CONFIRMED"


def test_a_cancel_file_says_cancelled_even_for_a_meeting_still_scheduled(roadshow):
    calendar = _file(_meeting(roadshow), method=ics.CANCEL)

    assert (calendar["METHOD"], calendar.events[0]["STATUS"]) == ("CANCEL", "CANCELLED")


def test_agenda_file_has_one_event_per_meeting_in_time_order_cancelled_ones_marked(roadshow):
    event, sme = roadshow["event"], roadshow["sme"]
    early = factories.MeetingFactory(slot=slot_at(event, 9), sme=sme, online=True)
    cancelled = factories.MeetingFactory(slot=slot_at(event, 10), sme=sme, status=Meeting.Status.CANCELLED)

    calendar = _parse(
        ics.to_bytes(ics.agenda_calendar(sme, agendas.agenda_meetings(sme, include_cancelled=True)))
    )

    assert [(e["UID"], e["STATUS"]) for e in calendar.events] == [
        (UID_OF_MEETING.format(pk=early.pk), "CONFIRMED"),
        (UID_OF_MEETING.format(pk=roadshow["meeting"].pk), "CONFIRMED"),
        (UID_OF_MEETING.format(pk=cancelled.pk), "CANCELLED"),
    ]
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Bangkok"]
    assert calendar["X-WR-CALNAME"] == f"Seoul Traffic Systems · {EVENT}"


def test_an_empty_agenda_is_still_a_valid_calendar(roadshow):
    roadshow["meeting"].delete()

    calendar = _parse(ics.to_bytes(ics.agenda_calendar(roadshow["sme"], [])))

    assert calendar.events == []
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Bangkok"]


# ---------------------------------------------------------------- the download views
def test_agenda_download_is_a_calendar_attachment(client, sme_owner, roadshow):
    client.force_login(sme_owner)

    response = client.get(reverse("consultations:agenda_ics", args=[roadshow["sme"].pk]))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="agenda-bangkok-2025-{roadshow["sme"].pk}.ics"'
    )
    [vevent] = _parse(response.content).events
    assert vevent["UID"] == UID_OF_MEETING.format(pk=roadshow["meeting"].pk)
    assert vevent.start.astimezone(dt.UTC) == THE_INSTANT


def test_meeting_download_is_a_calendar_attachment(client, buyer, roadshow):
    client.force_login(buyer)
    pk = roadshow["meeting"].pk

    response = client.get(reverse("consultations:meeting_ics", args=[pk]))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="meeting-{pk}.ics"'
    assert [e["UID"] for e in _parse(response.content).events] == [UID_OF_MEETING.format(pk=pk)]
