"""Meetings started by a scan at their table: the right table starts the meeting (and checks the participant
in), a wrong table or no meeting starts nothing and says where the meeting is, a second scan keeps the first
start, and codes refused at the door are refused at the table too, recording nothing."""

import datetime as dt

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from matching.consultations.booking.meeting_starts import meeting_start_at_table
from matching.consultations.booking.models import Meeting
from matching.consultations.events import check_in
from matching.consultations.events.models import Arrival
from tests import factories
from tests.races import at_once


@pytest.fixture
def table_event(bangkok_centre):
    """Bangkok's roadshow today: Seoul Traffic Systems meets Khon Kaen at A1 at 14:00, and another buyer at
    B2 at 14:30; A1 has another pair at 14:30."""
    event = factories.event_today(bangkok_centre, name="Roadshow Tables")
    starts = dt.datetime.combine(event.start_date, dt.time(14), tzinfo=event.zone)
    first = factories.TimeSlotFactory(
        event=event, starts_at=starts, ends_at=starts + dt.timedelta(minutes=30)
    )
    second = factories.TimeSlotFactory(
        event=event, starts_at=starts + dt.timedelta(minutes=30), ends_at=starts + dt.timedelta(minutes=60)
    )
    a1 = factories.TableFactory(event=event, name="A1")
    b2 = factories.TableFactory(event=event, name="B2")
    sme = factories.SmeRegistrationFactory(event=event, company__name_en="Seoul Traffic Systems")
    buyer = factories.BuyerRegistrationFactory(event=event, buyer__name="Khon Kaen City Municipality")
    meeting = factories.MeetingFactory(slot=first, table=a1, sme=sme, buyer=buyer)
    later = factories.MeetingFactory(
        slot=second, table=b2, sme=sme, buyer=factories.BuyerRegistrationFactory(event=event)
    )
    next_at_a1 = factories.MeetingFactory(slot=second, table=a1)
    staff = factories.CentreStaffFactory(trade_centre=bangkok_centre)
    return {
        "event": event,
        "starts": starts,
        "a1": a1,
        "b2": b2,
        "sme": sme,
        "buyer": buyer,
        "meeting": meeting,
        "later": later,
        "next_at_a1": next_at_a1,
        "staff": staff,
    }


def _scan(world, value, table="a1", minutes=0):
    return meeting_start_at_table(
        event=world["event"],
        table=world[table],
        value=value,
        recorded_by=world["staff"],
        now=world["starts"] + dt.timedelta(minutes=minutes),
    )


def _at_door(world, registration, minutes=-15):
    """`registration` checks in at the door `minutes` after the first slot's start."""
    check_in.arrival_record(
        event=world["event"],
        value=registration.check_in_code,
        recorded_by=world["staff"],
        now=world["starts"] + dt.timedelta(minutes=minutes),
    )


def _started(meeting):
    return Meeting.objects.values_list("started_at", flat=True).get(pk=meeting.pk)


def test_a_scan_at_the_right_table_checks_in_and_starts_the_meeting(table_event):
    _at_door(table_event, table_event["buyer"])

    outcome = _scan(table_event, check_in.qr_token(table_event["sme"]), minutes=2)

    assert outcome.status == "started"
    assert outcome.meeting == table_event["meeting"]
    assert outcome.message == (
        "Seoul Traffic Systems checked in at 14:02. The meeting of Seoul Traffic Systems and Khon Kaen City "
        "Municipality at table A1 started at 14:02."
    )
    assert _started(table_event["meeting"]) == table_event["starts"] + dt.timedelta(minutes=2)
    assert sorted(Arrival.objects.values_list("registration", flat=True)) == sorted(
        [table_event["sme"].pk, table_event["buyer"].pk]
    )


def test_one_side_at_the_table_waits_for_the_other_and_their_scan_starts_it(table_event):
    world = table_event

    alone = _scan(world, world["sme"].check_in_code, minutes=1)
    both = _scan(world, world["buyer"].check_in_code, minutes=6)

    assert alone.status == "waiting"
    assert alone.message == (
        "Seoul Traffic Systems checked in at 14:01. The meeting at table A1 starts when Khon Kaen City "
        "Municipality checks in too."
    )
    assert both.status == "started"
    assert _started(world["meeting"]) == world["starts"] + dt.timedelta(minutes=6)


def test_a_buyer_who_never_comes_leaves_the_meeting_not_started(table_event):
    """One side sat at the table is no meeting held: the log keeps flagging the buyer as a likely no-show."""
    _scan(table_event, table_event["sme"].check_in_code, minutes=-5)

    assert _started(table_event["meeting"]) is None


