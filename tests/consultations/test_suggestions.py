"""Suggested 1:1 meetings of an event (/events/<pk>/suggestions/) and the meeting requests staff make
from them (POST /events/<pk>/requests/) or from a listing's matches page.

Pairs come best fit first, without pairs already requested or met and without unapproved companies;
a request e-mails the company's members and shows on both sides' dashboards; a second request for
the same pair is refused with a message; registrations of another event are 404; `next` never leaves
the site.
"""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.consultations.booking.models import Meeting, MeetingRequest
from matching.consultations.events.models import Registration
from matching.demands.services import demand_close
from tests import factories
from tests.recommendations import (
    FLOOD_TITLE,
    card_fragments,
    dashboard_section,
    decoy_company,
    flood_company,
    flood_listing,
    logged_in,
    text_of,
    traffic_company,
)
from tests.recommendations.conftest import _fresh_index, words  # noqa: F401 (fixtures)

EVENT = "Bangkok Smart City Roadshow 2025"
KHON_KAEN = "Khon Kaen City Municipality"
ALREADY_REQUESTED = "These two already have an open meeting request."
NO_SUGGESTION = "No suggestion: register buyers with open listings and approved companies to this event."


@pytest.fixture
def event(bangkok_centre):
    return factories.EventFactory(
        name=EVENT,
        city=bangkok_centre.city,
        organising_centre=bangkok_centre,
        start_date=dt.date(2031, 10, 6),
    )


@pytest.fixture
def roadshow(event, buyer, words):
    """Khon Kaen's flood listing; the buyer, the flood-warning company and the decoy registered."""
    listing = flood_listing(buyer.buyer_organisation, words)
    flood_alert = flood_company(words)
    factories.SmeMemberFactory(username="jiwoo", email="jiwoo@hanriver.example", company=flood_alert)
    factories.SmeMemberFactory(username="minjun", email="minjun@hanriver.example", company=flood_alert)
    decoy = decoy_company(words)
    return {
        "listing": listing,
        "flood_alert": flood_alert,
        "decoy": decoy,
        "buyer": factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation),
        "flood_alert_reg": factories.SmeRegistrationFactory(event=event, company=flood_alert),
        "decoy_reg": factories.SmeRegistrationFactory(event=event, company=decoy),
    }


@pytest.fixture
def staff(client, centre_staff):
    client.force_login(centre_staff)
    return client


def suggestions_url(event):
    return f"/events/{event.pk}/suggestions/"


def requests_url(event):
    return f"/events/{event.pk}/requests/"


def suggested(response):
    """[(fit, company, its best solution, buyer, listing)] as the suggestion cards show them."""
    assert response.status_code == 200
    rows = []
    for card in re.findall(
        r'<article class="[^"]*suggestion-card[^"]*"(.*?)</article>', response.content.decode(), re.S
    ):
        fit = re.search(r'class="match-score-value">(.*?)<', card).group(1)
        company, buyer = (text_of(name) for name in re.findall(r"<h3[^>]*>(.*?)</h3>", card, re.S))
        because = card[card.index("suggestion-because") :]
        listing = text_of(re.search(r"<a [^>]*>(.*?)</a>", because, re.S).group(1))
        solution = text_of(re.search(r'class="suggestion-solution">(.*?)</span>', because, re.S).group(1))
        rows.append((text_of(fit), company, solution, buyer, listing))
    return rows


def suggested_companies(staff, event):
    """The companies the event's suggestions page lists, in order."""
    return [row[1] for row in suggested(staff.get(suggestions_url(event)))]


def assert_flood_alert_suggested_again(staff, event, suggested_again):
    """Hanriver Flood Alert is suggested again, before Decoy Drone Works, or (False) not at all."""
    companies = suggested_companies(staff, event)

    expected = ["Hanriver Flood Alert", "Decoy Drone Works"] if suggested_again else ["Decoy Drone Works"]
    assert companies == expected


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def request_pair(client, event, sme, buyer, **extra):
    return client.post(requests_url(event), {"sme": sme.pk, "buyer": buyer.pk} | extra)


