"""Meeting reminders (booking.reminders): the evening before each event day (the day's meetings and a .ics)
and 30 minutes before each meeting (table, interpreter, the other side's card), to both sides' members
and the interpreter, in their language; never for a cancelled meeting or a member who turned them off;
once however often the task runs; and a correction, never a stale reminder, when the meeting then moves
or is cancelled.

The Bangkok roadshow's first pair meets on 6 October 2031 at 09:30 Bangkok time (02:30 UTC) at T07 with
Kim Soyeon. The evening before opens at 18:00 Bangkok time on the 5th (11:00 UTC); 30 minutes before is
02:00 UTC on the 6th.
"""

import contextlib
import datetime as dt
import re
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from matching.companies.models import Company
from matching.consultations.booking import reminders, services, tasks
from matching.consultations.booking.models import Meeting, MeetingReminder
from matching.consultations.events.models import Event, ProgrammeParticipant, ProgrammeSession
from portal.accounts.models import User
from portal.privacy.erasure import account_erase
from portal.privacy.export import personal_data
from tests import factories
from tests.consultations.conftest import JISOO, PAIR, SOYEON, by_recipient, utc
from tests.consultations.test_agendas import EVENT

pytestmark = pytest.mark.django_db

SME, BUYER = "sme_owner@example.com", "buyer@example.com"
EVENING = utc(5, 12)  # 19:00 in Bangkok the evening before
SOON = utc(6, 2, 5)  # 09:05 in Bangkok, the meeting at 09:30


@contextlib.contextmanager
def clock(now):
    with mock.patch("django.utils.timezone.now", return_value=now):
        yield


@pytest.fixture
def beat(django_capture_on_commit_callbacks):
    """Run the periodic task at `now` with its e-mail tasks; returns how many rows it claimed."""

    def run(now):
        with clock(now), django_capture_on_commit_callbacks(execute=True):
            return tasks.meeting_reminders_send()

    return run


@pytest.fixture
def later(roadshow, booked):
    """The first company's second meeting that day, at 10:00 at T08 with the second buyer (no members)."""
    return factories.MeetingFactory(
        slot=roadshow.slot_1000, sme=roadshow.sme, buyer=roadshow.buyer2, table=roadshow.t08
    )


def _ics_uids(message):
    [part] = message.attachments
    return [str(vevent["UID"]) for vevent in Calendar.from_ical(part.get_payload(decode=True)).events]


# ---------------------------------------------------------------- the evening before
def test_the_evening_before_both_sides_and_the_interpreter_get_the_days_meetings_with_a_calendar(
    beat, booked, later
):
    beat(EVENING)

    messages = by_recipient()
    assert sorted(messages) == [BUYER, SME, SOYEON]
    assert {m.subject for m in mail.outbox} == {f"Reminder: your meetings at {EVENT} on Oct. 6, 2031"}
    company = messages[SME].body
    assert "A reminder of your 2 meetings at " + EVENT in company
    assert "1. Event: " in company and "2. Event: " in company
    assert "When: Oct. 6, 2031 09:30–10:00 (Asia/Bangkok, UTC+07:00)" in company
    assert "Your time: Oct. 6, 2031 11:30–12:00 (Asia/Seoul, UTC+09:00)" in company
    assert "Table: T07" in company and "Table: T08" in company
    assert _ics_uids(messages[SME]) == [
        f"meeting-{booked.pk}@k-smartcity.example",
        f"meeting-{later.pk}@k-smartcity.example",
    ]
    assert _ics_uids(messages[BUYER]) == [f"meeting-{booked.pk}@k-smartcity.example"]
    assert "Interpreter: Kim Soyeon" in messages[SOYEON].body
    assert "To turn them off: http" in company and "/accounts/settings/" in company
    assert "you interpret at this meeting. To stop reminders, reply to this e-mail." in messages[SOYEON].body
    assert set(MeetingReminder.objects.values_list("meeting_id", "email", "sequence")) == {
        (booked.pk, SME, 0),
        (later.pk, SME, 0),
        (booked.pk, BUYER, 0),
        (booked.pk, SOYEON, 0),
    }


def test_the_evening_reminder_opens_at_six_in_the_events_time_zone(beat, booked):
    assert beat(utc(5, 10, 59)) == 0  # 17:59 in Bangkok

    assert beat(utc(5, 11)) == 3

    assert sorted(by_recipient()) == [BUYER, SME, SOYEON]


