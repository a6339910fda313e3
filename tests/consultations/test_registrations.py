"""Who takes part in an event: staff register companies and buyers, confirm and withdraw them and keep
the interpreters; members register their own organisation, pending until the centre confirms it.

Staff pages are under /events/<pk>/registrations/ and /events/<pk>/interpreters/; members use
/events/join/ and /events/<pk>/join/.
"""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from matching.consultations.booking import services as booking_services
from matching.consultations.booking.models import Meeting
from matching.consultations.events import services as event_services
from matching.consultations.events.forms import RegistrationForm
from matching.consultations.events.models import Interpreter, Registration
from matching.kernel.models import ApprovalStatus
from tests import factories
from tests.consultations.test_agendas import EVENT, VENUE, slot_at


@pytest.fixture
def languages(db):
    return SimpleNamespace(
        en=factories.LanguageFactory(code="en", name_en="English", name_ko="영어"),
        ko=factories.LanguageFactory(code="ko", name_en="Korean", name_ko="한국어"),
        th=factories.LanguageFactory(code="th", name_en="Thai", name_ko="태국어"),
    )


@pytest.fixture
def roadshow(bangkok_centre, languages):
    """The Bangkok centre's roadshow with three slots on its first day and nobody registered."""
    event = factories.EventFactory(
        name=EVENT,
        slug="bangkok-2025",
        city=bangkok_centre.city,
        venue=VENUE,
        organising_centre=bangkok_centre,
        start_date=dt.date(2025, 10, 6),
    )
    return SimpleNamespace(
        event=event,
        slots=[slot_at(event, 9, 30), slot_at(event, 10), slot_at(event, 10, 30)],
        languages=languages,
    )


def url(name, event, *args):
    return reverse(f"consultations:{name}", args=[event.pk, *args])


def registration_form(**changes):
    data = {"max_meetings": 12}
    return data | changes


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def options(response, name):
    """The labels of the options of the form's <select name=...>."""
    html = response.content.decode()
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def checked(response, name):
    """The values of the ticked checkboxes named `name`."""
    html = response.content.decode()
    return [
        value
        for tag in re.findall(rf'<input type="checkbox"[^>]* name="{name}"[^>]*>', html)
        if " checked" in tag
        for value in re.findall(r'value="([^"]*)"', tag)
    ]


def table_rows(response):
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


# ================================================================ staff register participants
def test_staff_register_an_approved_company_with_its_languages_slots_and_limit(
    client, centre_staff, roadshow, sme_owner
):
    client.force_login(centre_staff)
    en, th = roadshow.languages.en, roadshow.languages.th
    data = registration_form(
        company=sme_owner.company.pk,
        languages=[en.pk, th.pk],
        needs_interpreter="on",
        max_meetings=6,
        unavailable_slots=[roadshow.slots[0].pk, roadshow.slots[2].pk],
    )

    response = client.post(url("registration_create", roadshow.event), data)

    assert response.status_code == 302
    assert response["Location"] == url("registrations", roadshow.event)
    registration = Registration.objects.get()
    assert (registration.event, registration.company, registration.buyer) == (
        roadshow.event,
        sme_owner.company,
        None,
    )
    assert (registration.status, registration.needs_interpreter, registration.max_meetings) == (
        Registration.Status.CONFIRMED,
        True,
        6,
    )
    assert list(registration.languages.all()) == [en, th]
    assert list(registration.unavailable_slots.all()) == [roadshow.slots[0], roadshow.slots[2]]
    assert messages_of(response) == ["Seoul Traffic Systems is registered."]


def test_staff_register_an_approved_buyer(client, centre_staff, roadshow, buyer):
    client.force_login(centre_staff)

    response = client.post(
        url("registration_create", roadshow.event), registration_form(buyer=buyer.buyer_organisation.pk)
    )

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.company, registration.buyer, registration.status) == (
        None,
        buyer.buyer_organisation,
        Registration.Status.CONFIRMED,
    )


