"""Writes that check and then act, raced by real threads on PostgreSQL (each with its own connection).

Staff on several servers and members double-clicking reach the services at the same moment; a barrier
releases all attempts at once. Whatever the interleaving: at most `max_meetings` meetings, none on a
withdrawn registration, one outcome per side, one answer per request, and never an unexpected error.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from matching.consultations.booking import services as booking_services
from matching.consultations.booking.models import Meeting, MeetingRequest
from matching.consultations.events.models import Registration
from matching.consultations.outcomes import services as outcome_services
from matching.consultations.outcomes.models import Outcome
from tests import factories
from tests.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def event(db):
    return factories.EventFactory(name="Race Roadshow")


def _book(slot, sme, buyer, table, staff):
    return lambda: booking_services.meeting_book(
        slot=slot, sme=sme, buyer=buyer, table=table, booked_by=staff
    )


def test_twelve_parallel_bookings_of_a_company_allowed_one_meeting_give_one(event):
    company = factories.SmeRegistrationFactory(event=event, max_meetings=1)
    staff = [factories.CentreStaffFactory() for _ in range(3)]
    slots = [factories.TimeSlotFactory(event=event) for _ in range(12)]
    table = factories.TableFactory(event=event, name="T1")
    buyers = [factories.BuyerRegistrationFactory(event=event) for _ in range(12)]

    results = race(*(_book(slots[n], company, buyers[n], table, staff[n % 3]) for n in range(12)))

    assert sum(isinstance(result, Meeting) for result in results) == 1
    refusals = {result for result in results if not isinstance(result, Meeting)}
    assert refusals == {f"{company} already has the maximum number of meetings."}
    assert Meeting.objects.filter(sme=company).count() == 1


def test_registrations_withdrawn_while_bookings_are_in_flight_keep_no_meeting(event, centre_staff):
    companies = [factories.SmeRegistrationFactory(event=event) for _ in range(2)]
    slots = [factories.TimeSlotFactory(event=event) for _ in range(4)]
    tables = [factories.TableFactory(event=event, name=f"T{n}") for n in (1, 2)]
    buyers = [factories.BuyerRegistrationFactory(event=event) for _ in range(8)]
    bookings = [
        _book(slots[n % 4], companies[n % 2], buyers[n], tables[n % 2], centre_staff) for n in range(8)
    ]
    withdrawals = [
        lambda company=company: booking_services.registration_decide(
            registration=company, status=Registration.Status.WITHDRAWN, decided_by=centre_staff
        )
        for company in companies
    ]

    results = race(*bookings, *withdrawals)

    assert not [result for result in results if isinstance(result, str) and result.startswith("error")]
    for company in companies:
        company.refresh_from_db()
        assert company.status == Registration.Status.WITHDRAWN
        assert Meeting.objects.filter(sme=company).exclude(status=Meeting.Status.CANCELLED).count() == 0


def test_a_booking_from_a_page_read_before_the_withdrawal_is_refused(event, centre_staff):
    company = factories.SmeRegistrationFactory(event=event)
    read_by_the_booking = Registration.objects.get(pk=company.pk)
    booking_services.registration_decide(
        registration=company, status=Registration.Status.WITHDRAWN, decided_by=centre_staff
    )

    with pytest.raises(ValidationError) as refused:
        booking_services.meeting_book(
            slot=factories.TimeSlotFactory(event=event),
            sme=read_by_the_booking,
            buyer=factories.BuyerRegistrationFactory(event=event),
            table=factories.TableFactory(event=event, name="T1"),
            booked_by=centre_staff,
        )

    assert refused.value.messages == [f"{company}'s registration is not confirmed."]
    assert not Meeting.objects.filter(sme=company).exists()


def test_two_simultaneous_saves_of_one_sides_outcome_give_one_record(centre_staff):
    # Outcomes are recorded once the event is over.
    over = factories.EventFactory(name="Race Roadshow", start_date=dt.date(2022, 10, 6))
    meeting = factories.MeetingFactory(slot=factories.TimeSlotFactory(event=over))

    def save(notes):
        return lambda: outcome_services.outcome_record(
            meeting=Meeting.objects.get(pk=meeting.pk),
            side=Outcome.Side.STAFF,
            recorded_by=centre_staff,
            attendance=Outcome.Attendance.HELD,
            interest=Outcome.Interest.HIGH,
            notes=notes,
        )

    results = race(*(save(f"click {n}") for n in range(6)))

    assert all(isinstance(result, Outcome) for result in results), results
    assert Outcome.objects.filter(meeting=meeting, side=Outcome.Side.STAFF).count() == 1
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


def test_a_request_answered_twice_at_once_is_answered_once(event):
    request = factories.MeetingRequestFactory(event=event)
    member = factories.BuyerMemberFactory(buyer_organisation=request.buyer.buyer)

    def answer(accept):
        return lambda: booking_services.meeting_request_answer(
            request=MeetingRequest.objects.get(pk=request.pk), accept=accept, answered_by=member
        )

    results = race(answer(True), answer(True), answer(False), answer(True))

    answered = [result for result in results if isinstance(result, MeetingRequest)]
    assert len(answered) == 1
    assert set(results) - set(answered) == {"This request was already answered or has expired."}
    request.refresh_from_db()
    assert request.status == answered[0].status


def test_a_meeting_cancelled_twice_at_once_is_cancelled_once(event, centre_staff):
    meeting = factories.MeetingFactory(slot=factories.TimeSlotFactory(event=event))

    def cancel():
        return booking_services.meeting_cancel(
            meeting=Meeting.objects.get(pk=meeting.pk), cancelled_by=centre_staff
        )

    results = race(cancel, cancel, cancel)

    assert sum(isinstance(result, Meeting) for result in results) == 1
    assert [r for r in results if not isinstance(r, Meeting)] == [
        "Only a scheduled meeting can be cancelled."
    ] * 2
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == (Meeting.Status.CANCELLED, 1)


def test_a_lock_sent_from_a_page_read_before_a_move_keeps_the_move(event, centre_staff):
    """Two staff members on the grid: one moves the meeting, the other (whose page is older) locks it."""
    slots = [factories.TimeSlotFactory(event=event) for _ in range(2)]
    meeting = factories.MeetingFactory(slot=slots[0])
    read_by_the_second = Meeting.objects.get(pk=meeting.pk)
    booking_services.meeting_change(
        meeting=Meeting.objects.get(pk=meeting.pk), changed_by=centre_staff, slot=slots[1]
    )

    booking_services.meeting_change(meeting=read_by_the_second, changed_by=centre_staff, locked=True)

    meeting.refresh_from_db()
    assert (meeting.slot_id, meeting.locked, meeting.sequence) == (slots[1].pk, True, 1)
