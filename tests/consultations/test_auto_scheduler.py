"""The auto-scheduler on an event: accepted requests become meetings, locked ones stay, runs are recorded."""

import datetime as dt
import io
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from matching.consultations.booking import scheduler_runs
from matching.consultations.booking.models import Meeting, MeetingRequest, SchedulerRun
from matching.scheduling import Progress
from tests import factories


@pytest.fixture
def small_event(db, centre_staff):
    """Four morning slots, two tables, two companies and three buyers, five accepted requests."""
    event = factories.EventFactory(name="Scheduler Roadshow", organising_centre=centre_staff.trade_centre)
    slots = [factories.TimeSlotFactory(event=event) for _ in range(4)]
    tables = [factories.TableFactory(event=event, name=f"T{n}") for n in (1, 2)]
    smes = [factories.SmeRegistrationFactory(event=event) for _ in range(2)]
    buyers = [factories.BuyerRegistrationFactory(event=event) for _ in range(3)]
    pairs = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1)]
    requests = [
        factories.MeetingRequestFactory(
            event=event, sme=smes[s], buyer=buyers[b], status=MeetingRequest.Status.ACCEPTED
        )
        for s, b in pairs
    ]
    return {
        "event": event,
        "slots": slots,
        "tables": tables,
        "smes": smes,
        "buyers": buyers,
        "requests": requests,
    }


def _active(event):
    return Meeting.objects.filter(slot__event=event).exclude(status=Meeting.Status.CANCELLED)


def test_every_accepted_request_is_booked_without_double_booking_or_breaks(small_event, centre_staff):
    event = small_event["event"]

    run = scheduler_runs.schedule_event(event=event, time_limit_seconds=10, started_by=centre_staff)

    meetings = list(_active(event))
    assert (run.status, run.placed, run.requested, run.total_breaks, run.proven_optimal) == (
        "optimal",
        5,
        5,
        0,
        True,
    )
    assert len(meetings) == 5
    assert {m.request_id for m in meetings} == {r.pk for r in small_event["requests"]}
    for key in ("sme_id", "buyer_id", "table_id"):
        taken = [(m.slot_id, getattr(m, key)) for m in meetings]
        assert len(taken) == len(set(taken))


def test_a_locked_meeting_stays_and_a_second_run_books_nothing_twice(small_event):
    event, slots, tables = small_event["event"], small_event["slots"], small_event["tables"]
    first = small_event["requests"][0]
    locked = Meeting.objects.create(
        slot=slots[3], sme=first.sme, buyer=first.buyer, table=tables[1], request=first, locked=True
    )

    scheduler_runs.schedule_event(event=event, time_limit_seconds=10)
    scheduler_runs.schedule_event(event=event, time_limit_seconds=10)

    locked.refresh_from_db()
    assert (locked.slot_id, locked.table_id, locked.status) == (slots[3].pk, tables[1].pk, "scheduled")
    assert _active(event).count() == 5


def test_a_meeting_that_cannot_be_placed_is_left_out_with_the_reason(small_event):
    event, slots = small_event["event"], small_event["slots"]
    busy_buyer = small_event["buyers"][2]
    busy_buyer.unavailable_slots.set(slots)

    run = scheduler_runs.schedule_event(event=event, time_limit_seconds=10)

    assert (run.placed, run.requested) == (4, 5)
    assert run.unplaced == [
        {
            "sme": str(small_event["smes"][0]),
            "buyer": str(busy_buyer),
            "code": "unavailable",
            "reason": "one of them is unavailable in every allowed slot",
        }
    ]


def test_the_command_prints_progress_and_the_result(small_event):
    output = io.StringIO()

    call_command("schedule_event", small_event["event"].slug, "--time-limit", "10", stdout=output)

    assert output.getvalue().splitlines()[-1] == "Optimal: 5/5 placed, 0 breaks, proven optimal: yes"


def test_staff_start_a_run_from_the_event_page_and_see_its_result(
    client, small_event, centre_staff, django_capture_on_commit_callbacks
):
    client.force_login(centre_staff)
    event = small_event["event"]

    # The task is enqueued when the request's transaction commits; the test settings run it there.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{event.pk}/schedule/", {"time_limit_seconds": "10"})

    assert response.status_code == 302
    run = SchedulerRun.objects.get(event=event)
    assert (run.status, run.placed, run.started_by) == ("optimal", 5, centre_staff)
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert "5 of 5 meetings placed" in page
    assert "proven optimal" in page


def test_a_time_limit_out_of_range_is_refused_with_a_message(client, small_event, centre_staff):
    client.force_login(centre_staff)
    event = small_event["event"]

    response = client.post(f"/events/{event.pk}/schedule/", {"time_limit_seconds": "9999"}, follow=True)

    assert "Ensure this value is less than or equal to 300." in response.content.decode()
    assert not SchedulerRun.objects.exists()