@pytest.mark.parametrize("both", [True, False], ids=["both", "neither"])
def test_a_registration_for_both_a_company_and_a_buyer_or_neither_is_refused_with_the_data_kept(
    client, centre_staff, roadshow, sme_owner, buyer, both
):
    client.force_login(centre_staff)
    organisation = {"company": sme_owner.company.pk, "buyer": buyer.buyer_organisation.pk} if both else {}
    data = registration_form(
        **organisation,
        languages=[roadshow.languages.th.pk],
        max_meetings=7,
        unavailable_slots=[roadshow.slots[1].pk],
    )

    response = client.post(url("registration_create", roadshow.event), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "company": ["Choose a Korean company or a buyer (one of the two)."]
    }
    assert "Choose a Korean company or a buyer (one of the two)." in response.content.decode()
    assert checked(response, "languages") == [str(roadshow.languages.th.pk)]
    assert checked(response, "unavailable_slots") == [str(roadshow.slots[1].pk)]
    assert 'name="max_meetings" value="7"' in response.content.decode()
    assert Registration.objects.count() == 0


def test_a_company_already_registered_or_not_approved_is_not_offered(
    client, centre_staff, roadshow, sme_owner, stranger
):
    factories.SmeRegistrationFactory(event=roadshow.event, company=sme_owner.company)
    factories.CompanyFactory(name_en="Daegu Pending Robotics", approval_status=ApprovalStatus.PENDING)
    client.force_login(centre_staff)

    response = client.get(url("registration_create", roadshow.event))

    assert options(response, "company") == ["---------", "Busan Water Tech"]


def test_a_company_already_registered_cannot_be_registered_twice(client, centre_staff, roadshow, sme_owner):
    factories.SmeRegistrationFactory(event=roadshow.event, company=sme_owner.company)
    client.force_login(centre_staff)

    response = client.post(
        url("registration_create", roadshow.event), registration_form(company=sme_owner.company.pk)
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "company": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert Registration.objects.count() == 1


def test_a_company_registered_for_another_event_can_still_be_registered(
    client, centre_staff, roadshow, sme_owner
):
    factories.SmeRegistrationFactory(company=sme_owner.company)
    client.force_login(centre_staff)

    response = client.get(url("registration_create", roadshow.event))

    assert "Seoul Traffic Systems" in options(response, "company")


def test_registering_an_organisation_twice_through_the_service_gives_the_constraints_message(
    roadshow, sme_owner
):
    factories.SmeRegistrationFactory(event=roadshow.event, company=sme_owner.company)
    form = RegistrationForm(
        {"max_meetings": 5}, instance=Registration(company=sme_owner.company), event=roadshow.event
    )
    assert form.is_valid(), form.errors

    with pytest.raises(ValidationError) as refused:
        event_services.registration_save(form=form, event=roadshow.event, status=Registration.Status.PENDING)

    assert refused.value.messages == ["This company is already registered for the event."]
    assert Registration.objects.count() == 1


def test_staff_edit_a_registration(client, centre_staff, roadshow):
    registration = factories.SmeRegistrationFactory(event=roadshow.event, max_meetings=12)
    client.force_login(centre_staff)
    data = registration_form(
        max_meetings=4, languages=[roadshow.languages.ko.pk], unavailable_slots=[roadshow.slots[1].pk]
    )

    response = client.post(url("registration_edit", roadshow.event, registration.pk), data)

    assert response.status_code == 302
    assert response["Location"] == url("registrations", roadshow.event)
    registration.refresh_from_db()
    assert registration.max_meetings == 4
    assert list(registration.languages.all()) == [roadshow.languages.ko]
    assert list(registration.unavailable_slots.all()) == [roadshow.slots[1]]
    assert messages_of(response) == [f"{registration}'s registration is saved."]


def test_the_edit_form_shows_the_registrations_details(client, centre_staff, roadshow):
    registration = factories.SmeRegistrationFactory(
        event=roadshow.event,
        languages=[roadshow.languages.en],
        unavailable_slots=[roadshow.slots[2]],
        max_meetings=9,
    )
    client.force_login(centre_staff)

    response = client.get(url("registration_edit", roadshow.event, registration.pk))

    assert response.status_code == 200
    assert checked(response, "languages") == [str(roadshow.languages.en.pk)]
    assert checked(response, "unavailable_slots") == [str(roadshow.slots[2].pk)]
    assert 'name="max_meetings" value="9"' in response.content.decode()
    assert "company" not in response.context["form"].fields


# ---------------------------------------------------------------- confirm and withdraw
def test_staff_confirm_a_pending_registration(client, centre_staff, roadshow):
    registration = factories.SmeRegistrationFactory(event=roadshow.event, status=Registration.Status.PENDING)
    client.force_login(centre_staff)

    response = client.post(url("registration_decide", roadshow.event, registration.pk, "confirm"))

    assert response.status_code == 302
    assert response["Location"] == url("registrations", roadshow.event)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert messages_of(response) == [f"{registration}'s registration is confirmed."]


def test_a_decision_is_taken_by_post_only(client, centre_staff, roadshow):
    registration = factories.SmeRegistrationFactory(event=roadshow.event, status=Registration.Status.PENDING)
    client.force_login(centre_staff)

    response = client.get(url("registration_decide", roadshow.event, registration.pk, "confirm"))

    assert response.status_code == 405
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING


@pytest.fixture
def booked_company(roadshow, sme_owner, buyer):
    """sme_owner's company with two scheduled meetings (the buyer's at 09:30, another at 10:00) and a
    held one at 10:30."""
    event = roadshow.event
    sme = factories.SmeRegistrationFactory(event=event, company=sme_owner.company)
    table = factories.TableFactory(event=event, name="T01")
    first = factories.MeetingFactory(
        slot=roadshow.slots[0],
        sme=sme,
        buyer=factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation),
        table=table,
    )
    second = factories.MeetingFactory(slot=roadshow.slots[1], sme=sme, table=table)
    held = factories.MeetingFactory(slot=roadshow.slots[2], sme=sme, table=table, status=Meeting.Status.HELD)
    return SimpleNamespace(registration=sme, first=first, second=second, held=held)


