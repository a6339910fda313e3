"""E-mails about meeting requests and meetings: one message per member of both parties and the
interpreter, the times in the event's zone and the recipient's, the .ics attached as an iTIP
REQUEST or CANCEL with the meeting's UID.
"""

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation
from icalendar import Calendar

from matching.consultations.booking import agendas, emails
from matching.consultations.booking.models import Meeting
from portal.accounts.models import User
from tests import factories
from tests.consultations.test_agendas import EVENT, INTERPRETER, VENUE, bangkok_roadshow

INTERPRETER_EMAIL = "soyeon@interpret.example"
SUBJECT = (
    "Meeting {change} at " + EVENT + ": Seoul Traffic Systems and Khon Kaen City Municipality, Oct. 6, 2031"
)


@pytest.fixture
def roadshow(bangkok_centre, sme_owner, buyer):
    """The Bangkok roadshow; the buyer's member is in Bangkok, a second SME member in Istanbul."""
    buyer.time_zone = "Asia/Bangkok"
    buyer.save(update_fields=["time_zone"])
    company = sme_owner.company
    factories.SmeMemberFactory(
        username="minjun", email="minjun@example.com", company=company, time_zone="Europe/Istanbul"
    )
    factories.SmeMemberFactory(username="left", email="left@example.com", company=company, is_active=False)
    factories.SmeMemberFactory(username="no_address", email="", company=company)
    return bangkok_roadshow(bangkok_centre, company, buyer.buyer_organisation)


def _meeting(roadshow):
    return agendas.meeting_with_relations(Meeting.objects.all(), roadshow["meeting"].pk)


def _by_recipient():
    assert all(len(message.to) == 1 for message in mail.outbox), "one recipient per message"
    return {message.to[0]: message for message in mail.outbox}


def _calendar(message):
    [part] = message.attachments
    return part, Calendar.from_ical(part.get_payload(decode=True))


# ---------------------------------------------------------------- meetings
def test_booking_emails_every_member_of_both_parties_and_the_interpreter_once(roadshow):
    sent = emails.meeting_notify(meeting=_meeting(roadshow), change="booked")

    assert sent == 4
    assert sorted(_by_recipient()) == [
        "buyer@example.com",
        "minjun@example.com",
        "sme_owner@example.com",
        INTERPRETER_EMAIL,
    ]
    assert {message.subject for message in mail.outbox} == {SUBJECT.format(change="booked")}
    assert {message.from_email for message in mail.outbox} == {"portal@k-smartcity.example"}


def test_each_booking_email_carries_a_calendar_request_for_its_recipient(roadshow, bangkok_centre):
    bangkok_centre.email = "bangkok@kotra.example"
    bangkok_centre.save(update_fields=["email"])
    meeting = _meeting(roadshow)

    emails.meeting_notify(meeting=meeting, change="booked")

    for address, message in _by_recipient().items():
        part, calendar = _calendar(message)
        assert (part.get_content_type(), part.get_param("method")) == ("text/calendar", "REQUEST")
        assert part.get_filename() == f"meeting-{meeting.pk}.ics"
        [vevent] = calendar.events
        assert (calendar["METHOD"], vevent["STATUS"]) == ("REQUEST", "CONFIRMED")
        assert vevent["UID"] == f"meeting-{meeting.pk}@k-smartcity.example"
        assert str(vevent["ATTENDEE"]) == f"mailto:{address}"
        assert str(vevent["ORGANIZER"]) == "mailto:bangkok@kotra.example"
        assert vevent.start.astimezone(dt.UTC) == dt.datetime(2031, 10, 6, 2, 30, tzinfo=dt.UTC)
        assert message.reply_to == ["bangkok@kotra.example"]


def test_without_a_centre_address_the_portal_organises_and_nobody_is_replied_to(roadshow):
    emails.meeting_notify(meeting=_meeting(roadshow), change="booked")

    message = mail.outbox[0]
    assert str(_calendar(message)[1].events[0]["ORGANIZER"]) == "mailto:portal@k-smartcity.example"
    assert message.reply_to == []