def test_a_meeting_can_start_a_few_minutes_before_its_slot_by_the_typed_code(table_event):
    _at_door(table_event, table_event["sme"])

    outcome = _scan(table_event, table_event["buyer"].check_in_code, minutes=-8)

    assert outcome.status == "started"
    assert _started(table_event["meeting"]) == table_event["starts"] - dt.timedelta(minutes=8)


def test_a_participant_already_checked_in_at_the_door_starts_the_meeting_without_a_second_arrival(
    table_event,
):
    world = table_event
    _at_door(world, world["sme"], minutes=0)
    _at_door(world, world["buyer"], minutes=0)

    outcome = _scan(world, world["sme"].check_in_code, minutes=1)

    assert outcome.status == "started"
    assert outcome.message == (
        "The meeting of Seoul Traffic Systems and Khon Kaen City Municipality at table A1 started at 14:01."
    )
    assert Arrival.objects.count() == 2


def test_a_scan_at_the_wrong_table_starts_nothing_and_says_where_the_meeting_is(table_event):
    outcome = _scan(table_event, table_event["sme"].check_in_code, table="b2", minutes=1)

    assert outcome.status == "not_here"
    assert outcome.message == (
        "Seoul Traffic Systems checked in at 14:01. Seoul Traffic Systems has no meeting at table B2 now: "
        "nothing was started. Their next meeting is at table A1, at 14:00."
    )
    assert Meeting.objects.exclude(started_at=None).count() == 0
    assert Arrival.objects.count() == 1


def test_a_scan_too_early_starts_nothing_and_names_the_meeting_to_come(table_event):
    outcome = _scan(table_event, table_event["sme"].check_in_code, table="b2", minutes=5)

    assert outcome.status == "not_here"
    assert outcome.message.endswith("Their next meeting is at table A1, at 14:00.")
    assert Meeting.objects.exclude(started_at=None).count() == 0


def test_a_participant_with_no_meeting_left_today_is_told_so(table_event):
    outcome = _scan(table_event, table_event["buyer"].check_in_code, minutes=35)

    assert outcome.status == "not_here"
    assert outcome.message.endswith(
        "Khon Kaen City Municipality has no meeting at table A1 now: nothing was started. "
        "They have no other meeting today."
    )
    assert Meeting.objects.exclude(started_at=None).count() == 0


def test_an_online_meeting_is_named_as_online(table_event):
    world = table_event
    Meeting.objects.filter(pk=world["later"].pk).update(
        table=None, mode="online", online_link="https://x.test"
    )

    outcome = _scan(world, world["sme"].check_in_code, table="b2", minutes=31)

    assert outcome.message.endswith("Their next meeting is online, at 14:30.")


def test_starting_twice_keeps_the_first_start(table_event):
    world = table_event
    _at_door(world, world["buyer"], minutes=-5)
    first = _scan(world, world["sme"].check_in_code, minutes=1)

    again = _scan(world, world["buyer"].check_in_code, minutes=4)

    assert (first.status, again.status) == ("started", "already_started")
    assert again.message == (
        "The meeting of Seoul Traffic Systems and Khon Kaen City Municipality at table A1 already started at "
        "14:01."
    )
    assert _started(world["meeting"]) == world["starts"] + dt.timedelta(minutes=1)


def test_back_to_back_at_one_table_the_next_scan_starts_the_next_meeting(table_event):
    world = table_event
    Meeting.objects.filter(pk=world["next_at_a1"].pk).delete()
    Meeting.objects.filter(pk=world["later"].pk).update(table=world["a1"])
    _at_door(world, world["buyer"])
    _at_door(world, world["later"].buyer)
    first = _scan(world, world["sme"].check_in_code, minutes=0)

    outcome = _scan(world, world["sme"].check_in_code, minutes=25)

    assert first.meeting == world["meeting"]
    assert outcome.status == "started"
    assert outcome.meeting == world["later"]


def test_near_the_end_of_a_meeting_never_started_a_scan_starts_the_next_one(table_event):
    """Both came through the door at 14:00 and nobody scanned at the table; at 14:25 the company's code is
    scanned for its 14:30 meeting at the same table: that one starts, not the one ending."""
    world = table_event
    Meeting.objects.filter(pk=world["next_at_a1"].pk).delete()
    Meeting.objects.filter(pk=world["later"].pk).update(table=world["a1"])
    _at_door(world, world["later"].buyer)

    outcome = _scan(world, world["sme"].check_in_code, minutes=25)

    assert outcome.meeting == world["later"]
    assert _started(world["meeting"]) is None


def test_a_cancelled_meeting_is_not_started(table_event):
    Meeting.objects.filter(pk=table_event["meeting"].pk).update(status=Meeting.Status.CANCELLED)

    outcome = _scan(table_event, table_event["sme"].check_in_code, minutes=1)

    assert outcome.status == "not_here"
    assert _started(table_event["meeting"]) is None