def test_each_booked_meeting_is_emailed_with_its_calendar_file_after_the_run(
    small_event, django_capture_on_commit_callbacks
):
    member = factories.SmeMemberFactory(company=small_event["smes"][0].company, email="owner@first.example")

    with django_capture_on_commit_callbacks(execute=True):
        scheduler_runs.schedule_event(event=small_event["event"], time_limit_seconds=10)

    to_member = [message for message in mail.outbox if message.to == [member.email]]
    # The first company has three accepted requests, so three booking e-mails, each with its .ics.
    assert len(to_member) == 3
    assert all(message.subject.startswith("Meeting booked at") for message in to_member)
    assert all("text/calendar" in str(message.message()) for message in to_member)


def test_requests_beyond_a_participants_maximum_are_left_out_last_first_with_the_reason(small_event):
    event, requests = small_event["event"], small_event["requests"]
    busy_sme = small_event["smes"][0]  # asked by requests 0, 1 and 2
    busy_sme.max_meetings = 2
    busy_sme.save(update_fields=["max_meetings"])

    run = scheduler_runs.schedule_event(event=event, time_limit_seconds=10)

    assert (run.requested, run.placed) == (5, 4)
    assert _active(event).filter(sme=busy_sme).count() == 2
    assert {m.request_id for m in _active(event)} == {r.pk for r in requests} - {requests[2].pk}
    assert [(row["code"], row["reason"]) for row in run.unplaced] == [
        ("max_meetings", "one of them already has their maximum number of meetings")
    ]


def test_a_meeting_the_scheduler_moves_gets_a_higher_revision_for_calendars(small_event):
    event, slots, tables = small_event["event"], small_event["slots"], small_event["tables"]
    first = small_event["requests"][0]
    # Booked in the last slot, unlocked: the fewest-breaks schedule moves it next to the others.
    movable = Meeting.objects.create(
        slot=slots[3], sme=first.sme, buyer=first.buyer, table=tables[1], request=first
    )
    other = small_event["requests"][3]
    Meeting.objects.create(
        slot=slots[0], sme=other.sme, buyer=other.buyer, table=tables[0], request=other, locked=True
    )

    scheduler_runs.schedule_event(event=event, time_limit_seconds=10)

    movable.refresh_from_db()
    # Only slot 1 keeps that buyer's two meetings together (its other one is locked in slot 0).
    assert (movable.status, movable.slot_id, movable.sequence) == ("scheduled", slots[1].pk, 1)


# ---------------------------------------------------------------- one run per event, across app servers
def test_the_database_refuses_a_second_running_run_of_the_same_event(small_event):
    event = small_event["event"]
    scheduler_runs.scheduler_run_start(event=event, time_limit_seconds=10, started_by=None)

    with pytest.raises(ValidationError) as refused:
        scheduler_runs.scheduler_run_start(event=event, time_limit_seconds=10, started_by=None)

    assert refused.value.messages == ["The scheduler is already running on this event."]
    assert SchedulerRun.objects.filter(event=event).count() == 1


def test_a_run_started_on_another_server_a_moment_ago_is_refused_with_a_message(
    client, small_event, centre_staff, monkeypatch
):
    """The page's own check passed (no run yet), then another server's run landed first: the constraint
    refuses the second one and the staff member reads why."""
    event = small_event["event"]
    real_start = scheduler_runs.scheduler_run_start

    def another_server_wins(**kwargs):
        SchedulerRun.objects.create(event=event, time_limit_seconds=10)
        return real_start(**kwargs)

    monkeypatch.setattr(scheduler_runs, "scheduler_run_start", another_server_wins)
    client.force_login(centre_staff)

    response = client.post(f"/events/{event.pk}/schedule/", {"time_limit_seconds": "10"}, follow=True)

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "The scheduler is already running on this event."
    ]
    assert SchedulerRun.objects.filter(event=event).count() == 1


def test_the_command_refuses_an_event_whose_scheduler_is_running(small_event):
    event = small_event["event"]
    SchedulerRun.objects.create(event=event, time_limit_seconds=10)

    with pytest.raises(CommandError, match="The scheduler is already running on this event."):
        call_command("schedule_event", event.slug, "--time-limit", "5", stdout=io.StringIO())


def test_a_run_whose_server_went_away_is_marked_failed_and_a_new_run_starts(small_event):
    event = small_event["event"]
    stale = SchedulerRun.objects.create(event=event, time_limit_seconds=600)
    SchedulerRun.objects.filter(pk=stale.pk).update(
        taken_at=timezone.now() - SchedulerRun.ABANDONED_AFTER - dt.timedelta(seconds=1)
    )

    run = scheduler_runs.scheduler_run_start(event=event, time_limit_seconds=10, started_by=None)

    stale.refresh_from_db()
    assert (stale.status, stale.message) == ("failed", "Stopped: the worker running it went away.")
    assert stale.finished_at is not None
    assert run.status == "running"


