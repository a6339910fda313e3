"""Inputs at the edges that the fuzzing (tests/test_fuzzing.py) turned into server errors, each fixed.

Event dates at the ends of the calendar, a dashboard parameter that only looks like a number, a
`next` address that is not a path, an MOU between two long names, and names with a line break in
e-mail subjects and calendar files.
"""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from matching.consultations.booking import services
from matching.consultations.booking.models import Meeting
from matching.consultations.events.models import Event
from matching.consultations.outcomes.models import Mou
from tests import factories
from tests.consultations.test_event_setup import event_form as setup_event_form

YEARS = "Give a date between 2000-01-01 and 2100-12-31."


def event_form(city, **changes):
    """The event set-up tests' form, later in time, with two tables and no slug (the form makes one)."""
    data = setup_event_form(city, start_date="2030-12-10", end_date="2030-12-11", table_count=2)
    del data["slug"]
    return data | changes


@pytest.mark.parametrize(
    ("day", "zone"),
    [("0001-01-01", "Asia/Bangkok"), ("9999-12-31", "America/Adak"), ("1999-12-31", "Asia/Bangkok")],
)
def test_an_event_at_the_end_of_the_calendar_is_refused_with_a_message_not_a_server_error(
    client, centre_staff, bangkok_centre, day, zone
):
    client.force_login(centre_staff)

    response = client.post(
        "/events/new/", event_form(bangkok_centre.city, start_date=day, end_date=day, time_zone=zone)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["start_date"] == [YEARS]
    assert response.context["form"].errors["end_date"] == [YEARS]
    assert Event.objects.count() == 0


def test_a_request_deadline_in_year_one_is_refused_so_the_events_pages_keep_loading(
    client, centre_staff, bangkok_centre
):
    client.force_login(centre_staff)

    response = client.post(
        "/events/new/", event_form(bangkok_centre.city, request_deadline="0001-01-01T00:00")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["request_deadline"] == [YEARS]
    assert Event.objects.count() == 0


def test_the_admin_refuses_a_request_deadline_in_year_one_too(admin_client):
    event = factories.EventFactory()

    response = admin_client.post(
        reverse("admin:consultations_event_change", args=[event.pk]),
        {
            "name": event.name,
            "slug": event.slug,
            "city": event.city_id,
            "venue": event.venue,
            "start_date": event.start_date.isoformat(),
            "end_date": event.end_date.isoformat(),
            "time_zone": event.time_zone,
            "organising_centre": event.organising_centre_id,
            "slot_minutes": event.slot_minutes,
            "request_deadline_0": "0001-01-01",
            "request_deadline_1": "00:00",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["request_deadline"] == [YEARS]
    event.refresh_from_db()
    assert event.request_deadline is None


def test_an_event_on_the_first_and_last_allowed_days_is_set_up(client, centre_staff, bangkok_centre):
    client.force_login(centre_staff)

    first = client.post(
        "/events/new/", event_form(bangkok_centre.city, start_date="2000-01-01", end_date="2000-01-01")
    )
    last = client.post(
        "/events/new/",
        event_form(bangkok_centre.city, name="Last", start_date="2100-12-31", end_date="2100-12-31"),
    )

    assert (first.status_code, last.status_code) == (302, 302)
    assert client.get(last["Location"]).status_code == 200


@pytest.mark.parametrize("value", ["²", "١", "9" * 5000, "99999999999999999999", "1e3", "-1"])
def test_a_dashboard_event_that_is_not_a_plain_number_shows_all_events(client, centre_staff, value):
    client.force_login(centre_staff)

    page = client.get("/dashboard/", {"event": value})
    csv = client.get("/dashboard/export.csv", {"event": value})

    assert (page.status_code, csv.status_code) == (200, 200)
    assert page.context["chosen"] is None
    assert csv["Content-Disposition"] == 'attachment; filename="meetings.csv"'


@pytest.fixture
def confirmed_pair(bangkok_centre, sme_owner, buyer):
    event = factories.EventFactory(city=bangkok_centre.city, organising_centre=bangkok_centre)
    return (
        event,
        factories.SmeRegistrationFactory(event=event, company=sme_owner.company),
        factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation),
    )


@pytest.mark.parametrize(
    "next_url", ["abc", "2024-10-06T25:00", "\"'><img src=x onerror=alert(1)>", "//evil.example/"]
)
def test_a_next_address_that_is_not_a_path_of_the_site_sends_staff_back_to_the_suggestions(
    client, centre_staff, confirmed_pair, next_url
):
    event, sme, buyer = confirmed_pair
    client.force_login(centre_staff)

    response = client.post(
        f"/events/{event.pk}/requests/", {"sme": sme.pk, "buyer": buyer.pk, "next": next_url}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:suggestions", args=[event.pk])


def test_a_next_path_of_the_site_is_where_staff_go_after_requesting(client, centre_staff, confirmed_pair):
    event, sme, buyer = confirmed_pair
    client.force_login(centre_staff)
    back = "/demands/7/matches/?q=%ED%99%8D%EC%88%98"

    response = client.post(f"/events/{event.pk}/requests/", {"sme": sme.pk, "buyer": buyer.pk, "next": back})

    assert response["Location"] == back


def test_a_signed_mou_between_two_long_names_is_recorded_with_a_shortened_title(
    client, centre_staff, bangkok_centre
):
    event = factories.EventFactory(
        city=bangkok_centre.city,
        organising_centre=bangkok_centre,
        start_date=timezone.localdate() - dt.timedelta(days=5),
    )
    starts = timezone.now() - dt.timedelta(days=3)
    meeting = factories.MeetingFactory(
        slot=factories.TimeSlotFactory(
            event=event, starts_at=starts, ends_at=starts + dt.timedelta(minutes=30)
        ),
        sme=factories.SmeRegistrationFactory(
            event=event, company=factories.CompanyFactory(name_en="C" * 200)
        ),
        buyer=factories.BuyerRegistrationFactory(
            event=event, buyer=factories.BuyerOrganisationFactory(name="B" * 200, city=bangkok_centre.city)
        ),
    )
    client.force_login(centre_staff)

    response = client.post(
        f"/events/meetings/{meeting.pk}/outcome/",
        {
            "attendance": "held",
            "interest": "high",
            "next_step": "mou",
            "mou_signed": "on",
            "mou_signed_on": "2030-10-07",
        },
    )

    assert response.status_code == 302
    mou = Mou.objects.get(meeting=meeting)
    assert mou.title == "MOU: " + "C" * 194 + "…"


def test_names_with_a_line_break_reach_e_mail_subjects_and_calendar_files_on_one_line(
    client, centre_staff, bangkok_centre, django_capture_on_commit_callbacks
):
    event = factories.EventFactory(
        name="Smart City\r\nDay", city=bangkok_centre.city, organising_centre=bangkok_centre
    )
    company = factories.CompanyFactory(name_en="Daejeon\r\nSignals")
    factories.SmeMemberFactory(
        company=company, email="jiwoo@example.com", first_name="Ji-woo\r\n", last_name="Park"
    )
    sme = factories.SmeRegistrationFactory(event=event, company=company)
    buyer = factories.BuyerRegistrationFactory(event=event)

    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_book(
            slot=factories.TimeSlotFactory(event=event),
            sme=sme,
            buyer=buyer,
            booked_by=centre_staff,
            table=factories.TableFactory(event=event),
            mode=Meeting.Mode.IN_PERSON,
        )
    client.force_login(centre_staff)
    agenda = client.get(f"/events/registrations/{sme.pk}/agenda.ics")

    (message,) = mail.outbox
    assert message.subject.startswith(f"Meeting booked at Smart City Day: Daejeon Signals and {buyer},")
    invitation = Calendar.from_ical(message.attachments[0].get_payload(decode=True))
    assert invitation.walk("VEVENT")[0]["ATTENDEE"].params["CN"] == "Ji-woo Park"
    assert agenda.status_code == 200
    assert str(Calendar.from_ical(agenda.content)["NAME"]) == "Daejeon Signals · Smart City Day"
    assert meeting.pk


@pytest.mark.parametrize(
    ("form_class", "field"),
    [
        ("MeetingRequestForm", "message"),
        ("OutcomeForm", "notes"),
        ("FollowUpForm", "notes"),
    ],
)
@pytest.mark.django_db
def test_free_text_over_5000_characters_is_refused_with_its_length_and_kept(form_class, field):
    from matching.consultations.booking import forms as booking_forms
    from matching.consultations.outcomes import forms as outcome_forms

    forms = booking_forms if form_class == "MeetingRequestForm" else outcome_forms
    text = "주차" * 3500  # 7000 characters

    form = getattr(forms, form_class)(data={field: text})

    assert not form.is_valid()
    assert form.errors[field] == ["Ensure this value has at most 5000 characters (it has 7000)."]
    assert form[field].value() == text


def test_every_form_of_an_event_description_allows_at_most_5000_characters():
    assert Event._meta.get_field("description").formfield().max_length == 5000