def test_a_started_meeting_moved_to_another_table_is_no_longer_started(table_event):
    from matching.consultations.booking.services import meeting_change

    world = table_event
    _at_door(world, world["buyer"])
    _scan(world, world["sme"].check_in_code, minutes=1)
    Meeting.objects.filter(pk=world["later"].pk).delete()

    meeting_change(meeting=world["meeting"], changed_by=world["staff"], table=world["b2"])
    meeting_change(meeting=world["meeting"], changed_by=world["staff"], locked=True)

    assert _started(world["meeting"]) is None
    assert _scan(world, world["buyer"].check_in_code, table="b2", minutes=3).status == "started"


def test_locking_a_started_meeting_keeps_its_start(table_event):
    from matching.consultations.booking.services import meeting_change

    world = table_event
    _at_door(world, world["buyer"])
    _scan(world, world["sme"].check_in_code, minutes=1)

    meeting_change(meeting=world["meeting"], changed_by=world["staff"], locked=True)

    assert _started(world["meeting"]) == world["starts"] + dt.timedelta(minutes=1)


def test_another_events_code_is_refused_and_records_nothing(table_event):
    elsewhere = factories.SmeRegistrationFactory()

    by_qr = _scan(table_event, check_in.qr_token(elsewhere), minutes=1)
    typed = _scan(table_event, elsewhere.check_in_code, minutes=1)

    assert (by_qr.status, by_qr.message) == (
        "refused",
        "This QR code is for another event: nothing was recorded.",
    )
    assert (typed.status, typed.message) == (
        "refused",
        "This code is for another event: nothing was recorded.",
    )
    assert Arrival.objects.count() == 0
    assert Meeting.objects.exclude(started_at=None).count() == 0


def test_a_forged_code_is_refused_and_records_nothing(table_event):
    sme = table_event["sme"]
    forged = signing.dumps([table_event["event"].pk, sme.pk, sme.check_in_code], salt="another-salt")

    outcome = _scan(table_event, forged, minutes=1)

    assert (outcome.status, outcome.message) == (
        "refused",
        "This QR code is not one of ours: nothing was recorded.",
    )
    assert Arrival.objects.count() == 0
    assert Meeting.objects.exclude(started_at=None).count() == 0


def test_an_expired_code_is_refused_and_records_nothing(table_event):
    outcome = _scan(table_event, table_event["sme"].check_in_code, minutes=60 * 24)

    assert outcome.status == "refused"
    assert outcome.message.startswith("This code has expired: the event ended on ")
    assert Arrival.objects.count() == 0
    assert Meeting.objects.exclude(started_at=None).count() == 0


def test_a_table_of_another_event_is_a_programming_error(table_event):
    other_table = factories.TableFactory()

    with pytest.raises(ValueError):
        meeting_start_at_table(
            event=table_event["event"],
            table=other_table,
            value=table_event["sme"].check_in_code,
            recorded_by=table_event["staff"],
        )


# ---------------------------------------------------------------- pages


@pytest.fixture
def running_now(bangkok_centre, centre_staff):
    """Today's roadshow with a meeting at A1 whose slot began 5 minutes ago (by the clock), and table B2."""
    event = factories.event_today(bangkok_centre)
    slot = factories.slot_running_now(event)
    a1 = factories.TableFactory(event=event, name="A1")
    meeting = factories.MeetingFactory(slot=slot, table=a1)
    return {
        "event": event,
        "a1": a1,
        "b2": factories.TableFactory(event=event, name="B2"),
        "meeting": meeting,
    }


def _messages(response):
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def test_the_table_page_checks_in_and_starts_the_meeting(client, centre_staff, running_now):
    meeting = running_now["meeting"]
    check_in.arrival_record(
        event=running_now["event"], value=meeting.sme.check_in_code, recorded_by=centre_staff
    )
    client.force_login(centre_staff)
    url = reverse("consultations:table_check_in", args=[running_now["event"].pk, running_now["a1"].pk])

    response = client.post(url, {"code": check_in.qr_url(meeting.buyer)}, follow=True)

    assert response.redirect_chain == [(url, 302)]
    ((level, message),) = _messages(response)
    assert level == "success"
    assert f"The meeting of {meeting.sme} and {meeting.buyer} at table A1 started at " in message
    assert Meeting.objects.get(pk=meeting.pk).started_at is not None
    assert response.context["table_meetings"] == [meeting]
    assert b"started " in response.content


