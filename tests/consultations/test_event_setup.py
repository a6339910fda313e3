"""Centre staff set up an event (slots generated in its local time) and members answer requests."""

import datetime as dt
import io
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from matching.consultations.booking.models import MeetingRequest
from matching.consultations.events.models import Event
from matching.consultations.events.services import Session, slots_for
from tests import factories

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
TWO_SESSIONS = [Session("am", dt.time(9, 30), dt.time(12, 0)), Session("pm", dt.time(13, 30), dt.time(17, 0))]


def event_form(city, **changes):
    data = {
        "name": "Khon Kaen Smart City Day",
        "slug": "khon-kaen-day",
        "city": city.pk,
        "venue": "Khon Kaen Convention Hall",
        "start_date": "2026-12-10",
        "end_date": "2026-12-11",
        "time_zone": "Asia/Bangkok",
        "slot_minutes": 30,
        "morning_starts": "09:30",
        "morning_ends": "12:00",
        "afternoon_starts": "13:30",
        "afternoon_ends": "17:00",
        "break_minutes": 0,
        "table_count": 10,
    }
    return data | changes


def test_slots_are_cut_from_each_session_of_each_day_in_the_events_local_time():
    event = Event(start_date=dt.date(2022, 10, 6), end_date=dt.date(2022, 10, 7), time_zone="Asia/Bangkok")
    event.slot_minutes = 30

    slots = list(slots_for(event=event, sessions=TWO_SESSIONS))

    assert len(slots) == 2 * (5 + 7)
    first_start, first_end, first_session = slots[0]
    assert first_start == dt.datetime(2022, 10, 6, 2, 30, tzinfo=dt.UTC)
    assert first_start.astimezone(BANGKOK).time() == dt.time(9, 30)
    assert first_end - first_start == dt.timedelta(minutes=30)
    assert first_session == "am"
    last_start, last_end, last_session = slots[-1]
    assert last_end.astimezone(BANGKOK) == dt.datetime(2022, 10, 7, 17, 0, tzinfo=BANGKOK)
    assert last_session == "pm"


def test_a_break_between_slots_leaves_a_gap_and_a_slot_never_runs_past_its_session():
    event = Event(start_date=dt.date(2022, 10, 6), end_date=dt.date(2022, 10, 6), time_zone="Asia/Bangkok")
    event.slot_minutes = 45

    slots = list(slots_for(event=event, sessions=TWO_SESSIONS[:1], break_minutes=15))

    local_starts = [start.astimezone(BANGKOK).time() for start, _, _ in slots]
    assert local_starts == [dt.time(9, 30), dt.time(10, 30)]


@pytest.mark.django_db
def test_staff_create_an_event_of_their_centre_with_generated_slots_and_named_tables(client, centre_staff):
    khon_kaen = factories.CityFactory(country=centre_staff.trade_centre.city.country, name_en="Khon Kaen")
    client.force_login(centre_staff)

    response = client.post("/events/new/", event_form(khon_kaen))

    event = Event.objects.get(slug="khon-kaen-day")
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.pk}/"
    assert event.organising_centre == centre_staff.trade_centre
    assert event.slots.count() == 24
    assert list(event.tables.values_list("name", flat=True)[:3]) == ["T01", "T02", "T03"]
    assert event.tables.count() == 10
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert "09:30–10:00" in page
    assert "16:30–17:00" in page


@pytest.mark.django_db
def test_staff_cannot_set_up_an_event_in_a_country_their_centre_does_not_cover(client, centre_staff):
    turkiye = factories.CountryFactory(iso_code="TR", name_en="Türkiye")
    ankara = factories.CityFactory(country=turkiye, name_en="Ankara")
    client.force_login(centre_staff)

    response = client.post("/events/new/", event_form(ankara))

    assert response.status_code == 200
    assert response.context["form"].errors["city"] == [
        "Ankara is in Türkiye, not in Thailand: choose a city of Thailand."
    ]
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_a_bad_event_form_re_renders_with_precise_errors_and_the_typed_values(client, centre_staff):
    khon_kaen = factories.CityFactory(country=centre_staff.trade_centre.city.country, name_en="Khon Kaen")
    client.force_login(centre_staff)
    data = event_form(khon_kaen, morning_ends="09:00", time_zone="Mars/Olympus", table_count=0)

    response = client.post("/events/new/", data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "A session must end after it starts." in page
    assert "“Mars/Olympus” is not an IANA time zone such as Asia/Bangkok." in page
    assert "Ensure this value is greater than or equal to 1." in page
    assert 'value="Khon Kaen Convention Hall"' in page
    assert not Event.objects.exists()


@pytest.fixture
def staff_request(db, sme_owner, buyer):
    event = factories.EventFactory(name="Answer Roadshow")
    return factories.MeetingRequestFactory(
        event=event,
        sme=factories.SmeRegistrationFactory(event=event, company=sme_owner.company),
        buyer=factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation),
        requested_by_sme=False,
    )


def test_the_asked_company_accepts_a_request_and_both_sides_are_told(
    client, sme_owner, buyer, staff_request, django_capture_on_commit_callbacks
):
    client.force_login(sme_owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/requests/{staff_request.pk}/accept/")

    staff_request.refresh_from_db()
    assert response.status_code == 302
    assert staff_request.status == MeetingRequest.Status.ACCEPTED
    assert staff_request.answered_at is not None
    assert sorted(message.to[0] for message in mail.outbox) == sorted([buyer.email, sme_owner.email])
    assert all(message.subject.startswith("Meeting request accepted at") for message in mail.outbox)


def test_the_side_that_asked_cannot_answer_its_own_request(client, buyer, staff_request):
    client.force_login(buyer)

    response = client.post(f"/events/requests/{staff_request.pk}/decline/")

    staff_request.refresh_from_db()
    assert response.status_code == 404
    assert staff_request.status == MeetingRequest.Status.PENDING


def test_a_request_past_the_events_deadline_expires_instead_of_being_answered(
    client, sme_owner, staff_request
):
    Event.objects.filter(pk=staff_request.event_id).update(
        request_deadline=timezone.now() - dt.timedelta(hours=1)
    )
    client.force_login(sme_owner)

    response = client.post(f"/events/requests/{staff_request.pk}/accept/")

    staff_request.refresh_from_db()
    assert response.status_code == 404
    assert staff_request.status == MeetingRequest.Status.PENDING
    output = io.StringIO()
    call_command("expire_meeting_requests", stdout=output)
    assert output.getvalue() == "1 meeting request(s) expired.\n"
    staff_request.refresh_from_db()
    assert staff_request.status == MeetingRequest.Status.EXPIRED


def test_an_answered_request_cannot_be_answered_again(client, sme_owner, staff_request):
    client.force_login(sme_owner)
    client.post(f"/events/requests/{staff_request.pk}/decline/")

    response = client.post(f"/events/requests/{staff_request.pk}/accept/")

    staff_request.refresh_from_db()
    assert response.status_code == 404
    assert staff_request.status == MeetingRequest.Status.DECLINED


def test_an_empty_slug_and_time_zone_come_from_the_name_and_the_city(client, centre_staff, bangkok_centre):
    factories.EventFactory(slug="khon-kaen-smart-city-day")
    client.force_login(centre_staff)

    response = client.post("/events/new/", event_form(bangkok_centre.city, slug="", time_zone=""))

    event = Event.objects.get(name="Khon Kaen Smart City Day")
    assert response.status_code == 302
    assert (event.slug, event.time_zone) == ("khon-kaen-smart-city-day-2", "Asia/Bangkok")
