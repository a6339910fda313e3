"""The auto-scheduler plans interpreters: a pair without a common language gets an interpreter of the
buyer's language who is free in that slot, or the meeting is left out with the reason."""

import pytest

from matching.consultations.booking import scheduler_runs
from matching.consultations.booking.models import Meeting, MeetingRequest
from tests import factories


@pytest.mark.parametrize(
    ("sme", "buyer", "sme_needs", "buyer_needs", "expected"),
    [
        ({"ko"}, {"th"}, False, False, "th"),
        ({"ko", "en"}, {"th", "en"}, False, False, None),  # English in common
        ({"ko", "en"}, {"th", "en"}, False, True, "th"),  # asked for one anyway: the local language
        ({"ko"}, {"en", "tr"}, False, False, "tr"),  # a local language before English
        ({"ko"}, {"en"}, False, False, "en"),
        ({"ko"}, set(), True, False, None),  # nothing known about the buyer: nothing to plan
    ],
)
def test_the_language_a_pair_needs_interpreted(sme, buyer, sme_needs, buyer_needs, expected):
    assert (
        scheduler_runs.needed_language(frozenset(sme), frozenset(buyer), sme_needs, buyer_needs) == expected
    )


@pytest.fixture
def thai_day(db):
    """Two slots, two tables, two Korean-only SMEs and two Thai-only buyers; one Thai interpreter."""
    korean = factories.LanguageFactory(code="ko", name_en="Korean")
    thai = factories.LanguageFactory(code="th", name_en="Thai")
    event = factories.EventFactory(name="Chiang Mai Smart City Day")
    slots = [factories.TimeSlotFactory(event=event) for _ in range(2)]
    for name in ("T1", "T2"):
        factories.TableFactory(event=event, name=name)
    smes = [factories.SmeRegistrationFactory(event=event, languages=[korean]) for _ in range(2)]
    buyers = [factories.BuyerRegistrationFactory(event=event, languages=[thai]) for _ in range(2)]
    for sme, buyer in zip(smes, buyers, strict=True):
        factories.MeetingRequestFactory(
            event=event, sme=sme, buyer=buyer, status=MeetingRequest.Status.ACCEPTED
        )
    interpreter = factories.InterpreterFactory(event=event, name="Malee", languages=[korean, thai])
    return event, slots, interpreter


def _booked(event):
    return list(Meeting.objects.filter(slot__event=event).exclude(status=Meeting.Status.CANCELLED))


def test_meetings_needing_the_one_interpreter_go_to_different_slots_with_her(thai_day):
    event, slots, interpreter = thai_day

    run = scheduler_runs.schedule_event(event=event, time_limit_seconds=10)

    meetings = _booked(event)
    assert (run.placed, run.requested) == (2, 2)
    assert sorted(m.slot_id for m in meetings) == [slots[0].pk, slots[1].pk]
    assert {m.interpreter_id for m in meetings} == {interpreter.pk}


def test_a_meeting_is_left_out_when_the_interpreter_is_not_free_for_it(thai_day):
    event, slots, interpreter = thai_day
    interpreter.unavailable_slots.add(slots[1])

    run = scheduler_runs.schedule_event(event=event, time_limit_seconds=10)

    assert (run.placed, run.requested) == (1, 2)
    assert [m.slot_id for m in _booked(event)] == [slots[0].pk]
    assert [row["code"] for row in run.unplaced] == ["no_interpreter"]
    assert (
        run.unplaced[0]["reason"]
        == "no interpreter for their language is free in the slots where both are free"
    )


def test_an_event_without_interpreters_plans_none(thai_day):
    event, _, interpreter = thai_day
    interpreter.delete()

    run = scheduler_runs.schedule_event(event=event, time_limit_seconds=10)

    assert (run.placed, run.requested) == (2, 2)
    assert {m.interpreter_id for m in _booked(event)} == {None}


def test_a_locked_meeting_keeps_its_interpreter_and_the_other_goes_elsewhere(thai_day):
    event, slots, interpreter = thai_day
    first = MeetingRequest.objects.filter(event=event).order_by("pk").first()
    locked = Meeting.objects.create(
        slot=slots[1],
        sme=first.sme,
        buyer=first.buyer,
        table=event.tables.get(name="T1"),
        interpreter=interpreter,
        request=first,
        locked=True,
    )

    run = scheduler_runs.schedule_event(event=event, time_limit_seconds=10)

    other = Meeting.objects.exclude(pk=locked.pk).get()
    assert run.placed == 2
    assert (other.slot_id, other.interpreter_id) == (slots[0].pk, interpreter.pk)
    locked.refresh_from_db()
    assert (locked.slot_id, locked.interpreter_id) == (slots[1].pk, interpreter.pk)


def test_an_online_meeting_takes_no_table_and_frees_one_for_another_pair(db):
    event = factories.EventFactory(name="Istanbul Hybrid Day", online_meetings_allowed=True)
    slot = factories.TimeSlotFactory(event=event)
    table = factories.TableFactory(event=event, name="T1")
    online = factories.MeetingFactory(
        slot=slot, table=None, mode=Meeting.Mode.ONLINE, online_link="https://meet.example/1"
    )
    request = factories.MeetingRequestFactory(event=event, status=MeetingRequest.Status.ACCEPTED)

    run = scheduler_runs.schedule_event(event=event, time_limit_seconds=10)

    assert (run.placed, run.requested) == (2, 2)
    online.refresh_from_db()
    assert (online.mode, online.table_id, online.status) == ("online", None, "scheduled")
    booked = Meeting.objects.get(request=request)
    assert (booked.slot_id, booked.table_id) == (slot.pk, table.pk)
