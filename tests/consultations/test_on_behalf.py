"""A meeting request that KOTRA staff made for the participants says so ("Requested for you by KOTRA
Bangkok") wherever the participants see it: the e-mails, the home page's "Waiting for you" and its
meeting requests; a request a member made does not."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.consultations.booking import emails, services
from matching.consultations.booking.models import MeetingRequest
from tests import factories
from tests.consultations.conftest import by_recipient

pytestmark = pytest.mark.django_db

ON_BEHALF = "Requested for you by KOTRA Bangkok"


def staff_request(roadshow, staff, sme=None, buyer=None):
    return services.meeting_request_create(
        event=roadshow.event, sme=sme or roadshow.sme, buyer=buyer or roadshow.buyer, requested_by=staff
    )


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_request_made_by_staff_names_the_organising_centre(roadshow, centre_staff, bangkok_centre):
    assert staff_request(roadshow, centre_staff).on_behalf_centre == bangkok_centre


def test_a_request_made_by_an_admin_names_the_organising_centre(roadshow, admin, bangkok_centre):
    assert staff_request(roadshow, admin).on_behalf_centre == bangkok_centre


def test_a_request_made_by_a_member_names_no_centre(roadshow, sme_owner, buyer):
    by_company = staff_request(roadshow, sme_owner)
    by_unknown = factories.MeetingRequestFactory(
        event=roadshow.event, sme=roadshow.sme2, buyer=roadshow.buyer2
    )

    assert (by_company.on_behalf_centre, by_unknown.on_behalf_centre) == (None, None)


def test_the_with_on_behalf_list_reads_the_centre_without_a_query_per_request(roadshow, centre_staff):
    staff_request(roadshow, centre_staff)
    staff_request(roadshow, centre_staff, sme=roadshow.sme2, buyer=roadshow.buyer2)

    with CaptureQueriesContext(connection) as queries:
        centres = [str(r.on_behalf_centre) for r in MeetingRequest.objects.with_on_behalf()]

    assert (centres, len(queries.captured_queries)) == (["KOTRA Bangkok", "KOTRA Bangkok"], 1)


def test_the_emails_of_a_staff_request_say_kotra_asked_for_both_sides(
    roadshow, centre_staff, sme_owner, buyer
):
    meeting_request = MeetingRequest.objects.with_on_behalf().get(pk=staff_request(roadshow, centre_staff).pk)

    emails.meeting_request_notify(meeting_request=meeting_request, change="requested")

    line = (
        f"{ON_BEHALF}: a 1:1 consultation between Seoul Traffic Systems and Khon Kaen City Municipality at "
        "Smart City Roadshow Bangkok 2025. The centre's staff asked for it on your behalf."
    )
    to_company, to_buyer = by_recipient()["sme_owner@example.com"], by_recipient()["buyer@example.com"]
    assert line in to_company.body
    assert "answer it under “My organisation”" in to_company.body  # the company is the side asked
    assert line in to_buyer.body
    assert "answer it" not in to_buyer.body
    assert "is sent. You will get an e-mail" not in to_buyer.body


def test_the_emails_of_a_members_request_name_no_centre(roadshow, sme_owner):
    emails.meeting_request_notify(meeting_request=staff_request(roadshow, sme_owner), change="requested")

    assert len(mail.outbox) == 2
    assert all(ON_BEHALF not in message.body for message in mail.outbox)


def test_the_home_page_says_kotra_asked_in_waiting_for_you_and_in_the_requests(
    client, roadshow, centre_staff, sme_owner
):
    staff_request(roadshow, centre_staff)
    client.force_login(sme_owner)

    response = client.get("/accounts/")

    [waiting] = response.context["meeting_requests_waiting"]
    assert waiting.on_behalf_centre.code == "bangkok"
    page = text_of(response.content.decode())
    assert (
        "Khon Kaen City Municipality · meeting at Smart City Roadshow Bangkok 2025 · answer it " + ON_BEHALF
    ) in page
    assert f"Would like to meet {ON_BEHALF} Awaiting answer Accept Decline" in page


def test_a_members_own_request_does_not_say_kotra_asked(client, roadshow, buyer):
    services.meeting_request_create(
        event=roadshow.event, sme=roadshow.sme, buyer=roadshow.buyer, requested_by=buyer
    )
    client.force_login(buyer)

    assert ON_BEHALF not in client.get("/accounts/").content.decode()


def test_the_home_page_query_count_does_not_grow_with_requests_made_on_behalf(
    client, roadshow, centre_staff, sme_owner
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/accounts/").status_code == 200
        return len(captured.captured_queries)

    staff_request(roadshow, centre_staff)
    client.force_login(sme_owner)
    client.get("/accounts/")  # builds the match index
    few = queries()
    for n in range(4):
        other = factories.BuyerRegistrationFactory(
            event=roadshow.event, buyer=factories.BuyerOrganisationFactory(name=f"City {n}")
        )
        staff_request(roadshow, centre_staff, buyer=other)
    many = queries()

    assert few == many