def test_withdrawing_a_registration_cancels_its_scheduled_meetings(
    client, centre_staff, roadshow, booked_company, django_capture_on_commit_callbacks
):
    client.force_login(centre_staff)
    registration = booked_company.registration

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("registration_decide", roadshow.event, registration.pk, "withdraw"))

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.WITHDRAWN
    statuses = {
        meeting.pk: (meeting.status, meeting.sequence) for meeting in Meeting.objects.filter(sme=registration)
    }
    assert statuses == {
        booked_company.first.pk: (Meeting.Status.CANCELLED, 1),
        booked_company.second.pk: (Meeting.Status.CANCELLED, 1),
        booked_company.held.pk: (Meeting.Status.HELD, 0),
    }
    assert messages_of(response) == ["Seoul Traffic Systems is withdrawn; their meetings are cancelled."]
    # One cancellation per scheduled meeting to each member with an address: the company's
    # member twice, the first buyer's member once (the second buyer has no member).
    assert sorted(message.to[0] for message in mail.outbox) == [
        "buyer@example.com",
        "sme_owner@example.com",
        "sme_owner@example.com",
    ]
    for message in mail.outbox:
        calendar = Calendar.from_ical(message.attachments[0].get_payload(decode=True))
        assert calendar["METHOD"] == "CANCEL"


def test_withdrawing_a_buyer_cancels_its_meetings_and_frees_their_tables(roadshow, booked_company):
    buyer_registration = booked_company.first.buyer

    booking_services.registration_decide(
        registration=buyer_registration, status=Registration.Status.WITHDRAWN, decided_by=None
    )

    assert Meeting.objects.get(pk=booked_company.first.pk).status == Meeting.Status.CANCELLED
    assert Meeting.objects.get(pk=booked_company.second.pk).status == Meeting.Status.SCHEDULED
    again = booking_services.meeting_book(
        slot=roadshow.slots[0],
        sme=factories.SmeRegistrationFactory(event=roadshow.event),
        buyer=factories.BuyerRegistrationFactory(event=roadshow.event),
        table=booked_company.first.table,
        booked_by=None,
    )
    assert again.table == booked_company.first.table


def test_confirming_a_registration_leaves_its_meetings_alone(roadshow, booked_company):
    booking_services.registration_decide(
        registration=booked_company.registration, status=Registration.Status.CONFIRMED, decided_by=None
    )

    assert set(Meeting.objects.values_list("status", flat=True)) == {
        Meeting.Status.SCHEDULED,
        Meeting.Status.HELD,
    }


