"""Members of a confirmed registration see the other side's participants (/events/<pk>/meet/) and ask
them for meetings; the asked side answers there; nobody asks for another organisation."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from matching.consultations.booking.models import Meeting, MeetingRequest
from matching.consultations.events.models import Registration
from tests import factories


@pytest.fixture
def roadshow(sme_owner, buyer, bangkok_centre):
    event = factories.EventFactory(
        name="Khon Kaen Smart City Day", city=bangkok_centre.city, organising_centre=bangkok_centre
    )
    return {
        "event": event,
        "sme": factories.SmeRegistrationFactory(event=event, company=sme_owner.company),
        "buyer": factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation),
        "other_buyer": factories.BuyerRegistrationFactory(
            event=event, buyer=factories.BuyerOrganisationFactory(name="Phuket Provincial Office")
        ),
        "pending_buyer": factories.BuyerRegistrationFactory(
            event=event,
            buyer=factories.BuyerOrganisationFactory(name="Rayong Industrial Estate"),
            status=Registration.Status.PENDING,
        ),
        "other_sme": factories.SmeRegistrationFactory(event=event),
    }


def _meet(event):
    return f"/events/{event.pk}/meet/"


def test_an_sme_sees_the_confirmed_buyers_only(client, sme_owner, roadshow):
    client.force_login(sme_owner)

    page = client.get(_meet(roadshow["event"])).content.decode()

    assert "Khon Kaen City Municipality" in page
    assert "Phuket Provincial Office" in page
    assert "Rayong Industrial Estate" not in page  # not confirmed
    assert str(roadshow["other_sme"]) not in page  # same side


def test_an_sme_asks_a_buyer_for_a_must_meet_in_the_afternoon_and_the_buyer_is_emailed(
    client, sme_owner, buyer, roadshow, django_capture_on_commit_callbacks
):
    client.force_login(sme_owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _meet(roadshow["event"]),
            {
                "with": roadshow["buyer"].pk,
                "priority": "must",
                "session_preference": "pm",
                "message": "Parking",
            },
            follow=True,
        )

    request = MeetingRequest.objects.get()
    assert (request.sme, request.buyer, request.requested_by_sme, request.priority) == (
        roadshow["sme"],
        roadshow["buyer"],
        True,
        "must",
    )
    assert (request.session_preference, request.message, request.status) == ("pm", "Parking", "pending")
    assert "Your request is sent to Khon Kaen City Municipality; they will accept or decline." in (
        response.content.decode()
    )
    assert buyer.email in {address for message in mail.outbox for address in message.to}


def test_the_asked_buyer_accepts_from_the_same_page(client, buyer, roadshow):
    request = factories.MeetingRequestFactory(
        event=roadshow["event"], sme=roadshow["sme"], buyer=roadshow["buyer"], requested_by_sme=True
    )
    client.force_login(buyer)

    page = client.get(_meet(roadshow["event"])).content.decode()
    client.post(f"/events/requests/{request.pk}/accept/")

    assert f"/events/requests/{request.pk}/accept/" in page
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.ACCEPTED


def test_a_second_request_for_the_same_pair_is_refused_with_a_message(client, sme_owner, roadshow):
    factories.MeetingRequestFactory(event=roadshow["event"], sme=roadshow["sme"], buyer=roadshow["buyer"])
    client.force_login(sme_owner)

    response = client.post(_meet(roadshow["event"]), {"with": roadshow["buyer"].pk, "priority": "would"})

    assert "These two already have an open meeting request." in response.content.decode()
    assert MeetingRequest.objects.count() == 1


def test_a_request_after_the_deadline_is_refused(client, sme_owner, roadshow):
    event = roadshow["event"]
    event.request_deadline = timezone.now() - dt.timedelta(hours=1)
    event.save(update_fields=["request_deadline"])
    client.force_login(sme_owner)

    response = client.post(_meet(event), {"with": roadshow["buyer"].pk, "priority": "would"})

    assert "The deadline for meeting requests at this event has passed." in response.content.decode()
    assert not MeetingRequest.objects.exists()


def test_an_unknown_priority_is_refused_with_the_fields_message(client, sme_owner, roadshow):
    client.force_login(sme_owner)

    response = client.post(_meet(roadshow["event"]), {"with": roadshow["buyer"].pk, "priority": "<script>"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "The request could not be sent: Priority: Select a valid choice." in page
    assert "<script>" not in page.split("</nav>", 1)[1].split("<footer")[0].replace("<script src", "")
    assert not MeetingRequest.objects.exists()


@pytest.mark.parametrize("target", ["pending_buyer", "other_sme", "sme"])
def test_a_member_cannot_ask_an_unconfirmed_participant_or_its_own_side(client, sme_owner, roadshow, target):
    client.force_login(sme_owner)

    response = client.post(_meet(roadshow["event"]), {"with": roadshow[target].pk, "priority": "would"})

    assert response.status_code == 404
    assert not MeetingRequest.objects.exists()


def test_a_registration_of_another_event_is_404(client, sme_owner, roadshow):
    elsewhere = factories.BuyerRegistrationFactory()
    client.force_login(sme_owner)

    response = client.post(_meet(roadshow["event"]), {"with": elsewhere.pk, "priority": "would"})

    assert response.status_code == 404


def test_a_pending_registration_cannot_use_the_page(client, sme_owner, roadshow):
    Registration.objects.filter(pk=roadshow["sme"].pk).update(status=Registration.Status.PENDING)
    client.force_login(sme_owner)

    assert client.get(_meet(roadshow["event"])).status_code == 404


def test_a_booked_pair_shows_its_meeting_instead_of_a_request_button(client, sme_owner, roadshow):
    factories.MeetingFactory(
        slot=factories.TimeSlotFactory(event=roadshow["event"]), sme=roadshow["sme"], buyer=roadshow["buyer"]
    )
    client.force_login(sme_owner)

    page = client.get(_meet(roadshow["event"])).content.decode()

    assert page.count("Meeting booked") == 1
    assert page.count("meet-form") == 1  # only the other buyer can still be asked
    assert Meeting.objects.count() == 1


def test_the_page_issues_the_same_queries_for_one_and_for_twenty_buyers(
    client, sme_owner, roadshow, django_assert_num_queries
):
    client.force_login(sme_owner)
    url = _meet(roadshow["event"])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(20):
        factories.BuyerRegistrationFactory(
            event=roadshow["event"], buyer=factories.BuyerOrganisationFactory(name=f"Buyer {n}")
        )

    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)
