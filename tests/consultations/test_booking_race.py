"""Booking under concurrency: on PostgreSQL, 200 simultaneous attempts on one slot give one meeting.

Every attempt books the same company into the same slot with a different buyer, from its own
thread and database connection, all released at once by a barrier. The control: each attempt
first looks whether the company is free, and the test asserts that many attempts saw it free at
the same moment, so the race window really opened and only the database's constraint closed it.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from matching.consultations.booking.models import Meeting
from matching.consultations.booking.services import meeting_book
from tests import factories

ATTEMPTS = 200
# PostgreSQL allows 100 connections by default; the attempts run in waves of this many threads.
THREADS = 40


@pytest.fixture
def crowded_slot(db):
    event = factories.EventFactory(name="Race Roadshow")
    slot = factories.TimeSlotFactory(event=event)
    company = factories.SmeRegistrationFactory(event=event, max_meetings=40)
    buyers = [factories.BuyerRegistrationFactory(event=event) for _ in range(ATTEMPTS)]
    tables = [factories.TableFactory(event=event, name=f"T{n:03d}") for n in range(ATTEMPTS)]
    staff = factories.CentreStaffFactory()
    return slot, company, list(zip(buyers, tables, strict=True)), staff


def _race(slot, company, pairs, staff):
    barrier = threading.Barrier(THREADS)
    saw_free = []
    outcomes = []

    def attempt(buyer_and_table):
        buyer, table = buyer_and_table
        try:
            barrier.wait(timeout=30)
            free = not Meeting.objects.filter(slot=slot, sme=company).exists()
            saw_free.append(free)
            meeting_book(slot=slot, sme=company, buyer=buyer, table=table, booked_by=staff)
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        except Exception as error:  # noqa: BLE001 (any other error is what the test must catch)
            outcomes.append(f"error: {error!r}")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(attempt, pairs))
    return saw_free, outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_hundred_simultaneous_bookings_of_one_slot_give_one_meeting_and_199_clear_refusals(crowded_slot):
    slot, company, pairs, staff = crowded_slot

    saw_free, outcomes = _race(slot, company, pairs, staff)

    assert connection.vendor == "postgresql"
    assert len(outcomes) == ATTEMPTS
    assert outcomes.count("booked") == 1
    refusals = [outcome for outcome in outcomes if outcome != "booked"]
    assert set(refusals) == {"This company already has a meeting in this slot."}
    assert Meeting.objects.filter(slot=slot, sme=company).count() == 1
    # The control: the first wave of threads looked before anyone had written, so without the
    # database constraint several of them would have booked.
    assert saw_free.count(True) > 1