# ---------------------------------------------------------------- the list
def test_the_list_shows_smes_first_pending_ones_first_with_their_details(
    client, centre_staff, roadshow, sme_owner, buyer
):
    factories.SmeRegistrationFactory(
        event=roadshow.event,
        company=sme_owner.company,
        languages=[roadshow.languages.en, roadshow.languages.ko],
        needs_interpreter=True,
        max_meetings=6,
        unavailable_slots=roadshow.slots[:2],
    )
    factories.SmeRegistrationFactory(
        event=roadshow.event,
        company=factories.CompanyFactory(name_en="Busan Water Tech"),
        status=Registration.Status.PENDING,
    )
    factories.BuyerRegistrationFactory(
        event=roadshow.event,
        buyer=buyer.buyer_organisation,
        status=Registration.Status.WITHDRAWN,
        languages=[roadshow.languages.th],
    )
    client.force_login(centre_staff)

    response = client.get(url("registrations", roadshow.event))

    assert response.status_code == 200
    assert table_rows(response) == [
        ["Korean SME Busan Water Tech", "Pending", "–", "–", "12", "0", "Confirm Edit Withdraw"],
        [
            "Korean SME Seoul Traffic Systems",
            "Confirmed",
            "English, Korean",
            "needs an interpreter",
            "6",
            "2",
            "Edit Withdraw",
        ],
        ["Buyer Khon Kaen City Municipality", "Withdrawn", "Thai", "–", "12", "0", "Edit"],
    ]
    assert "1 registration awaits your confirmation" in response.content.decode()


