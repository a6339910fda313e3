"""The auto-scheduler's write-back against staff who change the event while it solves (PostgreSQL, threads).

Each test starts a real run in its own thread. The run's progress hook holds the solver once it has
read the event and found a first schedule, the test's thread changes the event through the services
(as a second staff member on another server would), then lets the run finish and write back. The run
must keep what staff changed: no cancelled meeting revived, no locked meeting moved, no meeting for a
withdrawn registration, and a booking made meanwhile does not make the write-back fail.
"""

import threading

import pytest
from django.core import mail
from django.db import connections

from matching.consultations.booking import scheduler_runs, services
from matching.consultations.booking.models import Meeting, MeetingRequest, SchedulerRun
from matching.consultations.events.models import Registration
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class PausedRun:
    """A scheduler run in its own thread, held at its first progress report until `resume()`."""

    def __init__(self, event, time_limit_seconds=20):
        self.solving = threading.Event()
        self.go_on = threading.Event()
        self.error = None
        self.run = None
        self.thread = threading.Thread(target=self._work, args=(event, time_limit_seconds))

    def _hold(self, update):
        if not self.solving.is_set():
            self.solving.set()
            self.go_on.wait(timeout=60)

    def _work(self, event, time_limit_seconds):
        try:
            self.run = scheduler_runs.schedule_event(
                event=event, time_limit_seconds=time_limit_seconds, on_progress=self._hold
            )
        except Exception as error:  # noqa: BLE001 (the test asserts there is none)
            self.error = error
        finally:
            connections.close_all()

    def __enter__(self):
        self.thread.start()
        assert self.solving.wait(timeout=60), "the solver never reported progress"
        return self

    def __exit__(self, *exc):
        self.go_on.set()
        self.thread.join(timeout=120)
        assert not self.thread.is_alive()


@pytest.fixture
def scattered_event(db):
    """Three companies and three buyers who all meet each other, spread over slots 1, 4 and 7 with idle
    gaps between, so the scheduler moves most meetings to close the gaps."""
    event = factories.EventFactory(name="Race Roadshow")
    slots = [factories.TimeSlotFactory(event=event) for _ in range(8)]
    tables = [factories.TableFactory(event=event, name=f"T{n}") for n in range(1, 4)]
    smes = [factories.SmeRegistrationFactory(event=event) for _ in range(3)]
    buyers = [factories.BuyerRegistrationFactory(event=event) for _ in range(3)]
    factories.SmeMemberFactory(company=smes[0].company, email="ceo@sme-zero.example")
    meetings = {
        (i, j): factories.MeetingFactory(
            slot=slots[((i + j) % 3) * 3], sme=smes[i], buyer=buyers[j], table=tables[i]
        )
        for i in range(3)
        for j in range(3)
    }
    return {
        "event": event,
        "slots": slots,
        "tables": tables,
        "smes": smes,
        "buyers": buyers,
        "meetings": meetings,
    }


def _places(meetings):
    return {m.pk: (m.slot_id, m.table_id, m.status, m.locked) for m in meetings}


def test_a_meeting_cancelled_and_meetings_locked_during_a_run_stay_as_staff_left_them(
    scattered_event, centre_staff
):
    event = scattered_event["event"]
    cancelled = scattered_event["meetings"][(0, 0)]

    with PausedRun(event) as paused:
        services.meeting_cancel(meeting=cancelled, cancelled_by=centre_staff)
        services.meetings_lock(event=event, locked=True)
        as_staff_left_them = _places(Meeting.objects.filter(slot__event=event))
        mail.outbox.clear()

    assert paused.error is None
    assert _places(Meeting.objects.filter(slot__event=event)) == as_staff_left_them
    cancelled.refresh_from_db()
    assert cancelled.status == Meeting.Status.CANCELLED
    assert paused.run.status in {SchedulerRun.Status.OPTIMAL, SchedulerRun.Status.FEASIBLE}
    assert len(paused.run.kept) == 9
    assert {row["code"] for row in paused.run.kept} == {"changed"}
    assert paused.run.placed == 0
    # Nobody's meeting moved, so nobody hears of a change.
    assert [message.subject for message in mail.outbox] == []