def test_a_run_within_its_time_is_not_taken_for_abandoned(small_event):
    event = small_event["event"]
    running = SchedulerRun.objects.create(event=event, time_limit_seconds=600)
    SchedulerRun.objects.filter(pk=running.pk).update(
        taken_at=timezone.now() - SchedulerRun.ABANDONED_AFTER + dt.timedelta(seconds=30)
    )

    with pytest.raises(ValidationError):
        scheduler_runs.scheduler_run_start(event=event, time_limit_seconds=10, started_by=None)

    running.refresh_from_db()
    assert running.status == "running"


def test_runs_of_different_events_go_on_side_by_side(small_event):
    other_event = factories.EventFactory()
    scheduler_runs.scheduler_run_start(event=small_event["event"], time_limit_seconds=10, started_by=None)

    run = scheduler_runs.scheduler_run_start(event=other_event, time_limit_seconds=10, started_by=None)

    assert run.status == "running"
    assert SchedulerRun.objects.filter(status="running").count() == 2


def test_staff_can_start_again_after_a_run_whose_server_went_away(client, small_event, centre_staff):
    """The page used to check for a running run itself and refuse, so a run its server left behind
    blocked the event for good; the start service marks it failed and starts the new one."""

    event = small_event["event"]
    stale = SchedulerRun.objects.create(event=event, time_limit_seconds=600)
    SchedulerRun.objects.filter(pk=stale.pk).update(
        taken_at=timezone.now() - SchedulerRun.ABANDONED_AFTER - dt.timedelta(seconds=1)
    )
    client.force_login(centre_staff)

    response = client.post(f"/events/{event.pk}/schedule/", {"time_limit_seconds": "10"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "The scheduler has started; this page shows its progress."
    ]
    assert list(event.scheduler_runs.order_by("pk").values_list("status", flat=True)) == ["failed", "running"]


def test_a_run_records_the_fewest_breaks_possible_with_its_schedule(small_event):
    run = scheduler_runs.schedule_event(event=small_event["event"], time_limit_seconds=10)

    run.refresh_from_db()
    assert (run.total_breaks, run.breaks_lower_bound, run.proven_optimal) == (0, 0, True)


def test_a_run_records_when_a_worker_took_it_and_the_reaper_counts_from_then(small_event):
    event = small_event["event"]
    run = scheduler_runs.scheduler_run_start(event=event, time_limit_seconds=10, started_by=None)
    assert run.taken_at is None  # queued
    # It waited in the queue longer than a run may take (not abandoned for that), then a worker took it.
    waited = SchedulerRun.ABANDONED_AFTER * 3
    SchedulerRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - waited)
    assert scheduler_runs.scheduler_runs_reap(now=timezone.now()) == 0

    scheduler_runs.scheduler_run_continue(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == "optimal"
    assert timezone.now() - run.taken_at < dt.timedelta(minutes=1)


def test_the_lower_bound_the_solver_proves_while_it_runs_is_recorded_and_kept(small_event):
    run = SchedulerRun.objects.create(event=small_event["event"], time_limit_seconds=10, requested=5)
    caller = threading.current_thread()

    def report(bound):
        update = Progress(
            "maxsat", 1.0, placed=5, requested=5, total_breaks=6, bound=0, breaks_lower_bound=bound
        )
        scheduler_runs._record_progress(run, update, caller)

    report(3)
    report(None)  # a later report that knows no bound leaves the proven one

    run.refresh_from_db()
    assert (run.placed, run.total_breaks, run.breaks_lower_bound) == (5, 6, 3)


def test_the_event_page_shows_the_fewest_breaks_possible_until_the_run_is_proven(
    client, small_event, centre_staff
):
    event = small_event["event"]
    SchedulerRun.objects.create(
        event=event, status="feasible", requested=5, placed=5, total_breaks=6, breaks_lower_bound=3
    )
    client.force_login(centre_staff)

    page = client.get(f"/events/{event.pk}/").content.decode()

    assert "6 breaks" in page
    assert "no schedule can have fewer than 3" in page
    assert "proven optimal" not in page


def test_the_event_page_says_a_run_is_waiting_its_turn_until_a_worker_takes_it(
    client, small_event, centre_staff
):
    event = small_event["event"]
    run = SchedulerRun.objects.create(event=event, time_limit_seconds=30)
    client.force_login(centre_staff)

    queued = client.get(f"/events/{event.pk}/").content.decode()
    SchedulerRun.objects.filter(pk=run.pk).update(taken_at=timezone.now(), requested=5, placed=2)
    taken = client.get(f"/events/{event.pk}/").content.decode()

    assert "Waiting its turn: the scheduler solves one event at a time." in queued
    assert "meetings placed" not in queued
    assert "Waiting its turn" not in taken
    assert "2 of 5 meetings placed" in taken