def test_booking_email_shows_the_event_time_and_the_recipients_own(roadshow):
    emails.meeting_notify(meeting=_meeting(roadshow), change="booked")

    by_recipient = _by_recipient()
    assert by_recipient["sme_owner@example.com"].body == (
        "Hello,\n\n"
        "A 1:1 consultation between Seoul Traffic Systems and Khon Kaen City Municipality is booked.\n\n"
        f"Event: {EVENT} — {VENUE}, Bangkok\n"
        "When: Oct. 6, 2031 09:30–10:00 (Asia/Bangkok, UTC+07:00)\n"
        "Your time: Oct. 6, 2031 11:30–12:00 (Asia/Seoul, UTC+09:00)\n"
        "Korean company: Seoul Traffic Systems\n"
        "Buyer: Khon Kaen City Municipality\n"
        "Table: T07\n"
        f"Interpreter: {INTERPRETER}\n\n"
        "Open the attached calendar file to add the meeting to your calendar.\n\n"
        "— K-Smart City export portal\n"
    )
    assert "Your time: Oct. 6, 2031 05:30–06:00 (Europe/Istanbul, UTC+03:00)" in (
        by_recipient["minjun@example.com"].body
    )
    assert "Your time" not in by_recipient["buyer@example.com"].body
    interpreter_body = by_recipient[INTERPRETER_EMAIL].body
    assert (
        "You interpret at this 1:1 consultation between Seoul Traffic Systems and Khon Kaen"
        in interpreter_body
    )
    assert "Your time" not in interpreter_body


def test_names_in_the_text_email_are_not_html_escaped(roadshow, sme_owner):
    company = sme_owner.company
    company.name_en = "O'Neil & Kim Smart Tech"
    company.save(update_fields=["name_en"])

    emails.meeting_notify(meeting=_meeting(roadshow), change="booked")

    assert "Korean company: O'Neil & Kim Smart Tech\n" in mail.outbox[0].body


def test_change_email_sends_a_request_that_replaces_the_booked_one(roadshow):
    emails.meeting_notify(meeting=_meeting(roadshow), change="booked")
    booked = _calendar(mail.outbox[0])[1].events[0]
    Meeting.objects.filter(pk=roadshow["meeting"].pk).update(sequence=1)
    mail.outbox.clear()

    emails.meeting_notify(meeting=_meeting(roadshow), change="changed")

    message = _by_recipient()["sme_owner@example.com"]
    assert message.subject == SUBJECT.format(change="changed")
    assert "has changed. This is what holds now:" in message.body
    part, calendar = _calendar(message)
    changed = calendar.events[0]
    assert (part.get_param("method"), calendar["METHOD"], changed["STATUS"]) == (
        "REQUEST",
        "REQUEST",
        "CONFIRMED",
    )
    assert changed["UID"] == booked["UID"]
    assert (booked["SEQUENCE"], changed["SEQUENCE"]) == (0, 1)


def test_cancellation_email_sends_a_cancel_to_everyone(roadshow):
    Meeting.objects.filter(pk=roadshow["meeting"].pk).update(status=Meeting.Status.CANCELLED)

    emails.meeting_notify(meeting=_meeting(roadshow), change="cancelled")

    assert len(mail.outbox) == 4
    for message in mail.outbox:
        assert message.subject == SUBJECT.format(change="cancelled")
        assert "is cancelled. Its slot is free again." in message.body
        part, calendar = _calendar(message)
        assert (part.get_param("method"), calendar["METHOD"], calendar.events[0]["STATUS"]) == (
            "CANCEL",
            "CANCEL",
            "CANCELLED",
        )


