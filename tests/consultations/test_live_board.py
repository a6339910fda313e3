"""The staff's live board of an event day: each meeting's state from the arrivals and the staff's log,
its table alone for htmx, and a query count that does not grow with the meetings."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from matching.consultations.events.models import Arrival
from matching.consultations.outcomes.board import State, event_day_board
from matching.consultations.outcomes.models import Outcome
from tests import factories


@pytest.fixture
def day_event(bangkok_centre):
    today = timezone.localdate(timezone=dt.timezone(dt.timedelta(hours=7)))
    event = factories.EventFactory(
        city=bangkok_centre.city, organising_centre=bangkok_centre, start_date=today, end_date=today
    )
    starts = dt.datetime.combine(today, dt.time(14), tzinfo=event.zone)
    slot = factories.TimeSlotFactory(event=event, starts_at=starts, ends_at=starts + dt.timedelta(minutes=30))
    meeting = factories.MeetingFactory(slot=slot, table=factories.TableFactory(event=event, name="A1"))
    return {"event": event, "starts": starts, "meeting": meeting}


def _arrive(registration, when):
    Arrival.objects.create(registration=registration, day=when.date(), arrived_at=when)


def _state(day_event, minutes):
    now = day_event["starts"] + dt.timedelta(minutes=minutes)
    board = event_day_board(day_event["event"], day_event["starts"].date(), now)
    ((_slot, (cell,)),) = board.rows
    return cell.state


def test_a_meeting_is_upcoming_then_late_then_a_likely_no_show_without_the_buyer(day_event):
    _arrive(day_event["meeting"].sme, day_event["starts"] - dt.timedelta(minutes=20))

    assert [_state(day_event, m) for m in (-5, 3, 10, 40)] == [
        State.UPCOMING, State.LATE, State.LIKELY_NO_SHOW, State.LIKELY_NO_SHOW,
    ]  # fmt: skip


def test_a_meeting_both_sides_checked_in_for_is_running_then_held(day_event):
    meeting, starts = day_event["meeting"], day_event["starts"]
    _arrive(meeting.sme, starts - dt.timedelta(minutes=20))
    _arrive(meeting.buyer, starts - dt.timedelta(minutes=2))

    assert [_state(day_event, m) for m in (-1, 0, 29, 30)] == [
        State.UPCOMING, State.RUNNING, State.RUNNING, State.HELD,
    ]  # fmt: skip


def test_what_the_staff_recorded_wins_over_the_check_in(day_event):
    factories.OutcomeFactory(
        meeting=day_event["meeting"], side=Outcome.Side.STAFF, attendance=Outcome.Attendance.HELD
    )

    assert _state(day_event, 15) == State.HELD


def test_a_meeting_started_at_its_table_runs_from_its_start_then_is_held(day_event):
    meeting, starts = day_event["meeting"], day_event["starts"]
    meeting.started_at = starts - dt.timedelta(minutes=4)
    meeting.save()

    assert [_state(day_event, m) for m in (-5, -4, 12, 29, 30)] == [
        State.UPCOMING, State.RUNNING, State.RUNNING, State.RUNNING, State.HELD,
    ]  # fmt: skip


def test_the_board_says_since_when_a_started_meeting_runs(client, day_event, centre_staff):
    event, meeting = day_event["event"], day_event["meeting"]
    now = timezone.now()
    meeting.slot.starts_at, meeting.slot.ends_at = (
        now - dt.timedelta(minutes=3),
        now + dt.timedelta(minutes=27),
    )
    meeting.slot.save()
    meeting.started_at = now - dt.timedelta(minutes=2)
    meeting.save()
    client.force_login(centre_staff)

    partial = client.get(reverse("consultations:board", args=[event.pk]), headers={"HX-Request": "true"})

    since = timezone.localtime(meeting.started_at, event.zone).strftime("%H:%M")
    assert f"running since {since}" in partial.content.decode()
    assert partial.context["board"].running_count == 1


def test_board_page_shows_each_meeting_with_its_interpreter_and_polls_its_table(
    client, day_event, centre_staff
):
    event, meeting = day_event["event"], day_event["meeting"]
    meeting.interpreter = factories.InterpreterFactory(event=event, name="Somchai")
    meeting.save()
    client.force_login(centre_staff)
    url = reverse("consultations:board", args=[event.pk])

    page = client.get(url)
    partial = client.get(url, headers={"HX-Request": "true"})

    assert page.status_code == partial.status_code == 200
    assert 'hx-trigger="every 20s"' in page.content.decode()
    assert "vendor/htmx/htmx.min.js" in page.content.decode()
    assert "Somchai" in partial.content.decode()
    assert partial.content.decode().lstrip().startswith('<div id="live-board"')
    assert "<html" not in partial.content.decode()
    assert "HX-Request" in page["Vary"]


def test_board_query_count_does_not_grow_with_the_meetings(client, day_event, centre_staff):
    event, starts = day_event["event"], day_event["starts"]
    client.force_login(centre_staff)
    url = reverse("consultations:board", args=[event.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one_meeting:
        client.get(url)
    for n in range(1, 4):
        slot = factories.TimeSlotFactory(
            event=event,
            starts_at=starts + dt.timedelta(minutes=30 * n),
            ends_at=starts + dt.timedelta(minutes=30 * n + 30),
        )
        for table in ("B1", "B2"):
            table = factories.TableFactory(event=event, name=f"{table}-{n}")
            meeting = factories.MeetingFactory(slot=slot, table=table, interpreted=True)
            _arrive(meeting.sme, starts)
            factories.OutcomeFactory(meeting=meeting, side=Outcome.Side.STAFF)
            if table.name.startswith("B2"):
                meeting.started_at = slot.starts_at
                meeting.save()
    with CaptureQueriesContext(connection) as seven_meetings:
        response = client.get(url)

    assert len(response.context["board"].rows) == 4
    # user, event, slots, tables, arrivals, meetings (with both sides, table, interpreter), staff outcomes
    assert len(seven_meetings) == len(one_meeting) == 7