def test_without_changes_during_the_run_the_scheduler_closes_the_gaps(scattered_event):
    """The control for the test above: left alone, the same run moves meetings (so 'kept' is real)."""
    event = scattered_event["event"]
    before = _places(Meeting.objects.filter(slot__event=event))

    with PausedRun(event) as paused:
        pass

    after = _places(Meeting.objects.filter(slot__event=event))
    assert paused.error is None
    assert paused.run.kept == []
    assert paused.run.placed == 9
    assert paused.run.total_breaks == 0
    assert sum(before[pk][0] != after[pk][0] for pk in before) >= 3


def test_a_registration_withdrawn_during_a_run_gets_no_meeting_back(scattered_event, centre_staff):
    event, smes = scattered_event["event"], scattered_event["smes"]
    extra_buyers = [factories.BuyerRegistrationFactory(event=event) for _ in range(2)]
    waiting = [
        factories.MeetingRequestFactory(
            event=event, sme=smes[2], buyer=buyer, status=MeetingRequest.Status.ACCEPTED
        )
        for buyer in extra_buyers
    ]

    with PausedRun(event) as paused:
        services.registration_decide(
            registration=smes[2], status=Registration.Status.WITHDRAWN, decided_by=centre_staff
        )

    assert paused.error is None
    active = Meeting.objects.filter(sme=smes[2]).exclude(status=Meeting.Status.CANCELLED)
    assert active.count() == 0
    assert not Meeting.objects.filter(request__in=waiting).exists()
    kept = {(row["sme"], row["buyer"]) for row in paused.run.kept}
    assert kept == {(str(smes[2]), str(buyer)) for buyer in [*scattered_event["buyers"], *extra_buyers]}
    # The others' meetings were still re-optimised.
    assert paused.run.placed == 6


def test_a_booking_made_during_a_run_is_kept_and_the_run_applies_what_does_not_clash(centre_staff):
    event = factories.EventFactory(name="Tight Roadshow")
    slots = [factories.TimeSlotFactory(event=event) for _ in range(2)]
    table = factories.TableFactory(event=event, name="T1")
    asked = [
        factories.MeetingRequestFactory(event=event, status=MeetingRequest.Status.ACCEPTED) for _ in range(2)
    ]
    walk_in_sme = factories.SmeRegistrationFactory(event=event)
    walk_in_buyer = factories.BuyerRegistrationFactory(event=event)

    with PausedRun(event) as paused:
        walk_in = services.meeting_book(
            slot=slots[0], sme=walk_in_sme, buyer=walk_in_buyer, table=table, booked_by=centre_staff
        )

    assert paused.error is None
    walk_in.refresh_from_db()
    assert (walk_in.slot_id, walk_in.table_id, walk_in.status) == (slots[0].pk, table.pk, "scheduled")
    booked = Meeting.objects.filter(request__in=asked)
    assert booked.count() == 1
    assert booked.get().slot_id == slots[1].pk
    assert paused.run.placed == 1
    assert [row["code"] for row in paused.run.unplaced] == ["taken_meanwhile"]


def test_a_request_booked_by_staff_during_a_run_is_not_booked_twice(centre_staff):
    event = factories.EventFactory(name="Double Roadshow")
    slots = [factories.TimeSlotFactory(event=event) for _ in range(3)]
    tables = [factories.TableFactory(event=event, name=f"T{n}") for n in (1, 2)]
    asked = factories.MeetingRequestFactory(event=event, status=MeetingRequest.Status.ACCEPTED)

    with PausedRun(event) as paused:
        by_staff = services.meeting_book(
            slot=slots[2], sme=asked.sme, buyer=asked.buyer, table=tables[1], booked_by=centre_staff
        )

    assert paused.error is None
    assert list(Meeting.objects.filter(sme=asked.sme, buyer=asked.buyer)) == [by_staff]
    assert by_staff.request_id == asked.pk
    assert [row["code"] for row in paused.run.kept] == ["changed"]