def test_after_midnight_in_the_events_zone_no_day_before_reminder_goes(beat, booked):
    assert beat(utc(5, 17)) == 0  # 00:00 on the 6th in Bangkok (still the 5th in UTC)

    assert mail.outbox == []


def test_a_meeting_booked_after_the_evening_reminder_is_reminded_at_once(beat, roadshow, booked):
    beat(EVENING)
    mail.outbox.clear()
    factories.MeetingFactory(
        slot=roadshow.slot_1000, sme=roadshow.sme, buyer=roadshow.buyer2, table=roadshow.t08
    )

    beat(utc(5, 14))

    assert sorted(by_recipient()) == [SME]
    assert "A reminder of your 2 meetings at " in mail.outbox[0].body


# ---------------------------------------------------------------- 30 minutes before
def test_thirty_minutes_before_each_side_gets_the_table_the_interpreter_and_the_partners_card(
    beat, roadshow, booked, sme_owner, buyer
):
    User.objects.filter(pk=buyer.pk).update(time_zone="Asia/Bangkok")
    Company.objects.filter(pk=sme_owner.company_id).update(
        contact_name="Kim Min-jun", contact_phone="+82 2 555 0100"
    )
    factories.SolutionFactory(company=sme_owner.company, name_en="Adaptive traffic lights")
    factories.DemandFactory(buyer=buyer.buyer_organisation, title_en="Flood sensors", published=True)
    assert beat(utc(6, 1, 59)) == 0  # 31 minutes before

    beat(SOON)

    messages = by_recipient()
    assert sorted(messages) == [BUYER, SME, SOYEON]
    assert messages[BUYER].subject == f"Starting soon at {EVENT}: {PAIR}, 09:30–10:00"  # in Bangkok
    assert messages[SME].subject == f"Starting soon at {EVENT}: {PAIR}, 11:30–12:00"  # in Seoul
    company, city = messages[SME].body, messages[BUYER].body
    assert "Table: T07" in company and "Interpreter: Kim Soyeon" in company
    assert "Who you meet:\nBuyer: Khon Kaen City Municipality" in company
    assert "Demand listings: Flood sensors" in company
    assert "Who you meet:\nKorean company: Seoul Traffic Systems\n  contact person: Kim Min-jun\n" in city
    assert "  contact phone: +82 2 555 0100\n" in city
    assert "Solutions: Adaptive traffic lights" in city
    assert "Demand listings: Flood sensors" in messages[SOYEON].body
    assert "Solutions: Adaptive traffic lights" in messages[SOYEON].body


def test_after_the_meeting_started_no_reminder_goes(beat, booked):
    assert beat(utc(6, 2, 30)) == 0

    assert mail.outbox == []


# ---------------------------------------------------------------- once, and not to the wrong people
def test_running_the_task_twice_sends_each_reminder_once(beat, booked):
    first = beat(EVENING)
    second = beat(utc(5, 12, 5))

    assert (first, second) == (3, 0)
    assert len(mail.outbox) == 3


def test_a_retried_send_task_sends_nothing_again(beat, booked):
    beat(EVENING)
    ids = list(MeetingReminder.objects.values_list("pk", flat=True))

    with clock(EVENING):
        assert tasks.meeting_reminder_send(ids) == 0

    assert len(mail.outbox) == 3


def test_no_reminder_is_sent_for_a_cancelled_meeting(beat, booked, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=booked, cancelled_by=None)
    mail.outbox.clear()

    assert beat(EVENING) == 0
    assert beat(SOON) == 0

    assert mail.outbox == []
    assert MeetingReminder.objects.count() == 0


def test_a_meeting_cancelled_between_the_claim_and_the_sending_gets_no_reminder(
    booked, django_capture_on_commit_callbacks
):
    with clock(EVENING), django_capture_on_commit_callbacks(execute=False) as waiting:
        tasks.meeting_reminders_send()
    Meeting.objects.filter(pk=booked.pk).update(status=Meeting.Status.CANCELLED, sequence=1)

    with clock(EVENING):
        for callback in waiting:
            callback()

    assert mail.outbox == []
    assert MeetingReminder.objects.count() == 0


