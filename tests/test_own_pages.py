"""Everyone's own page after login (/accounts/): a member's next meetings (roadshow and online, in their
zone and the meeting's), what waits for their answer; staff their centre's events and what needs them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matching.partnering.models import PartnerRequest
from tests import factories
from tests.partnering.factories import ConversationFactory, MessageFactory, PartnerRequestFactory

pytestmark = pytest.mark.django_db


def _bangkok_meeting(
    company, buyer_organisation, centre, starts_at, table="T03", name="Smart City Roadshow Bangkok"
):
    event = factories.EventFactory(
        name=name,
        organising_centre=centre,
        city=centre.city,
        time_zone="Asia/Bangkok",
        start_date=timezone.localdate(starts_at),
    )
    return factories.MeetingFactory(
        slot=factories.TimeSlotFactory(event=event, starts_at=starts_at),
        sme=factories.SmeRegistrationFactory(event=event, company=company, status="confirmed"),
        buyer=factories.BuyerRegistrationFactory(event=event, buyer=buyer_organisation, status="confirmed"),
        table=factories.TableFactory(event=event, name=table),
    )


def test_logging_in_lands_on_ones_own_page(client, sme_owner):
    response = client.post("/accounts/login/", {"username": "sme_owner", "password": factories.PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/"


def test_a_member_sees_the_next_meetings_soonest_first_in_both_zones(
    client, sme_owner, buyer, bangkok_centre
):
    company, organisation = sme_owner.company, buyer.buyer_organisation
    soon = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    _bangkok_meeting(company, organisation, bangkok_centre, soon.replace(hour=3, minute=0))
    PartnerRequest.objects.create(
        company=company,
        buyer=factories.BuyerOrganisationFactory(name="Phuket City Municipality"),
        from_company=False,
        kind="online",
        message="Online?",
        status="accepted",
        agreed_start=soon.replace(hour=1, minute=0),
    )
    client.force_login(sme_owner)  # in Seoul

    response = client.get("/accounts/")

    rows = response.context["next_meetings"]
    assert [(str(row.partner), row.where) for row in rows] == [
        ("Phuket City Municipality", "online"),
        ("Khon Kaen City Municipality", "Smart City Roadshow Bangkok · T03"),
    ]
    assert [row.viewer_start.strftime("%H:%M") for row in rows] == ["10:00", "12:00"]  # Seoul
    assert rows[1].local_start.strftime("%H:%M") == "10:00"  # Bangkok
    html = response.content.decode()
    assert "10:00 local time" in html


def test_past_and_cancelled_meetings_are_not_next(client, sme_owner, buyer, bangkok_centre):
    past = _bangkok_meeting(
        sme_owner.company, buyer.buyer_organisation, bangkok_centre, timezone.now() - dt.timedelta(days=1)
    )
    cancelled = _bangkok_meeting(
        sme_owner.company,
        buyer.buyer_organisation,
        bangkok_centre,
        timezone.now() + dt.timedelta(days=3),
        name="Later roadshow",
    )
    cancelled.status = "cancelled"
    cancelled.save()
    client.force_login(sme_owner)

    response = client.get("/accounts/")

    assert past.pk and response.context["next_meetings"] == []
    assert "No meeting booked yet." in response.content.decode()


def test_what_waits_for_the_member_is_listed_with_links(client, sme_owner, buyer):
    company, organisation = sme_owner.company, buyer.buyer_organisation
    asked = PartnerRequestFactory(company=company, buyer=organisation, requested_by=buyer)
    phuket = ConversationFactory(
        company=company, buyer=factories.BuyerOrganisationFactory(name="Phuket Office")
    )
    MessageFactory(conversation=phuket, body="Hello from Phuket.")
    client.force_login(sme_owner)

    response = client.get("/accounts/")

    html = response.content.decode()
    assert [r.pk for r in response.context["partner_requests_waiting"]] == [asked.pk]
    assert [c.pk for c in response.context["conversations_unread"]] == [phuket.pk]
    assert f'href="/partners/{asked.pk}/"' in html
    assert f'href="/partners/messages/{phuket.pk}/"' in html


def test_the_own_page_query_count_does_not_grow_with_meetings_and_requests(
    client, sme_owner, buyer, bangkok_centre
):
    def add(n):
        for i in range(n):
            other = factories.BuyerOrganisationFactory()
            start = timezone.now() + dt.timedelta(days=5, hours=i)
            _bangkok_meeting(sme_owner.company, other, bangkok_centre, start, name=f"Roadshow {other.pk}")
            PartnerRequestFactory(company=sme_owner.company, buyer=other)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/accounts/").status_code == 200
        return len(captured.captured_queries)

    client.force_login(sme_owner)
    add(1)
    client.get("/accounts/")  # the first page after the data changed builds the match index
    few = queries()
    add(6)
    many = queries()

    assert few == many


def test_staff_see_their_centres_events_with_what_needs_them(
    client, centre_staff, bangkok_centre, istanbul_centre
):
    coming = factories.EventFactory(
        name="Smart City Roadshow Bangkok",
        organising_centre=bangkok_centre,
        start_date=timezone.localdate() + dt.timedelta(days=20),
    )
    factories.SmeRegistrationFactory(event=coming, status="pending")
    factories.SmeRegistrationFactory(event=coming, status="confirmed")
    factories.EventFactory(name="Istanbul", organising_centre=istanbul_centre, start_date=coming.start_date)
    factories.BuyerOrganisationFactory(city=bangkok_centre.city, approval_status="pending")
    client.force_login(centre_staff)

    response = client.get("/accounts/")

    assert [(e.name, e.registrations_pending) for e in response.context["centre_events"]] == [
        ("Smart City Roadshow Bangkok", 1)
    ]
    assert response.context["reviews_waiting"] == 1
    assert "1 organisation waits for your review" in response.content.decode()


def test_listings_published_since_the_last_visit_are_marked_new_from_the_second_visit_on(
    client, sme_owner, buyer
):
    from tests.recommendations import add_flood_solution, flood_listing, vocabulary

    words = vocabulary()
    add_flood_solution(sme_owner.company, words)
    listing = flood_listing(buyer.buyer_organisation, words)
    client.force_login(sme_owner)

    first = client.get("/accounts/")
    second = client.get("/accounts/")
    listing.published_at = timezone.now() + dt.timedelta(seconds=5)  # published after the last visit
    listing.save()
    third = client.get("/accounts/")

    assert [row.demand.pk for row in first.context["fitting_demands"]] == [listing.pk]
    assert (first.context["new_demand_ids"], second.context["new_demand_ids"]) == (set(), set())
    assert third.context["new_demand_ids"] == {listing.pk}
    assert '<span class="badge text-bg-info me-1">New</span>' not in second.content.decode()
    assert '<span class="badge text-bg-info me-1">New</span>' in third.content.decode()