# ---------------------------------------------------------------- the suggestions page
@pytest.mark.django_db
def test_the_suggestions_list_the_registered_pairs_best_fit_first(staff, event, roadshow):
    response = staff.get(suggestions_url(event))

    assert suggested(response) == [
        ("94", "Hanriver Flood Alert", "Flood siren network", KHON_KAEN, FLOOD_TITLE),
        ("24", "Decoy Drone Works", "Wildfire smoke drones", KHON_KAEN, FLOOD_TITLE),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "suggested_again"),
    [
        (MeetingRequest.Status.PENDING, False),
        (MeetingRequest.Status.ACCEPTED, False),
        (MeetingRequest.Status.DECLINED, True),
        (MeetingRequest.Status.CANCELLED, True),
    ],
)
def test_a_pair_with_an_open_meeting_request_is_not_suggested_again(
    staff, event, roadshow, status, suggested_again
):
    factories.MeetingRequestFactory(
        event=event, sme=roadshow["flood_alert_reg"], buyer=roadshow["buyer"], status=status
    )

    assert_flood_alert_suggested_again(staff, event, suggested_again)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "suggested_again"),
    [
        (Meeting.Status.SCHEDULED, False),
        (Meeting.Status.HELD, False),
        (Meeting.Status.CANCELLED, True),
    ],
)
def test_a_pair_that_meets_at_the_event_is_not_suggested_again(
    staff, event, roadshow, status, suggested_again
):
    factories.MeetingFactory(
        slot=factories.TimeSlotFactory(event=event),
        sme=roadshow["flood_alert_reg"],
        buyer=roadshow["buyer"],
        status=status,
    )

    assert_flood_alert_suggested_again(staff, event, suggested_again)


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_a_registered_company_that_is_not_approved_is_not_suggested(staff, event, roadshow, words, status):
    reason = "Wrong registration number." if status == "rejected" else ""
    company = flood_company(
        words, name_en="Unapproved Flood Alert", approval_status=status, rejection_reason=reason
    )
    factories.SmeRegistrationFactory(event=event, company=company)

    companies = suggested_companies(staff, event)

    assert companies == ["Hanriver Flood Alert", "Decoy Drone Works"]


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Registration.Status.PENDING, Registration.Status.WITHDRAWN])
def test_a_registration_that_is_not_confirmed_is_not_suggested(staff, event, roadshow, status):
    Registration.objects.filter(pk=roadshow["decoy_reg"].pk).update(status=status)

    companies = suggested_companies(staff, event)

    assert companies == ["Hanriver Flood Alert"]


@pytest.mark.django_db
def test_a_registered_company_that_fits_none_of_the_buyers_listings_is_not_suggested(
    staff, event, roadshow, words
):
    # Shares no category and no words with the flood listing; its readiness suits a pilot (6 points).
    factories.SmeRegistrationFactory(event=event, company=traffic_company(words))

    companies = suggested_companies(staff, event)

    assert companies == ["Hanriver Flood Alert", "Decoy Drone Works"]


@pytest.mark.django_db
def test_a_buyer_without_an_open_listing_gets_no_suggestion(staff, event, buyer, words):
    flood_listing(buyer.buyer_organisation, words, published=False)
    factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation)
    factories.SmeRegistrationFactory(event=event, company=flood_company(words))

    response = staff.get(suggestions_url(event))

    assert suggested(response) == []
    assert NO_SUGGESTION in response.content.decode()


