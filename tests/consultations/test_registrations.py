"""Who takes part in an event: staff register companies and buyers, confirm and withdraw them and keep
the interpreters; members register their own organisation, pending until the centre confirms it.

Staff pages are under /events/<pk>/registrations/ and /events/<pk>/interpreters/; members use
/events/join/ and /events/<pk>/join/.
"""

import re
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from matching.consultations.booking import services as booking_services
from matching.consultations.booking.models import Meeting
from matching.consultations.events import services as event_services
from matching.consultations.events.forms import RegistrationForm
from matching.consultations.events.models import Registration
from matching.kernel.models import ApprovalStatus
from tests import factories
from tests.consultations.conftest import body_rows
from tests.consultations.test_agendas import bangkok_2025, slot_at


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
    event = bangkok_2025(bangkok_centre)
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
    """The body rows of the page's table, each a list of its <td> cells' whitespace-collapsed text."""
    return body_rows(response, cell=r"<td[^>]*>(.*?)</td>")


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