def test_the_list_takes_the_same_number_of_queries_for_1_and_for_20_registrations(
    client, centre_staff, roadshow, django_assert_num_queries
):
    def register(n):
        factory = factories.SmeRegistrationFactory if n % 2 else factories.BuyerRegistrationFactory
        factory(
            event=roadshow.event,
            status=[Registration.Status.PENDING, Registration.Status.CONFIRMED][n % 2],
            languages=[roadshow.languages.en, roadshow.languages.th],
            unavailable_slots=roadshow.slots[: n % 3],
        )

    register(1)
    client.force_login(centre_staff)
    list_url = url("registrations", roadshow.event)
    client.get(list_url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(list_url).status_code == 200
    for n in range(2, 21):
        register(n)

    with django_assert_num_queries(len(one)):
        response = client.get(list_url)

    assert len(table_rows(response)) == 20


# ================================================================ interpreters
def test_staff_add_an_interpreter_with_languages_and_unavailable_slots(client, centre_staff, roadshow):
    client.force_login(centre_staff)
    data = {
        "name": "Kim Soyeon",
        "email": "soyeon@interpret.example",
        "languages": [roadshow.languages.ko.pk, roadshow.languages.th.pk],
        "unavailable_slots": [roadshow.slots[1].pk],
    }

    response = client.post(url("interpreters", roadshow.event), data)

    assert response.status_code == 302
    assert response["Location"] == url("interpreters", roadshow.event)
    interpreter = Interpreter.objects.get()
    assert (interpreter.event, interpreter.name, interpreter.email) == (
        roadshow.event,
        "Kim Soyeon",
        "soyeon@interpret.example",
    )
    assert list(interpreter.languages.all()) == [roadshow.languages.ko, roadshow.languages.th]
    assert list(interpreter.unavailable_slots.all()) == [roadshow.slots[1]]
    assert messages_of(response) == ["Kim Soyeon is added."]


def test_an_interpreter_needs_a_name_and_a_language(client, centre_staff, roadshow):
    client.force_login(centre_staff)

    response = client.post(url("interpreters", roadshow.event), {"email": "nobody@interpret.example"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": ["This field is required."],
        "languages": ["This field is required."],
    }
    assert 'value="nobody@interpret.example"' in response.content.decode()
    assert Interpreter.objects.count() == 0


def test_the_interpreter_list_shows_each_with_languages_and_address(client, centre_staff, roadshow):
    factories.InterpreterFactory(
        event=roadshow.event,
        name="Lee Jisoo",
        email="jisoo@interpret.example",
        languages=[roadshow.languages.en, roadshow.languages.ko],
    )
    factories.InterpreterFactory(event=roadshow.event, name="Kim Soyeon", languages=[roadshow.languages.th])
    factories.InterpreterFactory(name="Elsewhere Interpreter")
    client.force_login(centre_staff)

    response = client.get(url("interpreters", roadshow.event))

    html = response.content.decode()
    names = re.findall(r'<span class="fw-semibold">([^<]*)</span>', html)
    assert names == ["Kim Soyeon", "Lee Jisoo"]
    assert "English, Korean · jisoo@interpret.example" in html


def test_staff_edit_an_interpreters_languages_and_availability(client, centre_staff, roadshow):
    interpreter = factories.InterpreterFactory(
        event=roadshow.event, name="Kim Soyeon", languages=[roadshow.languages.ko]
    )
    interpreter.unavailable_slots.add(roadshow.slots[0])
    client.force_login(centre_staff)
    data = {
        "name": "Kim Soyeon",
        "email": "soyeon@interpret.example",
        "languages": [roadshow.languages.ko.pk, roadshow.languages.en.pk],
        "unavailable_slots": [roadshow.slots[2].pk],
    }

    response = client.post(url("interpreter_edit", roadshow.event, interpreter.pk), data)

    assert response.status_code == 302
    assert response["Location"] == url("interpreters", roadshow.event)
    interpreter.refresh_from_db()
    assert interpreter.email == "soyeon@interpret.example"
    assert list(interpreter.languages.all()) == [roadshow.languages.en, roadshow.languages.ko]
    assert list(interpreter.unavailable_slots.all()) == [roadshow.slots[2]]
    assert messages_of(response) == ["Kim Soyeon is saved."]


def test_an_interpreter_of_another_event_is_not_found_under_this_one(client, centre_staff, roadshow):
    elsewhere = factories.InterpreterFactory(event__organising_centre=roadshow.event.organising_centre)
    client.force_login(centre_staff)

    assert client.get(url("interpreter_edit", roadshow.event, elsewhere.pk)).status_code == 404


# ---------------------------------------------------------------- staff of another centre
def test_staff_of_another_centre_get_404_on_the_registration_and_interpreter_pages(
    client, other_centre_staff, roadshow
):
    registration = factories.SmeRegistrationFactory(event=roadshow.event, status=Registration.Status.PENDING)
    interpreter = factories.InterpreterFactory(event=roadshow.event, name="Kim Soyeon")
    client.force_login(other_centre_staff)
    event = roadshow.event
    pages = [
        ("get", url("registrations", event)),
        ("get", url("registration_create", event)),
        ("post", url("registration_create", event)),
        ("get", url("registration_edit", event, registration.pk)),
        ("post", url("registration_edit", event, registration.pk)),
        ("post", url("registration_decide", event, registration.pk, "confirm")),
        ("post", url("registration_decide", event, registration.pk, "withdraw")),
        ("get", url("interpreters", event)),
        ("post", url("interpreters", event)),
        ("get", url("interpreter_edit", event, interpreter.pk)),
        ("post", url("interpreter_edit", event, interpreter.pk)),
    ]

    statuses = [getattr(client, method)(page).status_code for method, page in pages]

    assert statuses == [404] * len(pages)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING


def test_a_registration_of_another_event_is_not_found_under_this_one(client, centre_staff, roadshow):
    elsewhere = factories.SmeRegistrationFactory(
        event__organising_centre=roadshow.event.organising_centre, status=Registration.Status.PENDING
    )
    client.force_login(centre_staff)

    assert client.get(url("registration_edit", roadshow.event, elsewhere.pk)).status_code == 404
    assert client.post(url("registration_decide", roadshow.event, elsewhere.pk, "confirm")).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == Registration.Status.PENDING


# ================================================================ members register themselves
@pytest.fixture
def upcoming(bangkok_centre, istanbul_centre, languages):
    """Events relative to today: one in Bangkok next month, one in Istanbul in two months, one in
    Bangkok last month, one in Bangkok ending today."""
    today = timezone.localdate()

    def event(name, centre, starts, days=2):
        return factories.EventFactory(
            name=name,
            city=centre.city,
            organising_centre=centre,
            start_date=today + dt.timedelta(days=starts),
            end_date=today + dt.timedelta(days=starts + days - 1),
        )

    bangkok = event("Bangkok Smart City Day", bangkok_centre, 30)
    return SimpleNamespace(
        bangkok=bangkok,
        istanbul=event("Istanbul Smart City Day", istanbul_centre, 60),
        past=event("Bangkok Last Month", bangkok_centre, -30),
        today=event("Bangkok Ending Today", bangkok_centre, -1),
        slots=[slot_at(bangkok, 9, 30), slot_at(bangkok, 10)],
        languages=languages,
    )


def event_names(response):
    return re.findall(r'<h2 class="h5 mb-1">([^<]*)</h2>', response.content.decode())


def test_an_sme_member_sees_every_upcoming_event_soonest_first(client, sme_owner, upcoming):
    client.force_login(sme_owner)

    response = client.get(reverse("consultations:join_list"))

    assert response.status_code == 200
    assert event_names(response) == [
        "Bangkok Ending Today",
        "Bangkok Smart City Day",
        "Istanbul Smart City Day",
    ]


def test_a_buyer_member_sees_the_upcoming_events_in_its_country_only(client, buyer, upcoming):
    client.force_login(buyer)

    response = client.get(reverse("consultations:join_list"))

    assert event_names(response) == ["Bangkok Ending Today", "Bangkok Smart City Day"]


def test_a_buyer_cannot_open_the_registration_of_an_event_in_another_country(client, buyer, upcoming):
    client.force_login(buyer)

    assert client.get(reverse("consultations:join", args=[upcoming.istanbul.pk])).status_code == 404


def test_a_past_event_cannot_be_joined(client, sme_owner, upcoming):
    client.force_login(sme_owner)

    response = client.post(reverse("consultations:join", args=[upcoming.past.pk]), {"max_meetings": 5})

    assert response.status_code == 404
    assert Registration.objects.count() == 0


def test_an_sme_member_registers_its_own_company_pending_whatever_it_posts(
    client, sme_owner, stranger, buyer, upcoming
):
    client.force_login(sme_owner)
    data = {
        "company": stranger.company.pk,
        "buyer": buyer.buyer_organisation.pk,
        "status": "confirmed",
        "languages": [upcoming.languages.ko.pk, upcoming.languages.en.pk],
        "needs_interpreter": "on",
        "max_meetings": 8,
        "unavailable_slots": [upcoming.slots[1].pk],
    }

    response = client.post(reverse("consultations:join", args=[upcoming.bangkok.pk]), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:join_list")
    registration = Registration.objects.get()
    assert (registration.event, registration.company, registration.buyer, registration.status) == (
        upcoming.bangkok,
        sme_owner.company,
        None,
        Registration.Status.PENDING,
    )
    assert (registration.needs_interpreter, registration.max_meetings) == (True, 8)
    assert list(registration.languages.all()) == [upcoming.languages.en, upcoming.languages.ko]
    assert list(registration.unavailable_slots.all()) == [upcoming.slots[1]]
    assert messages_of(response) == ["Your registration is sent; the KOTRA centre will confirm it."]


def test_a_buyer_member_registers_its_own_organisation_pending(client, buyer, sme_owner, upcoming):
    client.force_login(buyer)

    response = client.post(
        reverse("consultations:join", args=[upcoming.bangkok.pk]),
        {"company": sme_owner.company.pk, "max_meetings": 10},
    )

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.company, registration.buyer, registration.status) == (
        None,
        buyer.buyer_organisation,
        Registration.Status.PENDING,
    )


def test_a_pending_registration_shows_on_the_list_and_can_be_edited(client, sme_owner, upcoming):
    registration = factories.SmeRegistrationFactory(
        event=upcoming.bangkok,
        company=sme_owner.company,
        status=Registration.Status.PENDING,
        max_meetings=12,
        languages=[upcoming.languages.ko],
    )
    client.force_login(sme_owner)
    join = reverse("consultations:join", args=[upcoming.bangkok.pk])

    listed = client.get(reverse("consultations:join_list")).content.decode()
    form = client.get(join)
    response = client.post(join, {"max_meetings": 5, "languages": [upcoming.languages.th.pk]})

    assert f'<a class="btn btn-outline-primary btn-sm ms-2" href="{join}">Edit my registration</a>' in listed
    assert checked(form, "languages") == [str(upcoming.languages.ko.pk)]
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.status, registration.max_meetings) == (Registration.Status.PENDING, 5)
    assert list(registration.languages.all()) == [upcoming.languages.th]
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    ("status", "label"),
    [(Registration.Status.CONFIRMED, "Confirmed"), (Registration.Status.WITHDRAWN, "Withdrawn")],
)
def test_a_decided_registration_sends_the_member_back_with_its_state(
    client, sme_owner, upcoming, status, label
):
    registration = factories.SmeRegistrationFactory(
        event=upcoming.bangkok, company=sme_owner.company, status=status, max_meetings=12
    )
    client.force_login(sme_owner)

    response = client.post(reverse("consultations:join", args=[upcoming.bangkok.pk]), {"max_meetings": 3})

    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:join_list")
    assert messages_of(response) == [f"Your registration's state: {label}."]
    registration.refresh_from_db()
    assert (registration.status, registration.max_meetings) == (status, 12)