def test_members_who_turned_reminders_off_get_none(beat, booked, buyer):
    User.objects.filter(pk=buyer.pk).update(meeting_reminders=False)

    beat(EVENING)
    beat(SOON)

    assert sorted(message.to[0] for message in mail.outbox) == [SME, SME, SOYEON, SOYEON]


def test_a_member_who_turns_reminders_off_after_the_claim_gets_none(
    booked, buyer, django_capture_on_commit_callbacks
):
    with clock(EVENING), django_capture_on_commit_callbacks(execute=False) as waiting:
        tasks.meeting_reminders_send()
    User.objects.filter(pk=buyer.pk).update(meeting_reminders=False)

    with clock(EVENING):
        for callback in waiting:
            callback()

    assert sorted(by_recipient()) == [SME, SOYEON]


# ---------------------------------------------------------------- corrections
def _change(django_capture_on_commit_callbacks, now, **changes):
    with clock(now), django_capture_on_commit_callbacks(execute=True):
        meeting = Meeting.objects.get()
        if changes:
            services.meeting_change(meeting=meeting, changed_by=None, **changes)
        else:
            services.meeting_cancel(meeting=meeting, cancelled_by=None, reason="The mayor is away.")


def _corrections():
    return {m.to[0]: m for m in mail.outbox if m.subject.startswith("Correction")}


def test_a_move_after_the_reminder_brings_a_correction_that_says_what_changed(
    beat, roadshow, booked, django_capture_on_commit_callbacks
):
    beat(EVENING)
    mail.outbox.clear()

    _change(
        django_capture_on_commit_callbacks,
        utc(5, 13),
        slot=roadshow.slot_1000,
        table=roadshow.t08,
        interpreter=roadshow.jisoo,
    )

    corrections = _corrections()
    assert sorted(corrections) == [BUYER, SME, SOYEON]  # Lee Jisoo was never reminded: nothing to correct
    assert corrections[SME].subject == f"Correction: changed at {EVENT}: {PAIR}"
    company = corrections[SME].body
    seoul = "(Asia/Seoul, UTC+09:00)"
    assert f"When: Oct. 6, 2031 11:30–12:00 {seoul} → Oct. 6, 2031 12:00–12:30 {seoul}" in company
    assert "Where: Table T07 → Table T08" in company
    assert "Interpreter: Kim Soyeon → Lee Jisoo" in company
    assert "You no longer interpret at this meeting." in corrections[SOYEON].body
    assert "You no longer interpret" not in company

    mail.outbox.clear()
    beat(utc(5, 13, 5))
    assert sorted(by_recipient()) == [JISOO]  # the new interpreter's own reminder; nobody else again
    assert "Interpreter: Lee Jisoo" in mail.outbox[0].body
    assert "Correction" not in mail.outbox[0].subject


def test_an_interpreter_taken_off_the_meeting_hears_of_no_later_change(
    beat, roadshow, booked, django_capture_on_commit_callbacks
):
    beat(EVENING)
    _change(django_capture_on_commit_callbacks, utc(5, 13), interpreter=roadshow.jisoo)
    beat(utc(5, 13, 5))  # Lee Jisoo's own reminder
    mail.outbox.clear()

    _change(django_capture_on_commit_callbacks, utc(5, 14), table=roadshow.t08)

    assert sorted(_corrections()) == [BUYER, JISOO, SME]
    assert "Where: Table T07 → Table T08" in _corrections()[JISOO].body


def test_a_move_to_the_next_day_is_corrected_and_reminded_again_the_evening_before_it(
    beat, roadshow, booked, django_capture_on_commit_callbacks
):
    beat(EVENING)
    mail.outbox.clear()

    _change(django_capture_on_commit_callbacks, utc(5, 13), slot=roadshow.slot_day2)
    assert sorted(_corrections()) == [BUYER, SME, SOYEON]
    mail.outbox.clear()

    assert beat(SOON) == 0  # the old time: no stale reminder
    beat(utc(6, 12))  # 19:00 in Bangkok on the 6th

    assert sorted(by_recipient()) == [BUYER, SME, SOYEON]
    assert {m.subject for m in mail.outbox} == {f"Reminder: your meetings at {EVENT} on Oct. 7, 2031"}


