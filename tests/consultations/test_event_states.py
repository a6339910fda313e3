"""An event's states: a draft staff prepare, a published event, an event that is over (read-only) and one
staff reopen; and what staff may change once slots and meetings exist."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from matching.consultations.booking import scheduler_runs
from matching.consultations.booking import services as booking_services
from matching.consultations.booking.models import Meeting
from matching.consultations.events.models import Event, Registration
from matching.consultations.events.services import event_reopen
from tests import factories
from tests.consultations.test_event_setup import event_form

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
READ_ONLY = (
    "This event is over: its requests, registrations and meetings no longer change. "
    "Staff of the organising centre can reopen it from the event page."
)
SCHEDULE_FIXED = (
    "Meetings have been booked in this event's slots (a cancelled one keeps its slot, as history), so its "
    "days, time zone, slot length and sessions stay as they are."
)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def days_from_today(days):
    """`days` from today where this file's events take place (Thailand). Not the portal's zone (Seoul):
    between midnight in Seoul and midnight in Bangkok, Seoul's date is already tomorrow there."""
    return timezone.localdate(timezone=BANGKOK) + dt.timedelta(days=days)


@pytest.fixture
def khon_kaen(centre_staff):
    return factories.CityFactory(country=centre_staff.trade_centre.city.country, name_en="Khon Kaen")


@pytest.fixture
def as_staff(client, centre_staff):
    client.force_login(centre_staff)
    return client


@pytest.fixture
def set_up(as_staff, khon_kaen):
    """An upcoming event made by the new-event page: 24 slots over two days, 10 tables."""
    start = days_from_today(20)
    data = event_form(
        khon_kaen, start_date=start.isoformat(), end_date=(start + dt.timedelta(days=1)).isoformat()
    )
    as_staff.post("/events/new/", data, follow=True)  # its page shows (and uses up) the message
    return Event.objects.get(slug="khon-kaen-day"), data


def pair_of(event, sme_owner, buyer):
    sme = factories.SmeRegistrationFactory(event=event, company=sme_owner.company)
    buyer = factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation)
    return sme, buyer


@pytest.fixture
def over(bangkok_centre, sme_owner, buyer):
    """The Bangkok roadshow that ended yesterday, with a confirmed pair and a slot and table each."""
    event = factories.EventFactory(
        name="Bangkok Roadshow",
        city=bangkok_centre.city,
        organising_centre=bangkok_centre,
        start_date=days_from_today(-2),
        end_date=days_from_today(-1),
    )
    sme, buyer_registration = pair_of(event, sme_owner, buyer)
    slot = factories.TimeSlotFactory(event=event)
    table = factories.TableFactory(event=event, name="T01")
    return event, sme, buyer_registration, slot, table


# ---------------------------------------------------------------- draft and published
@pytest.mark.django_db
def test_a_draft_event_is_not_on_the_home_page(client, bangkok_centre):
    factories.EventFactory(name="Draft Roadshow", organising_centre=bangkok_centre, status=Event.Status.DRAFT)
    factories.EventFactory(name="Published Roadshow", organising_centre=bangkok_centre)

    response = client.get("/")

    assert [event.name for event in response.context["events"]] == ["Published Roadshow"]


@pytest.mark.django_db
def test_a_draft_event_is_not_offered_to_members_for_registration(client, sme_owner, bangkok_centre):
    draft = factories.EventFactory(name="Draft Roadshow", city=bangkok_centre.city, status=Event.Status.DRAFT)
    factories.EventFactory(name="Published Roadshow", city=bangkok_centre.city)
    client.force_login(sme_owner)

    assert [event.name for event in client.get("/events/join/").context["events"]] == ["Published Roadshow"]
    assert client.get(f"/events/{draft.pk}/join/").status_code == 404


@pytest.mark.django_db
def test_staff_take_an_event_back_to_draft_and_publish_it_again(as_staff, set_up):
    event, _ = set_up

    response = as_staff.post(f"/events/{event.pk}/unpublish/")

    assert response.status_code == 302
    assert Event.objects.get(pk=event.pk).status == Event.Status.DRAFT
    assert messages_of(response) == ["The event is a draft again: only its centre's staff see it."]
    assert "Draft: only its centre" in as_staff.get(f"/events/{event.pk}/").content.decode()

    as_staff.post(f"/events/{event.pk}/publish/")

    assert Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED


@pytest.mark.django_db
def test_publishing_is_by_post_only(as_staff, set_up):
    event, _ = set_up

    assert as_staff.get(f"/events/{event.pk}/unpublish/").status_code == 405
    assert Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED


# ---------------------------------------------------------------- editing
@pytest.mark.django_db
def test_the_edit_form_starts_from_the_events_sessions_and_tables(as_staff, set_up):
    event, _ = set_up

    form = as_staff.get(f"/events/{event.pk}/edit/").context["form"]

    assert (form["morning_starts"].value(), form["morning_ends"].value()) == (dt.time(9, 30), dt.time(12, 0))
    assert (form["afternoon_starts"].value(), form["afternoon_ends"].value()) == (
        dt.time(13, 30),
        dt.time(17),
    )
    assert (form["break_minutes"].value(), form["table_count"].value()) == (0, 10)