def test_the_wrong_tables_page_warns_and_starts_nothing(client, centre_staff, running_now):
    meeting = running_now["meeting"]
    client.force_login(centre_staff)
    url = reverse("consultations:table_check_in", args=[running_now["event"].pk, running_now["b2"].pk])

    response = client.post(url, {"code": meeting.sme.check_in_code}, follow=True)

    ((level, message),) = _messages(response)
    assert level == "warning"
    at = timezone.localtime(meeting.slot.starts_at, running_now["event"].zone).strftime("%H:%M")
    assert message.endswith(
        f"has no meeting at table B2 now: nothing was started. Their next meeting is at table A1, at {at}."
    )
    assert Meeting.objects.get(pk=meeting.pk).started_at is None


def test_a_forged_code_at_a_table_is_an_error_and_records_nothing(client, centre_staff, running_now):
    client.force_login(centre_staff)
    url = reverse("consultations:table_check_in", args=[running_now["event"].pk, running_now["a1"].pk])

    response = client.post(url, {"code": "WyIxIiwyXQ:1abc:forged"}, follow=True)

    assert _messages(response) == [("error", "This QR code is not one of ours: nothing was recorded.")]
    assert Arrival.objects.count() == 0


def test_the_door_page_goes_to_the_table_picked(client, centre_staff, running_now):
    event, a1 = running_now["event"], running_now["a1"]
    client.force_login(centre_staff)
    door = reverse("consultations:check_in", args=[event.pk])

    picked = client.get(door, {"table": a1.pk})
    at_the_door = client.get(door, {"table": ""})
    unknown = client.get(door, {"table": "x1"})
    other_events = client.get(door, {"table": factories.TableFactory().pk})

    assert picked.url == reverse("consultations:table_check_in", args=[event.pk, a1.pk])
    assert at_the_door.status_code == 200
    assert [t.name for t in at_the_door.context["tables"]] == ["A1", "B2"]
    assert (unknown.status_code, other_events.status_code) == (404, 404)


def test_another_events_table_is_not_found(client, centre_staff, running_now):
    client.force_login(centre_staff)

    response = client.get(
        reverse("consultations:table_check_in", args=[running_now["event"].pk, factories.TableFactory().pk])
    )

    assert response.status_code == 404


def test_the_check_in_page_offers_the_camera_with_its_own_deferred_script(client, centre_staff, running_now):
    client.force_login(centre_staff)

    content = client.get(reverse("consultations:check_in", args=[running_now["event"].pk])).content.decode()

    assert 'id="camera-scanner" hidden' in content
    assert "Scan with the camera" in content
    assert 'src="/static/js/camera-scan.js" defer' in content
    assert 'data-decoder="/static/vendor/jsqr/dist/jsQR.js"' in content
    assert "Scanning with the camera needs JavaScript" in content  # the <noscript> message


def test_the_table_page_query_count_does_not_grow_with_its_meetings(client, centre_staff, running_now):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event, a1 = running_now["event"], running_now["a1"]
    client.force_login(centre_staff)
    url = reverse("consultations:table_check_in", args=[event.pk, a1.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    slot = running_now["meeting"].slot
    # Stay on the event's local day of the running slot: late in the evening, go back in time.
    local_start = timezone.localtime(slot.starts_at, event.zone)
    direction = 1 if local_start.hour < 20 else -1
    for minutes in (30, 60, 90):
        shift = dt.timedelta(minutes=direction * minutes)
        other = factories.TimeSlotFactory(
            event=event, starts_at=slot.starts_at + shift, ends_at=slot.ends_at + shift
        )
        factories.MeetingFactory(slot=other, table=a1)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert len(response.context["table_meetings"]) == 4
    assert len(many) == len(few)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_both_sides_scanned_at_once_twice_each_start_the_meeting_once(bangkok_centre):
    event = factories.event_today(bangkok_centre)
    table = factories.TableFactory(event=event, name="A1")
    meeting = factories.MeetingFactory(slot=factories.slot_running_now(event), table=table)
    staff = factories.CentreStaffFactory(trade_centre=bangkok_centre)
    codes = [meeting.sme.check_in_code, meeting.buyer.check_in_code] * 2

    statuses = at_once(
        lambda code: meeting_start_at_table(event=event, table=table, value=code, recorded_by=staff).status,
        codes,
    )

    assert statuses.count("started") == 1
    assert set(statuses) <= {"started", "already_started", "waiting"}
    assert Meeting.objects.get(pk=meeting.pk).started_at is not None
    assert Arrival.objects.count() == 2


@pytest.mark.parametrize("table", ["²", "٣", "abc", "99999999999"])
def test_an_odd_table_number_on_the_door_page_is_not_found_never_an_error(
    client, centre_staff, running_now, table
):
    client.force_login(centre_staff)

    response = client.get(reverse("consultations:check_in", args=[running_now["event"].pk]), {"table": table})

    assert response.status_code == 404