def test_a_cancellation_after_the_reminder_brings_a_correction_and_no_later_reminder(
    beat, booked, django_capture_on_commit_callbacks
):
    beat(EVENING)
    mail.outbox.clear()

    _change(django_capture_on_commit_callbacks, utc(5, 13))

    corrections = _corrections()
    assert sorted(corrections) == [BUYER, SME, SOYEON]
    assert corrections[BUYER].subject == f"Correction: cancelled at {EVENT}: {PAIR}"
    assert "that we reminded you of is cancelled. Please disregard the reminder." in corrections[BUYER].body
    assert "Reason: The mayor is away." in corrections[BUYER].body
    mail.outbox.clear()

    assert beat(utc(5, 13, 5)) == 0
    assert beat(SOON) == 0
    assert mail.outbox == []


def test_a_change_missed_by_the_meetings_own_task_is_corrected_by_the_next_run(beat, booked):
    beat(EVENING)
    mail.outbox.clear()
    Meeting.objects.filter(pk=booked.pk).update(status=Meeting.Status.CANCELLED, sequence=1)

    beat(utc(5, 13))
    beat(utc(5, 13, 5))

    assert sorted(_corrections()) == [BUYER, SME, SOYEON]
    assert len(mail.outbox) == 3


def test_a_change_before_any_reminder_went_brings_no_correction(
    beat, roadshow, booked, django_capture_on_commit_callbacks
):
    _change(django_capture_on_commit_callbacks, utc(5, 9), table=roadshow.t08)
    mail.outbox.clear()

    beat(EVENING)

    assert _corrections() == {}
    assert "Table: T08" in by_recipient()[SME].body


# ---------------------------------------------------------------- the recipient's language
def test_each_recipient_reads_the_reminder_in_their_language_and_calendar(beat, booked, sme_owner, buyer):
    User.objects.filter(pk=sme_owner.pk).update(language="ko")
    User.objects.filter(pk=buyer.pk).update(language="th", buddhist_era=True)

    beat(EVENING)

    messages = by_recipient()
    assert "2031년 10월 6일" in messages[SME].subject
    assert "일시: 2031년 10월 6일 09:30–10:00" in messages[SME].body  # "When", already translated
    assert "When:" not in messages[SME].body
    assert "2574" in messages[BUYER].subject  # 2031 in the Buddhist era
    assert "2031" not in messages[BUYER].subject
    assert "Oct. 6, 2031" in messages[SOYEON].subject  # no account: the portal's default language


# ---------------------------------------------------------------- the member's choice
def test_a_member_turns_reminders_off_and_on_in_their_settings(client, buyer):
    client.force_login(buyer)
    page = client.get("/accounts/settings/").content.decode()
    assert "Meeting reminders by e-mail" in page
    [checkbox] = re.findall(r'<input[^>]*name="meeting_reminders"[^>]*>', page)
    assert " checked" in checkbox

    client.post("/accounts/settings/", {"language": "en", "time_zone": "Asia/Bangkok"})
    buyer.refresh_from_db()
    assert buyer.meeting_reminders is False

    client.post(
        "/accounts/settings/", {"language": "en", "time_zone": "Asia/Bangkok", "meeting_reminders": "on"}
    )
    buyer.refresh_from_db()
    assert buyer.meeting_reminders is True


def test_switching_the_language_keeps_reminders_off(client, buyer):
    User.objects.filter(pk=buyer.pk).update(meeting_reminders=False)
    client.force_login(buyer)

    client.get("/language/ko/?next=/accounts/")

    buyer.refresh_from_db()
    assert (buyer.language, buyer.meeting_reminders) == ("ko", False)


def test_the_members_data_export_lists_their_reminder_choice_and_the_reminders_they_got(beat, booked, buyer):
    User.objects.filter(pk=buyer.pk).update(meeting_reminders=True)
    beat(EVENING)
    buyer.refresh_from_db()

    sections = {section.key: section for section in personal_data(buyer)}

    account = sections["account"].as_json()[0]
    assert account["meeting_reminders"] is True
    [reminder] = sections["consultations.meetingreminder.user"].as_json()
    assert (reminder["kind"], reminder["email"]) == ("The day before", BUYER)


def test_erasing_a_member_deletes_the_records_of_their_reminders(beat, booked, buyer):
    beat(EVENING)

    account_erase(user=buyer)

    assert sorted(MeetingReminder.objects.values_list("email", flat=True)) == [SME, SOYEON]