@pytest.mark.django_db
def test_staff_rename_an_event_and_its_slots_and_tables_stay(as_staff, set_up):
    event, data = set_up
    slots = list(event.slots.values_list("pk", flat=True))

    response = as_staff.post(f"/events/{event.pk}/edit/", data | {"name": "Khon Kaen Day", "venue": "Hall C"})

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.name, event.venue, event.status) == ("Khon Kaen Day", "Hall C", Event.Status.PUBLISHED)
    assert list(event.slots.values_list("pk", flat=True)) == slots
    assert event.tables.count() == 10


@pytest.mark.django_db
def test_without_meetings_new_days_and_sessions_make_the_slots_again(as_staff, set_up):
    event, data = set_up
    start = days_from_today(40)

    as_staff.post(
        f"/events/{event.pk}/edit/",
        data | {"start_date": start.isoformat(), "end_date": start.isoformat(), "afternoon_ends": "15:00"},
    )

    event.refresh_from_db()
    assert event.start_date == start
    assert event.slots.count() == 8  # 09:30-12:00 and 13:30-15:00 in half hours, one day


@pytest.mark.django_db
def test_once_a_meeting_is_booked_the_days_stay_and_the_form_says_why(as_staff, set_up, sme_owner, buyer):
    event, data = set_up
    sme, buyer_registration = pair_of(event, sme_owner, buyer)
    factories.MeetingFactory(
        slot=event.slots.first(), sme=sme, buyer=buyer_registration, table=event.tables.first()
    )
    later = days_from_today(40).isoformat()

    response = as_staff.post(f"/events/{event.pk}/edit/", data | {"start_date": later, "end_date": later})

    assert response.status_code == 200
    assert response.context["form"].errors == {"start_date": [SCHEDULE_FIXED]}
    assert response.context["form"]["start_date"].value() == later
    event.refresh_from_db()
    assert event.start_date == days_from_today(20)
    assert event.slots.count() == 24


@pytest.mark.django_db
def test_online_meetings_stay_allowed_while_one_is_scheduled(as_staff, set_up, sme_owner, buyer):
    event, data = set_up
    Event.objects.filter(pk=event.pk).update(online_meetings_allowed=True)
    sme, buyer_registration = pair_of(event, sme_owner, buyer)
    factories.MeetingFactory(
        slot=event.slots.first(), sme=sme, buyer=buyer_registration, online=True,
        online_link="https://meet.example.com/a",
    )  # fmt: skip

    response = as_staff.post(f"/events/{event.pk}/edit/", data)  # the box left unticked

    assert response.context["form"].errors == {
        "online_meetings_allowed": ["Online meetings are scheduled: cancel them first."]
    }
    assert Event.objects.get(pk=event.pk).online_meetings_allowed is True


@pytest.mark.django_db
def test_tables_grow_and_shrink_but_a_table_with_a_meeting_stays(as_staff, set_up, sme_owner, buyer):
    event, data = set_up
    sme, buyer_registration = pair_of(event, sme_owner, buyer)
    t10 = event.tables.get(name="T10")
    factories.MeetingFactory(slot=event.slots.first(), sme=sme, buyer=buyer_registration, table=t10)

    as_staff.post(f"/events/{event.pk}/edit/", data | {"table_count": 12})
    assert list(event.tables.order_by("name").values_list("name", flat=True))[-3:] == ["T10", "T11", "T12"]

    as_staff.post(f"/events/{event.pk}/edit/", data | {"table_count": 2})
    assert list(event.tables.order_by("name").values_list("name", flat=True)) == ["T01", "T10"]


@pytest.mark.django_db
def test_staff_of_another_centre_cannot_edit_publish_or_reopen(client, other_centre_staff, set_up):
    event, data = set_up
    client.force_login(other_centre_staff)

    statuses = [
        client.get(f"/events/{event.pk}/edit/").status_code,
        client.post(f"/events/{event.pk}/edit/", data | {"name": "Taken"}).status_code,
        client.post(f"/events/{event.pk}/unpublish/").status_code,
        client.post(
            f"/events/{event.pk}/reopen/", {"until": days_from_today(1), "confirm": "on"}
        ).status_code,
    ]

    assert statuses == [404, 404, 404, 404]
    event.refresh_from_db()
    assert (event.name, event.status) == ("Khon Kaen Smart City Day", Event.Status.PUBLISHED)