@pytest.mark.django_db
def test_the_best_of_the_buyers_open_listings_gives_the_pair_its_fit(staff, event, roadshow, buyer, words):
    flood_listing(
        buyer.buyer_organisation,
        words,
        title="Smoke over the hills",
        problem="Smoke hides hillside fires from the lookout towers.",
    )

    rows = suggested(staff.get(suggestions_url(event)))

    assert [(row[1], row[4]) for row in rows] == [
        ("Hanriver Flood Alert", FLOOD_TITLE),
        ("Decoy Drone Works", "Smoke over the hills"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("companies", [1, 10])
def test_the_suggestions_page_issues_the_same_queries_for_one_and_ten_companies(
    staff, event, buyer, words, companies
):
    flood_listing(buyer.buyer_organisation, words)
    factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation)
    for n in range(companies):
        company = flood_company(words, name_en=f"Flood Alert {n}", name_ko=f"홍수경보 {n}")
        factories.SmeRegistrationFactory(event=event, company=company)
    assert staff.get(suggestions_url(event)).status_code == 200  # warms the index

    with CaptureQueriesContext(connection) as queries:
        response = staff.get(suggestions_url(event))

    assert len(response.context["pairs"]) == companies
    # The user with their trade centre (the navigation bar names it; the session comes from the cache),
    # event; registrations with their languages, companies' and buyers' languages, solutions and open
    # listings with their categories; open requests, meetings, the latest index build's key; the names
    # the reasons use (categories, certifications, languages, reference cities).
    assert len(queries) == 18


# ---------------------------------------------------------------- who may see events
@pytest.mark.django_db
def test_centre_staff_list_only_their_centres_events(client, centre_staff, admin, event, istanbul_centre):
    factories.EventFactory(
        name="Istanbul Smart City Roadshow 2025", city=istanbul_centre.city, organising_centre=istanbul_centre
    )
    client.force_login(centre_staff)
    staff_events = [e.name for e in client.get("/events/").context["events"]]
    client.force_login(admin)
    admin_events = sorted(e.name for e in client.get("/events/").context["events"])

    assert staff_events == [EVENT]
    assert admin_events == [EVENT, "Istanbul Smart City Roadshow 2025"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "events", "suggestions", "request_status"),
    [
        ("anonymous", 302, 302, 302),
        ("sme_owner", 403, 404, 404),
        ("buyer", 403, 404, 404),
        ("centre_staff", 200, 200, 302),
        ("other_centre_staff", 200, 404, 404),
        ("admin", 200, 200, 302),
    ],
)
def test_the_event_pages_answer_each_role(
    client, request, event, roadshow, role, events, suggestions, request_status
):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    statuses = (
        client.get("/events/").status_code,
        client.get(suggestions_url(event)).status_code,
        request_pair(client, event, roadshow["flood_alert_reg"], roadshow["buyer"]).status_code,
    )

    assert statuses == (events, suggestions, request_status)
    assert MeetingRequest.objects.count() == (1 if request_status == 302 and role != "anonymous" else 0)