def test_the_member_form_offers_neither_an_organisation_nor_a_status(client, sme_owner, upcoming):
    client.force_login(sme_owner)

    response = client.get(reverse("consultations:join", args=[upcoming.bangkok.pk]))

    assert response.status_code == 200
    assert list(response.context["form"].fields) == [
        "languages",
        "needs_interpreter",
        "max_meetings",
        "unavailable_slots",
    ]


def test_a_member_of_a_company_awaiting_approval_gets_403(client, upcoming):
    member = factories.SmeMemberFactory(
        company=factories.CompanyFactory(
            name_en="Daegu Pending Robotics", approval_status=ApprovalStatus.PENDING
        )
    )
    client.force_login(member)

    assert client.get(reverse("consultations:join_list")).status_code == 403
    assert client.get(reverse("consultations:join", args=[upcoming.bangkok.pk])).status_code == 403
    response = client.post(reverse("consultations:join", args=[upcoming.bangkok.pk]), {"max_meetings": 5})
    assert response.status_code == 403
    assert Registration.objects.count() == 0


def test_a_member_of_a_buyer_awaiting_approval_gets_403(client, upcoming, bangkok_centre):
    member = factories.BuyerMemberFactory(
        buyer_organisation=factories.BuyerOrganisationFactory(
            city=bangkok_centre.city, approval_status=ApprovalStatus.PENDING
        )
    )
    client.force_login(member)

    assert client.get(reverse("consultations:join_list")).status_code == 403
    assert client.get(reverse("consultations:join", args=[upcoming.bangkok.pk])).status_code == 403


