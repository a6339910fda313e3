"""Walk-ins raced by real threads on PostgreSQL: two staff members fill the same freed place of the board
at the same moment, from the service and from the page, and a double submit of one walk-in. One meeting
each time; the other attempt gets a message naming who filled the place, never an error."""

import pytest
from django.test import Client
from django.urls import reverse

from matching.consultations.booking import services as booking_services
from matching.consultations.booking.models import Meeting
from matching.consultations.events.models import Arrival
from tests import factories
from tests.consultations.test_walk_ins import roadshow_with_a_slot_in_an_hour
from tests.races import at_once, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def freed(bangkok_centre):
    """A Bangkok event today with table A1 freed in the next slot, and two pairs who checked in."""
    event, now, slot = roadshow_with_a_slot_in_an_hour(bangkok_centre, "Race Roadshow")
    starts = slot.starts_at
    table = factories.TableFactory(event=event, name="A1")
    cancelled = factories.MeetingFactory(slot=slot, table=table)
    booking_services.meeting_cancel(
        meeting=cancelled, cancelled_by=None, reason="The buyer's flight is late."
    )
    pairs = []
    for n in (1, 2):
        sme = factories.SmeRegistrationFactory(
            event=event, company=factories.CompanyFactory(name_en=f"Company {n}", name_ko=f"회사 {n}")
        )
        buyer = factories.BuyerRegistrationFactory(
            event=event, buyer=factories.BuyerOrganisationFactory(name=f"City {n}")
        )
        for registration in (sme, buyer):
            Arrival.objects.create(
                registration=registration, day=starts.astimezone(event.zone).date(), arrived_at=now
            )
        pairs.append((sme, buyer))
    return {
        "event": event,
        "slot": slot,
        "table": table,
        "pairs": pairs,
        "time": f"{starts.astimezone(event.zone):%H:%M}",
    }


def _fill(freed, pair, staff):
    sme, buyer = pair
    return lambda: booking_services.walk_in_book(
        slot=freed["slot"], table=freed["table"], sme=sme, buyer=buyer, booked_by=staff
    )


def _live():
    return Meeting.objects.exclude(status=Meeting.Status.CANCELLED)


def test_two_staff_filling_one_freed_place_with_two_pairs_at_once_book_one(freed):
    staff = [factories.CentreStaffFactory(trade_centre=freed["event"].organising_centre) for _ in range(2)]

    results = race(_fill(freed, freed["pairs"][0], staff[0]), _fill(freed, freed["pairs"][1], staff[1]))

    booked = [result for result in results if isinstance(result, Meeting)]
    refused = [result for result in results if not isinstance(result, Meeting)]
    assert len(booked) == 1 and len(refused) == 1, results
    winner = booked[0]
    assert refused == [
        f"A1 at {freed['time']} was just filled with {winner.sme} and {winner.buyer}; choose another place."
    ]
    assert _live().count() == 1
    assert _live().get().walk_in


def test_a_walk_in_sent_four_times_at_once_is_one_meeting(freed, centre_staff):
    results = race(*(_fill(freed, freed["pairs"][0], centre_staff) for _ in range(4)))

    assert all(isinstance(result, Meeting) for result in results), results
    assert len({result.pk for result in results}) == 1
    assert _live().count() == 1


def test_two_staff_on_their_phones_fill_one_place_at_once_one_books_the_other_reads_who(freed):
    centre = freed["event"].organising_centre
    sendings = []
    for n, (sme, buyer) in enumerate(freed["pairs"]):
        client = Client()
        client.force_login(factories.CentreStaffFactory(username=f"door{n}", trade_centre=centre))
        sendings.append((client, {"sme": sme.pk, "buyer": buyer.pk}))
    url = (
        reverse("consultations:walk_in", args=[freed["event"].pk])
        + f"?slot={freed['slot'].pk}&table={freed['table'].pk}"
    )

    responses = at_once(lambda sending: sending[0].post(url, sending[1]), sendings)

    assert sorted(response.status_code for response in responses) == [200, 302]
    meeting = _live().get()
    refused = next(response for response in responses if response.status_code == 200).content.decode()
    assert f"was just filled with {meeting.sme} and {meeting.buyer}; choose another place." in refused