def test_the_records_are_forgotten_thirty_days_after_the_meeting(beat, booked):
    beat(EVENING)

    beat(utc(6, 3) + dt.timedelta(days=30))  # the meeting ended at 03:00 UTC on the 6th
    assert MeetingReminder.objects.count() == 3
    beat(utc(6, 3, 1) + dt.timedelta(days=30))
    assert MeetingReminder.objects.count() == 0


def test_the_evening_reminder_carries_the_days_programme_on_the_members_agenda(beat, roadshow, booked):
    bangkok = dt.timezone(dt.timedelta(hours=7))
    pitch = ProgrammeSession.objects.create(
        event=roadshow.event,
        kind=ProgrammeSession.Kind.IR_PITCH,
        title="IR pitches",
        room="Hall C",
        starts_at=dt.datetime(2031, 10, 6, 14, tzinfo=bangkok),
        ends_at=dt.datetime(2031, 10, 6, 15, tzinfo=bangkok),
        open_to_all=False,
    )
    ProgrammeParticipant.objects.create(session=pitch, registration=roadshow.sme, role="speaker")
    ProgrammeSession.objects.create(  # the next day's: not in this evening's e-mail
        event=roadshow.event,
        title="Closing",
        starts_at=dt.datetime(2031, 10, 7, 16, tzinfo=bangkok),
        ends_at=dt.datetime(2031, 10, 7, 17, tzinfo=bangkok),
    )

    beat(EVENING)

    messages = by_recipient()
    assert "The day's programme:\n14:00–15:00 (Your time: 16:00–17:00) IR pitches, Hall C — you speak\n" in (
        messages[SME].body
    )
    assert f"programme-session-{pitch.pk}@k-smartcity.example" in _ics_uids(messages[SME])
    assert "IR pitches" not in messages[BUYER].body  # not on the buyer's agenda
    assert "Closing" not in messages[SME].body


def test_a_draft_events_meetings_get_no_reminder(beat, roadshow, booked):
    Event.objects.filter(pk=roadshow.event.pk).update(status=Event.Status.DRAFT)

    assert beat(EVENING) == 0
    assert beat(SOON) == 0


def test_the_evening_opens_at_six_in_whichever_zone_the_event_keeps(beat, roadshow, booked):
    Event.objects.filter(pk=roadshow.event.pk).update(time_zone="Europe/Istanbul")  # 02:30 UTC is 05:30

    assert beat(utc(5, 14, 59)) == 0  # 17:59 in Istanbul, 21:59 in Bangkok
    assert beat(utc(5, 15)) == 3


def test_claiming_asks_as_many_queries_for_one_meeting_as_for_many(
    roadshow, booked, django_capture_on_commit_callbacks
):
    def claim_queries():
        MeetingReminder.objects.all().delete()
        with clock(EVENING), django_capture_on_commit_callbacks(execute=False):
            with CaptureQueriesContext(connection) as queries:
                reminders.reminders_claim()
        return len(queries)

    one = claim_queries()
    factories.MeetingFactory(
        slot=roadshow.slot_1000, sme=roadshow.sme2, buyer=roadshow.buyer, table=roadshow.t08
    )
    factories.MeetingFactory(
        slot=roadshow.slot_1000, sme=roadshow.sme, buyer=roadshow.buyer2, table=roadshow.t07
    )
    factories.MeetingFactory(
        slot=roadshow.slot_0930, sme=roadshow.sme2, buyer=roadshow.buyer2, table=roadshow.t08
    )
    many = claim_queries()

    # The first pair's 3 people, and one member for each meeting with one side that has members.
    assert MeetingReminder.objects.count() == 3 + 1 + 1
    assert one == many


def test_a_member_who_left_the_organisation_gets_no_correction(
    beat, roadshow, booked, buyer, django_capture_on_commit_callbacks
):
    beat(EVENING)
    other = factories.BuyerOrganisationFactory(name="Phuket City")
    User.objects.filter(pk=buyer.pk).update(buyer_organisation=other)
    mail.outbox.clear()

    _change(django_capture_on_commit_callbacks, utc(5, 13), table=roadshow.t08)

    assert sorted(_corrections()) == [SME, SOYEON]
    assert not MeetingReminder.objects.filter(email=BUYER).exists()