@pytest.mark.parametrize("role", ["centre_staff", "admin"])
def test_staff_get_403_on_the_member_pages(client, upcoming, role, request):
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse("consultations:join_list")).status_code == 403
    assert client.get(reverse("consultations:join", args=[upcoming.bangkok.pk])).status_code == 403
    response = client.post(reverse("consultations:join", args=[upcoming.bangkok.pk]), {"max_meetings": 5})
    assert response.status_code == 403
    assert Registration.objects.count() == 0


def test_members_get_404_on_the_staff_registration_pages(client, sme_owner, upcoming):
    registration = factories.SmeRegistrationFactory(
        event=upcoming.bangkok, company=sme_owner.company, status=Registration.Status.PENDING
    )
    client.force_login(sme_owner)

    assert client.get(url("registrations", upcoming.bangkok)).status_code == 404
    response = client.post(url("registration_decide", upcoming.bangkok, registration.pk, "confirm"))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING


def test_an_interpreter_name_already_used_at_the_event_is_refused_on_the_form(client, centre_staff, roadshow):
    factories.InterpreterFactory(event=roadshow.event, name="Kim Soyeon")
    client.force_login(centre_staff)

    response = client.post(
        url("interpreters", roadshow.event), {"name": "kim soyeon", "languages": [roadshow.languages.ko.pk]}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": ["An interpreter of this event already has this name."]
    }
    assert Interpreter.objects.count() == 1


def test_renaming_an_interpreter_to_a_name_already_used_at_the_event_is_refused_on_the_form(
    client, centre_staff, roadshow
):
    factories.InterpreterFactory(event=roadshow.event, name="Kim Soyeon")
    other = factories.InterpreterFactory(event=roadshow.event, name="Ayşe Demir")
    client.force_login(centre_staff)

    response = client.post(
        url("interpreter_edit", roadshow.event, other.pk),
        {"name": "Kim Soyeon", "languages": [roadshow.languages.ko.pk]},
    )

    assert response.status_code == 200
    other.refresh_from_db()
    assert other.name == "Ayşe Demir"


def test_the_edit_form_never_changes_the_status_withdrawing_goes_through_its_button(
    client, centre_staff, roadshow, booked_company
):
    client.force_login(centre_staff)
    registration = booked_company.registration

    client.post(
        url("registration_edit", roadshow.event, registration.pk), registration_form(status="withdrawn")
    )

    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert Meeting.objects.get(pk=booked_company.first.pk).status == Meeting.Status.SCHEDULED


@pytest.mark.parametrize("limit", [0, 41])
def test_a_member_form_with_a_limit_out_of_range_says_so_on_the_limit(client, sme_owner, upcoming, limit):
    client.force_login(sme_owner)

    response = client.post(
        reverse("consultations:join", args=[upcoming.bangkok.pk]),
        {"max_meetings": limit, "languages": [upcoming.languages.ko.pk]},
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["max_meetings"]
    assert not Registration.objects.exists()
