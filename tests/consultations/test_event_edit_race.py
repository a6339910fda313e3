"""Staff making an event's slots again while a meeting is booked into one of them, raced by real threads
on PostgreSQL: either the meeting is booked and the days stay, or the slots change and the booking is
refused with a message; never a meeting on a slot that is gone, never an unexpected error."""

import datetime as dt

import pytest
from django.utils import timezone

from matching.consultations.booking import services as booking_services
from matching.consultations.booking.models import Meeting
from matching.consultations.events import services as event_services
from matching.consultations.events.forms import EventEditForm, EventForm
from matching.consultations.events.models import Event
from tests import factories
from tests.consultations.test_event_setup import event_form
from tests.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SLOTS_CHANGED = "The event's slots have just changed; choose a slot again."


@pytest.fixture
def roadshow(bangkok_centre, sme_owner, buyer):
    start = timezone.localdate() + dt.timedelta(days=20)
    data = event_form(bangkok_centre.city, start_date=start.isoformat(), end_date=start.isoformat())
    form = EventForm(data, centre=bangkok_centre)
    assert form.is_valid(), form.errors
    event, _ = event_services.event_create(form=form, organising_centre=bangkok_centre, **form.slot_plan())
    sme = factories.SmeRegistrationFactory(event=event, company=sme_owner.company)
    buyer = factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation)
    return event, data, sme, buyer


@pytest.mark.parametrize("round_", range(4))
def test_an_edit_of_the_days_and_a_booking_at_once_end_consistent(roadshow, centre_staff, round_):
    event, data, sme, buyer = roadshow
    slot, table = event.slots.order_by("starts_at").first(), event.tables.first()
    later = (event.start_date + dt.timedelta(days=7)).isoformat()

    def edit():
        form = EventEditForm(
            data | {"start_date": later, "end_date": later},
            instance=Event.objects.get(pk=event.pk),
            centre=event.organising_centre,
        )
        assert form.is_valid(), form.errors
        return event_services.event_update(form=form, **form.slot_plan())

    def book():
        return booking_services.meeting_book(
            slot=slot, sme=sme, buyer=buyer, table=table, booked_by=centre_staff
        )

    edited, booked = race(edit, book)

    event.refresh_from_db()
    if isinstance(booked, Meeting):
        assert edited == str(event_services.SCHEDULE_FIXED)
        assert event.slots.filter(pk=slot.pk).exists()
        assert event.start_date.isoformat() != later
    else:
        assert isinstance(edited, Event), edited
        assert booked in {SLOTS_CHANGED, f"Time slot instance with id {slot.pk} does not exist."}, booked
        assert not Meeting.objects.exists()
        assert event.start_date.isoformat() == later
    assert not Meeting.objects.exclude(slot__event=event).exists()