# ---------------------------------------------------------------- requesting a meeting
@pytest.mark.django_db
def test_staff_request_a_suggested_meeting_and_the_companys_members_are_emailed(
    staff, centre_staff, event, roadshow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = request_pair(staff, event, roadshow["flood_alert_reg"], roadshow["buyer"])

    assert (response.status_code, response["Location"]) == (302, suggestions_url(event))
    meeting_request = MeetingRequest.objects.get()
    assert (
        meeting_request.event,
        meeting_request.sme,
        meeting_request.buyer,
        meeting_request.status,
        meeting_request.requested_by,
        meeting_request.requested_by_sme,
        meeting_request.priority,
    ) == (
        event,
        roadshow["flood_alert_reg"],
        roadshow["buyer"],
        MeetingRequest.Status.PENDING,
        centre_staff,
        False,
        MeetingRequest.Priority.WOULD_LIKE,
    )
    company = {"jiwoo@hanriver.example", "minjun@hanriver.example"}
    to_company = [message for message in mail.outbox if set(message.to) & company]
    subject = f"Meeting request at {EVENT}: Hanriver Flood Alert and {KHON_KAEN}"
    assert sorted((message.subject, *message.to) for message in to_company) == [
        (subject, "jiwoo@hanriver.example"),
        (subject, "minjun@hanriver.example"),
    ]
    # Staff asked: the company reads that KOTRA asked for it, not that the buyer did.
    assert (
        "Requested for you by KOTRA Bangkok: a 1:1 consultation between Hanriver Flood Alert and "
        f"{KHON_KAEN} at {EVENT}. The centre's staff asked for it on your behalf."
    ) in to_company[0].body
    assert "answer it under “My organisation”" in to_company[0].body


@pytest.mark.django_db
def test_after_a_request_the_suggestions_page_says_so_and_drops_the_pair(staff, event, roadshow):
    response = staff.post(
        requests_url(event),
        {"sme": roadshow["flood_alert_reg"].pk, "buyer": roadshow["buyer"].pk},
        follow=True,
    )

    assert messages_of(response) == [f"Meeting requested: Hanriver Flood Alert and {KHON_KAEN}."]
    assert [row[1] for row in suggested(response)] == ["Decoy Drone Works"]


@pytest.mark.django_db
def test_a_second_request_for_the_same_pair_is_refused_with_a_message_and_creates_nothing(
    staff, event, roadshow
):
    pair = {"sme": roadshow["flood_alert_reg"].pk, "buyer": roadshow["buyer"].pk}
    staff.post(requests_url(event), pair, follow=True)  # shows (and so uses up) the success message
    sent = len(mail.outbox)

    response = staff.post(requests_url(event), pair, follow=True)

    assert response.redirect_chain == [(suggestions_url(event), 302)]
    assert messages_of(response) == [ALREADY_REQUESTED]
    assert ALREADY_REQUESTED in response.content.decode()
    assert MeetingRequest.objects.count() == 1
    assert len(mail.outbox) == sent


@pytest.mark.django_db
def test_registrations_of_another_event_are_404(staff, event, roadshow, bangkok_centre):
    other_event = factories.EventFactory(
        name="Bangkok Smart City Roadshow 2024", city=bangkok_centre.city, organising_centre=bangkok_centre
    )
    elsewhere_sme = factories.SmeRegistrationFactory(event=other_event, company=roadshow["flood_alert"])
    elsewhere_buyer = factories.BuyerRegistrationFactory(event=other_event, buyer=roadshow["buyer"].buyer)

    statuses = [
        request_pair(staff, event, elsewhere_sme, roadshow["buyer"]).status_code,
        request_pair(staff, event, roadshow["flood_alert_reg"], elsewhere_buyer).status_code,
        request_pair(staff, other_event, roadshow["flood_alert_reg"], roadshow["buyer"]).status_code,
    ]

    assert statuses == [404, 404, 404]
    assert MeetingRequest.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sme_side", "buyer_side"),
    [
        ("buyer", "buyer"),
        ("flood_alert_reg", "flood_alert_reg"),
        ("", "buyer"),
        ("x", "buyer"),
        ("999999", "buyer"),
        ("flood_alert_reg", "1.5"),
    ],
)
def test_a_request_with_the_wrong_kind_of_registration_or_a_bad_id_is_404(
    staff, event, roadshow, sme_side, buyer_side
):
    def registration_id(side):
        return roadshow[side].pk if side in roadshow else side

    data = {"sme": registration_id(sme_side), "buyer": registration_id(buyer_side)}

    assert staff.post(requests_url(event), data).status_code == 404
    assert MeetingRequest.objects.count() == 0


@pytest.mark.django_db
def test_a_request_for_an_unconfirmed_registration_is_404(staff, event, roadshow):
    Registration.objects.filter(pk=roadshow["flood_alert_reg"].pk).update(
        status=Registration.Status.WITHDRAWN
    )

    assert request_pair(staff, event, roadshow["flood_alert_reg"], roadshow["buyer"]).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
    ],
)
def test_a_next_url_off_the_site_is_ignored_for_the_suggestions_page(staff, event, roadshow, next_url):
    response = request_pair(staff, event, roadshow["flood_alert_reg"], roadshow["buyer"], next=next_url)

    assert (response.status_code, response["Location"]) == (302, suggestions_url(event))
    assert MeetingRequest.objects.count() == 1


@pytest.mark.django_db
def test_a_next_url_on_the_site_is_followed(staff, event, roadshow):
    matches = f"/demands/{roadshow['listing'].pk}/matches/"

    response = request_pair(staff, event, roadshow["flood_alert_reg"], roadshow["buyer"], next=matches)

    assert (response.status_code, response["Location"]) == (302, matches)


@pytest.mark.django_db
def test_a_get_on_the_request_url_is_refused(staff, event):
    assert staff.get(requests_url(event)).status_code == 405


# ---------------------------------------------------------------- from a listing's matches page
def meeting_buttons(response):
    """{company name: the text of its "Request a meeting" button, or None} on a listing's matches page."""
    buttons = {}
    for name, card in card_fragments(response):
        button = re.search(r'<button type="submit"[^>]*>(.*?)</button>', card, re.S)
        buttons[name] = text_of(button.group(1)) if button else None
    return buttons