def test_interpreter_taken_off_a_meeting_gets_a_cancel_and_the_new_one_a_request(roadshow):
    meeting = roadshow["meeting"]
    former = meeting.interpreter
    meeting.interpreter = factories.InterpreterFactory(
        event=roadshow["event"], name="Lee Jisoo", email="jisoo@interpret.example"
    )
    meeting.save(update_fields=["interpreter"])

    sent = emails.meeting_notify(meeting=_meeting(roadshow), change="changed", former_interpreter=former)

    assert sent == 5
    by_recipient = _by_recipient()
    assert _calendar(by_recipient["jisoo@interpret.example"])[1]["METHOD"] == "REQUEST"
    released = by_recipient[INTERPRETER_EMAIL]
    assert released.subject == (
        f"You no longer interpret at {EVENT}: Seoul Traffic Systems and Khon Kaen City Municipality"
    )
    assert _calendar(released)[1]["METHOD"] == "CANCEL"


def test_meeting_without_interpreter_or_interpreter_address_mails_the_parties_only(roadshow):
    Meeting.objects.filter(pk=roadshow["meeting"].pk).update(interpreter=None)

    assert emails.meeting_notify(meeting=_meeting(roadshow), change="booked") == 3
    assert INTERPRETER_EMAIL not in _by_recipient()


def test_korean_email_writes_dates_the_korean_way(roadshow, sme_owner):
    User.objects.filter(pk=sme_owner.pk).update(language="")  # a Korean company's member: Korean

    with translation.override("en"):  # whoever booked it reads English
        emails.meeting_notify(meeting=_meeting(roadshow), change="booked")

    assert (
        "2031년 10월 6일 11:30–12:00 (Asia/Seoul, UTC+09:00)" in _by_recipient()["sme_owner@example.com"].body
    )


def test_an_unknown_change_is_refused(roadshow):
    with pytest.raises(ValueError, match="change must be one of"):
        emails.meeting_notify(meeting=_meeting(roadshow), change="requested")
    assert mail.outbox == []


# ---------------------------------------------------------------- meeting requests
@pytest.fixture
def meeting_request(roadshow, sme_owner):
    return factories.MeetingRequestFactory(
        event=roadshow["event"], sme=roadshow["sme"], buyer=roadshow["buyer"], requested_by=sme_owner
    )


def test_request_emails_both_parties_without_a_calendar_file(meeting_request):
    sent = emails.meeting_request_notify(meeting_request=meeting_request, change="requested")

    assert sent == 3
    by_recipient = _by_recipient()
    assert sorted(by_recipient) == ["buyer@example.com", "minjun@example.com", "sme_owner@example.com"]
    assert {m.subject for m in mail.outbox} == {
        f"Meeting request at {EVENT}: Seoul Traffic Systems and Khon Kaen City Municipality"
    }
    assert all(m.attachments == [] for m in mail.outbox)
    # The company asked: its members are told it is sent, the buyer's that it waits for their answer.
    assert (
        "is sent. You will get an e-mail when the other side answers."
        in by_recipient["sme_owner@example.com"].body
    )
    assert by_recipient["buyer@example.com"].body == (
        "Hello,\n\n"
        "A 1:1 consultation between Seoul Traffic Systems and Khon Kaen City Municipality at "
        f"{EVENT} is requested.\n\n"
        "Log in to the K-Smart City export portal to answer it under “My organisation”.\n\n"
        "— K-Smart City export portal\n"
    )


@pytest.mark.parametrize("change", ["accepted", "declined"])
def test_an_answer_is_emailed_to_both_parties(meeting_request, change):
    sent = emails.meeting_request_notify(meeting_request=meeting_request, change=change)

    assert sent == 3
    assert {m.subject for m in mail.outbox} == {
        f"Meeting request {change} at {EVENT}: Seoul Traffic Systems and Khon Kaen City Municipality"
    }
    assert all(f"at {EVENT} is {change}." in m.body for m in mail.outbox)


def test_a_request_change_must_be_a_request_change(meeting_request):
    with pytest.raises(ValueError, match="change must be one of"):
        emails.meeting_request_notify(meeting_request=meeting_request, change="booked")