# ---------------------------------------------------------------- over: read-only
@pytest.mark.django_db
def test_an_event_over_refuses_bookings_requests_registrations_and_the_scheduler(over, centre_staff):
    event, sme, buyer_registration, slot, table = over
    attempts = [
        lambda: booking_services.meeting_book(
            slot=slot, sme=sme, buyer=buyer_registration, table=table, booked_by=centre_staff
        ),
        lambda: booking_services.meeting_request_create(
            event=event, sme=sme, buyer=buyer_registration, requested_by=centre_staff
        ),
        lambda: booking_services.registration_decide(
            registration=sme, status=Registration.Status.WITHDRAWN, decided_by=centre_staff
        ),
        lambda: scheduler_runs.schedule_event_enqueue(
            event=event, time_limit_seconds=5, started_by=centre_staff
        ),
    ]
    refusals = []
    for attempt in attempts:
        with pytest.raises(ValidationError) as refused:
            attempt()
        refusals.append(refused.value.messages)

    assert refusals == [[READ_ONLY]] * 4
    assert not Meeting.objects.exists()
    assert Registration.objects.get(pk=sme.pk).status == Registration.Status.CONFIRMED
    assert not event.scheduler_runs.exists()


@pytest.mark.django_db
def test_a_meeting_of_an_event_over_cannot_be_cancelled_or_moved(over, centre_staff):
    event, sme, buyer_registration, slot, table = over
    meeting = factories.MeetingFactory(slot=slot, sme=sme, buyer=buyer_registration, table=table)

    with pytest.raises(ValidationError) as cancelling:
        booking_services.meeting_cancel(meeting=meeting, cancelled_by=centre_staff, reason="Too late")
    with pytest.raises(ValidationError) as moving:
        booking_services.meeting_change(meeting=meeting, changed_by=centre_staff, locked=True)

    assert cancelling.value.messages == moving.value.messages == [READ_ONLY]
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.SCHEDULED


@pytest.mark.django_db
def test_the_pages_of_an_event_over_offer_no_booking_registration_or_scheduler_buttons(
    client, centre_staff, over
):
    event = over[0]
    client.force_login(centre_staff)

    grid = client.get(f"/events/{event.pk}/grid/").content.decode()
    registrations = client.get(f"/events/{event.pk}/registrations/").content.decode()
    overview = client.get(f"/events/{event.pk}/").content.decode()

    assert "its requests, registrations and meetings are read-only" in grid
    assert f"/events/{event.pk}/meetings/new/" not in grid
    assert f"/events/{event.pk}/registrations/new/" not in registrations
    assert "/withdraw/" not in registrations
    assert f"/events/{event.pk}/schedule/" not in overview
    assert f"/events/{event.pk}/reopen/" in overview


@pytest.mark.django_db
def test_a_member_cannot_request_a_meeting_at_an_event_over(client, sme_owner, over):
    event, sme, buyer_registration, *_ = over
    client.force_login(sme_owner)

    page = client.get(f"/events/{event.pk}/meet/").content.decode()
    response = client.post(f"/events/{event.pk}/meet/", {"with": buyer_registration.pk, "priority": "would"})

    assert "Request a meeting</button>" not in page
    assert messages_of(response) == [READ_ONLY]
    assert not event.meeting_requests.exists()


# ---------------------------------------------------------------- reopening
@pytest.mark.django_db
def test_reopening_needs_the_confirmation(client, centre_staff, over):
    event = over[0]
    client.force_login(centre_staff)

    response = client.post(f"/events/{event.pk}/reopen/", {"until": days_from_today(3).isoformat()})

    assert messages_of(response) == ["Tick the confirmation to reopen the event."]
    assert Event.objects.get(pk=event.pk).reopened_until is None


@pytest.mark.django_db
def test_staff_reopen_an_event_over_and_book_the_meeting_that_was_held(client, centre_staff, over):
    event, sme, buyer_registration, slot, table = over
    client.force_login(centre_staff)
    until = days_from_today(3)

    response = client.post(f"/events/{event.pk}/reopen/", {"until": until.isoformat(), "confirm": "on"})

    event.refresh_from_db()
    assert (event.reopened_until, event.reopened_by) == (until, centre_staff)
    assert event.reopened_at is not None
    assert event.is_reopened and not event.is_read_only
    assert len(messages_of(response)) == 1
    meeting = booking_services.meeting_book(
        slot=slot, sme=sme, buyer=buyer_registration, table=table, booked_by=centre_staff
    )
    assert meeting.status == Meeting.Status.SCHEDULED

    client.post(f"/events/{event.pk}/reopen/end/")

    assert Event.objects.get(pk=event.pk).is_read_only


@pytest.mark.django_db
@pytest.mark.parametrize("days", [-1, 31])
def test_a_reopening_ends_between_today_and_thirty_days_on(centre_staff, over, days):
    event = over[0]

    with pytest.raises(ValidationError) as refused:
        event_reopen(event=event, until=days_from_today(days), reopened_by=centre_staff)

    last = event.local_today() + dt.timedelta(days=30)
    assert refused.value.message_dict == {"until": [f"Choose a day from today to {last}."]}


@pytest.mark.django_db
def test_an_upcoming_event_is_not_reopened(as_staff, set_up):
    event, _ = set_up

    response = as_staff.post(f"/events/{event.pk}/reopen/", {"until": days_from_today(3), "confirm": "on"})

    assert messages_of(response) == ["This event is not over yet: it is open to changes already."]
    assert Event.objects.get(pk=event.pk).reopened_by is None