@pytest.mark.django_db
def test_staff_see_a_meeting_button_where_both_sides_are_registered_at_one_of_their_events(
    client, centre_staff, admin, buyer, event, roadshow, words, istanbul_centre
):
    # Registered only at another centre's event, where the buyer is registered too: no button for Bangkok.
    elsewhere = flood_company(words, name_en="Elsewhere Flood Alert")
    istanbul_event = factories.EventFactory(
        name="Istanbul Smart City Roadshow 2025", city=istanbul_centre.city, organising_centre=istanbul_centre
    )
    factories.SmeRegistrationFactory(event=istanbul_event, company=elsewhere)
    factories.BuyerRegistrationFactory(event=istanbul_event, buyer=buyer.buyer_organisation)
    url = f"/demands/{roadshow['listing'].pk}/matches/"

    client.force_login(centre_staff)
    assert meeting_buttons(client.get(url)) == {
        "Hanriver Flood Alert": f"Request a meeting at {EVENT}",
        "Elsewhere Flood Alert": None,
        "Decoy Drone Works": f"Request a meeting at {EVENT}",
    }
    client.force_login(buyer)
    assert meeting_buttons(client.get(url)) == {
        "Hanriver Flood Alert": None,
        "Elsewhere Flood Alert": None,
        "Decoy Drone Works": None,
    }
    client.force_login(admin)
    assert meeting_buttons(client.get(url)) == {
        "Hanriver Flood Alert": f"Request a meeting at {EVENT}",
        "Elsewhere Flood Alert": "Request a meeting at Istanbul Smart City Roadshow 2025",
        "Decoy Drone Works": f"Request a meeting at {EVENT}",
    }


@pytest.mark.django_db
def test_the_meeting_button_posts_the_pairs_registrations_and_returns_to_the_matches_page(
    staff, event, roadshow
):
    url = f"/demands/{roadshow['listing'].pk}/matches/"
    page = staff.get(url).content.decode()
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', page, re.S)
    fields = dict(re.findall(r'<input type="hidden" name="(sme|buyer|next)" value="([^"]*)">', form.group(2)))

    assert form.group(1) == requests_url(event)
    assert fields == {
        "sme": str(roadshow["flood_alert_reg"].pk),
        "buyer": str(roadshow["buyer"].pk),
        "next": url,
    }

    response = staff.post(form.group(1), fields, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert messages_of(response) == [f"Meeting requested: Hanriver Flood Alert and {KHON_KAEN}."]


# ---------------------------------------------------------------- dashboards
def meeting_requests_section(client):
    return dashboard_section(client.get("/accounts/"), "requests-heading")


@pytest.mark.django_db
def test_both_sides_see_the_meeting_request_staff_made_on_their_dashboards(staff, buyer, event, roadshow):
    company_member = roadshow["flood_alert"].members.get(username="jiwoo")
    company_side, city_side = logged_in(company_member), logged_in(buyer)
    assert (meeting_requests_section(company_side), meeting_requests_section(city_side)) == (None, None)

    request_pair(staff, event, roadshow["flood_alert_reg"], roadshow["buyer"])

    # Staff asked on the buyer's behalf, so the company is the side that answers; both read who asked.
    assert meeting_requests_section(company_side) == (
        f"Meeting requests {KHON_KAEN} · {EVENT} · Would like to meet Requested for you by KOTRA Bangkok "
        "Awaiting answer Accept Decline"
    )
    assert meeting_requests_section(city_side) == (
        f"Meeting requests Hanriver Flood Alert · {EVENT} · Would like to meet Requested for you by KOTRA "
        "Bangkok Awaiting answer"
    )


@pytest.mark.django_db
def test_a_declined_request_leaves_the_dashboards(staff, buyer, event, roadshow):
    request_pair(staff, event, roadshow["flood_alert_reg"], roadshow["buyer"])
    MeetingRequest.objects.update(status=MeetingRequest.Status.DECLINED)

    assert meeting_requests_section(logged_in(buyer)) is None


@pytest.mark.django_db
def test_a_closed_listing_leaves_the_suggestions(staff, event, roadshow):
    demand_close(demand=roadshow["listing"])

    assert suggested(staff.get(suggestions_url(event))) == []
