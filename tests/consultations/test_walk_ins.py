"""Walk-ins from the live board: who is offered for a freed place (checked in, free in the slot, not met
yet; pairs who asked for each other first, then the best fits), the booking through meeting_book's rules,
the page staff use on their phones, and a query count that does not grow with the participants."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from matching.consultations.booking import services as booking_services
from matching.consultations.booking.models import Meeting, MeetingRequest
from matching.consultations.events.models import (
    Arrival,
    ProgrammeParticipant,
    ProgrammeSession,
    ShortlistEntry,
)
from matching.consultations.outcomes.walk_ins import Asked, walk_in_panel
from tests import factories
from tests.recommendations import decoy_company, flood_company, flood_listing, traffic_company
from tests.recommendations.conftest import _fresh_index, words  # noqa: F401 (fixtures)


def zone_at_midday(now):
    """A time zone where it is about noon at `now` (Etc/GMT-7 is UTC+7): slots an hour or two before and
    after stay on the board's day whatever the hour the tests run at."""
    offset = max(-12, min(14, 12 - now.astimezone(dt.UTC).hour))
    return f"Etc/GMT{-offset:+d}" if offset else "UTC"


def roadshow_with_a_slot_in_an_hour(centre, name):
    """(event, now, slot): a roadshow of `centre` from yesterday to tomorrow (so that its own today is in,
    whatever the hour in UTC), with a 30-minute slot starting in an hour. The event keeps a time zone where
    it is about noon now, so its slots from two hours ago to two hours on fall on one local day."""
    now = timezone.now()
    event = factories.EventFactory(
        name=name,
        city=centre.city,
        organising_centre=centre,
        start_date=now.date() - dt.timedelta(days=1),
        end_date=now.date() + dt.timedelta(days=1),
        time_zone=zone_at_midday(now),
    )
    starts = (now + dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    slot = factories.TimeSlotFactory(event=event, starts_at=starts, ends_at=starts + dt.timedelta(minutes=30))
    return event, now, slot


@pytest.fixture
def day(bangkok_centre, buyer, words):
    """Bangkok's roadshow today: a slot in an hour with tables A1 and B1, one that is over, and five
    participants who all checked in. Hanriver fits Khon Kaen's flood listing best, the decoy weakly, Seoul
    Traffic not at all; Udon Thani has no listing."""
    event, now, slot = roadshow_with_a_slot_in_an_hour(bangkok_centre, "Smart City Roadshow Bangkok")
    starts = slot.starts_at
    past = factories.TimeSlotFactory(
        event=event, starts_at=starts - dt.timedelta(hours=2), ends_at=starts - dt.timedelta(minutes=90)
    )
    later = factories.TimeSlotFactory(
        event=event, starts_at=starts + dt.timedelta(hours=1), ends_at=starts + dt.timedelta(minutes=90)
    )
    flood_listing(buyer.buyer_organisation, words)
    registrations = {
        "flood": factories.SmeRegistrationFactory(event=event, company=flood_company(words)),
        "decoy": factories.SmeRegistrationFactory(event=event, company=decoy_company(words)),
        "traffic": factories.SmeRegistrationFactory(event=event, company=traffic_company(words)),
        "khon_kaen": factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation),
        "udon": factories.BuyerRegistrationFactory(
            event=event, buyer=factories.BuyerOrganisationFactory(name="Udon Thani Municipality")
        ),
    }
    local_day = starts.astimezone(event.zone).date()
    for registration in registrations.values():
        Arrival.objects.create(registration=registration, day=local_day, arrived_at=now)
    return {
        "event": event,
        "now": now,
        "slot": slot,
        "past": past,
        "later": later,
        "a1": factories.TableFactory(event=event, name="A1"),
        "b1": factories.TableFactory(event=event, name="B1"),
        "day": local_day,
        **registrations,
    }


def _panel(day, table="a1", slot="slot"):
    return walk_in_panel(day["event"], day[slot], day[table], day["now"])


def _pairs(pairs):
    return [(str(pair.sme), str(pair.buyer)) for pair in pairs]


def _book(day, sme, buyer, table="a1", **kwargs):
    return booking_services.walk_in_book(
        slot=day["slot"], table=day[table], sme=day[sme], buyer=day[buyer], booked_by=None, **kwargs
    )


# ---------------------------------------------------------------- who is offered, in which order
def test_a_pair_who_asked_comes_first_then_the_best_fits(day):
    factories.MeetingRequestFactory(
        event=day["event"], sme=day["traffic"], buyer=day["khon_kaen"], status=MeetingRequest.Status.ACCEPTED
    )

    panel = _panel(day)

    assert panel.is_free
    assert panel.checked_in == 5
    assert _pairs(panel.asked) == [("Seoul Traffic Systems", "Khon Kaen City Municipality")]
    assert panel.asked[0].asked == Asked.ACCEPTED
    assert _pairs(panel.suggested) == [
        ("Hanriver Flood Alert", "Khon Kaen City Municipality"),
        ("Decoy Drone Works", "Khon Kaen City Municipality"),
    ]
    assert panel.suggested[0].score > panel.suggested[1].score
    assert [str(r) for r in panel.smes] == [
        "Decoy Drone Works",
        "Hanriver Flood Alert",
        "Seoul Traffic Systems",
    ]
    assert [str(r) for r in panel.buyers] == ["Khon Kaen City Municipality", "Udon Thani Municipality"]


def test_accepted_requests_then_must_meet_then_waiting_requests_then_mutual_shortlists(day, buyer):
    event = day["event"]
    factories.MeetingRequestFactory(event=event, sme=day["flood"], buyer=day["udon"])  # waiting
    factories.MeetingRequestFactory(
        event=event, sme=day["traffic"], buyer=day["udon"], priority=MeetingRequest.Priority.MUST_MEET
    )
    factories.MeetingRequestFactory(
        event=event, sme=day["decoy"], buyer=day["udon"], status=MeetingRequest.Status.ACCEPTED
    )
    decoy_member = factories.SmeMemberFactory(company=day["decoy"].company)
    ShortlistEntry.objects.create(user=decoy_member, registration=day["khon_kaen"])
    ShortlistEntry.objects.create(user=buyer, registration=day["decoy"])

    panel = _panel(day)

    assert [(str(p.sme), str(p.buyer), p.asked) for p in panel.asked] == [
        ("Decoy Drone Works", "Udon Thani Municipality", Asked.ACCEPTED),
        ("Seoul Traffic Systems", "Udon Thani Municipality", Asked.REQUESTED),
        ("Hanriver Flood Alert", "Udon Thani Municipality", Asked.REQUESTED),
        ("Decoy Drone Works", "Khon Kaen City Municipality", Asked.SHORTLISTED),
    ]
    assert panel.asked[1].must_meet
    assert [str(p.reason) for p in panel.asked] == [
        "Request accepted by both", "Asked for a meeting", "Asked for a meeting", "On each other's shortlist",
    ]  # fmt: skip
    assert _pairs(panel.suggested) == [("Hanriver Flood Alert", "Khon Kaen City Municipality")]


def test_a_shortlist_on_one_side_only_is_no_ask_and_a_declined_request_is_no_suggestion(day, buyer):
    flood_member = factories.SmeMemberFactory(company=day["flood"].company)
    ShortlistEntry.objects.create(user=flood_member, registration=day["khon_kaen"])
    factories.MeetingRequestFactory(
        event=day["event"], sme=day["decoy"], buyer=day["khon_kaen"], status=MeetingRequest.Status.DECLINED
    )

    panel = _panel(day)

    assert panel.asked == []
    assert _pairs(panel.suggested) == [("Hanriver Flood Alert", "Khon Kaen City Municipality")]


def test_participants_who_have_not_checked_in_are_not_offered(day):
    Arrival.objects.filter(registration=day["flood"]).delete()
    late = factories.SmeRegistrationFactory(event=day["event"])  # registered, never arrived

    panel = _panel(day)

    assert day["flood"] not in panel.smes and late not in panel.smes
    assert _pairs(panel.suggested) == [("Decoy Drone Works", "Khon Kaen City Municipality")]


def test_arrivals_of_another_day_do_not_count(day):
    Arrival.objects.filter(registration=day["khon_kaen"]).update(day=day["day"] - dt.timedelta(days=1))

    assert [str(r) for r in _panel(day).buyers] == ["Udon Thani Municipality"]


def test_participants_busy_in_the_slot_are_not_offered(day):
    factories.MeetingFactory(slot=day["slot"], table=day["b1"], sme=day["flood"], buyer=day["udon"])

    panel = _panel(day)

    assert [str(r) for r in panel.smes] == ["Decoy Drone Works", "Seoul Traffic Systems"]
    assert [str(r) for r in panel.buyers] == ["Khon Kaen City Municipality"]


def test_a_participant_in_a_programme_session_they_must_attend_is_not_offered(day):
    session = ProgrammeSession.objects.create(
        event=day["event"],
        title="IR pitches",
        starts_at=day["slot"].starts_at - dt.timedelta(minutes=10),
        ends_at=day["slot"].starts_at + dt.timedelta(minutes=10),
    )
    ProgrammeParticipant.objects.create(
        session=session, registration=day["flood"], role=ProgrammeParticipant.Role.SPEAKER
    )
    ProgrammeParticipant.objects.create(
        session=session, registration=day["udon"], role=ProgrammeParticipant.Role.ATTENDEE
    )

    panel = _panel(day)

    assert day["flood"] not in panel.smes
    assert [str(r) for r in panel.buyers] == ["Khon Kaen City Municipality"]


def test_participants_unavailable_in_the_slot_or_at_their_maximum_are_not_offered(day):
    day["flood"].unavailable_slots.add(day["slot"])
    day["decoy"].max_meetings = 1
    day["decoy"].save()
    factories.MeetingFactory(slot=day["later"], table=day["a1"], sme=day["decoy"], buyer=day["udon"])

    panel = _panel(day)

    assert [str(r) for r in panel.smes] == ["Seoul Traffic Systems"]


def test_a_pair_that_already_has_a_meeting_is_not_offered_again_but_a_cancelled_one_is(day):
    met = factories.MeetingFactory(
        slot=day["later"], table=day["a1"], sme=day["flood"], buyer=day["khon_kaen"]
    )
    factories.MeetingFactory(
        slot=day["past"], table=day["a1"], sme=day["decoy"], buyer=day["khon_kaen"],
        status=Meeting.Status.CANCELLED,
    )  # fmt: skip

    panel = _panel(day)

    assert day["flood"] in panel.smes  # free now, just not with Khon Kaen
    assert _pairs(panel.suggested) == [("Decoy Drone Works", "Khon Kaen City Municipality")]
    assert met.status == Meeting.Status.SCHEDULED


def test_a_place_held_by_a_live_meeting_offers_the_other_free_tables_instead(day):
    meeting = factories.MeetingFactory(slot=day["slot"], table=day["a1"], sme=day["flood"], buyer=day["udon"])

    panel = _panel(day)

    assert not panel.is_free
    assert panel.taken == meeting
    assert panel.free_tables == [day["b1"]]
    assert panel.smes == panel.asked == panel.suggested == []


def test_a_cancelled_meetings_place_is_free_and_a_slot_that_is_over_is_not(day):
    factories.MeetingFactory(
        slot=day["slot"],
        table=day["a1"],
        sme=day["flood"],
        buyer=day["udon"],
        status=Meeting.Status.CANCELLED,
    )

    assert _panel(day).is_free
    assert _panel(day, slot="past").over
    assert not _panel(day, slot="past").is_free


# ---------------------------------------------------------------- booking
def test_a_walk_in_is_booked_through_the_booking_service_marked_and_e_mailed(
    day, django_capture_on_commit_callbacks
):
    request = factories.MeetingRequestFactory(
        event=day["event"], sme=day["flood"], buyer=day["khon_kaen"], status=MeetingRequest.Status.ACCEPTED
    )
    interpreter = factories.InterpreterFactory(
        event=day["event"], name="Somchai", email="somchai@example.com"
    )
    factories.SmeMemberFactory(company=day["flood"].company, email="jiwoo@hanriver.example")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        meeting = _book(day, "flood", "khon_kaen", interpreter=interpreter)

    assert (meeting.slot, meeting.table, meeting.interpreter) == (day["slot"], day["a1"], interpreter)
    assert meeting.walk_in is True
    assert meeting.status == Meeting.Status.SCHEDULED
    assert meeting.request == request  # their accepted request is the one booked
    recipients = {address for message in mail.outbox for address in message.to}
    assert {"jiwoo@hanriver.example", "somchai@example.com"} <= recipients


def test_the_same_walk_in_sent_twice_gives_one_meeting(day):
    first = _book(day, "flood", "khon_kaen")

    again = _book(day, "flood", "khon_kaen")

    assert again == first
    assert Meeting.objects.filter(slot=day["slot"]).count() == 1


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("not_checked_in", "Hanriver Flood Alert has not checked in today."),
        ("place_taken", "A1 at {time} was just filled with Decoy Drone Works and Udon Thani Municipality; "
                        "choose another place."),
        ("busy", "Hanriver Flood Alert already has a meeting in this slot (B1)."),
        ("met", "Hanriver Flood Alert and Khon Kaen City Municipality already have a meeting ({later})."),
        ("session", "Hanriver Flood Alert speaks in “IR pitches” ({session}) at this time."),
        ("over", "This slot is over: choose a place in a later one."),
    ],
)  # fmt: skip
def test_a_walk_in_that_cannot_be_booked_is_refused_with_a_precise_message(day, setup, message):
    event, zone = day["event"], day["event"].zone
    kwargs = {}
    if setup == "not_checked_in":
        Arrival.objects.filter(registration=day["flood"]).delete()
    elif setup == "place_taken":
        factories.MeetingFactory(slot=day["slot"], table=day["a1"], sme=day["decoy"], buyer=day["udon"])
    elif setup == "busy":
        factories.MeetingFactory(slot=day["slot"], table=day["b1"], sme=day["flood"], buyer=day["udon"])
    elif setup == "met":
        factories.MeetingFactory(slot=day["later"], table=day["b1"], sme=day["flood"], buyer=day["khon_kaen"])
    elif setup == "session":
        session = ProgrammeSession.objects.create(
            event=event, title="IR pitches", starts_at=day["slot"].starts_at, ends_at=day["slot"].ends_at
        )
        ProgrammeParticipant.objects.create(session=session, registration=day["flood"], role="speaker")
    elif setup == "over":
        kwargs["now"] = day["slot"].ends_at

    with pytest.raises(ValidationError) as refused:
        _book(day, "flood", "khon_kaen", **kwargs)

    local = {name: day[name].starts_at.astimezone(zone) for name in ("slot", "later")}
    expected = message.format(
        time=f"{local['slot']:%H:%M}",
        later=f"{local['later']:%Y-%m-%d %H:%M}",
        session=f"{local['slot']:%H:%M}–{day['slot'].ends_at.astimezone(zone):%H:%M}",
    )
    assert expected in refused.value.messages
    assert not Meeting.objects.filter(slot=day["slot"], sme=day["flood"], buyer=day["khon_kaen"]).exists()


# ---------------------------------------------------------------- the pages
def _walk_in_url(day, table="a1", slot="slot"):
    url = reverse("consultations:walk_in", args=[day["event"].pk])
    return f"{url}?slot={day[slot].pk}&table={day[table].pk}"


def test_the_board_offers_a_walk_in_for_each_freed_place_of_a_slot_not_over(client, day, centre_staff):
    factories.MeetingFactory(slot=day["slot"], table=day["b1"], sme=day["flood"], buyer=day["udon"])
    factories.MeetingFactory(
        slot=day["later"],
        table=day["b1"],
        sme=day["decoy"],
        buyer=day["udon"],
        status=Meeting.Status.CANCELLED,
    )
    client.force_login(centre_staff)

    page = client.get(reverse("consultations:board", args=[day["event"].pk]), {"day": day["day"].isoformat()})

    content = page.content.decode()
    offered = {
        (cell.table.name, str(slot.pk))
        for slot, cells in page.context["board"].rows
        for cell in cells
        if cell.fillable
    }
    assert offered == {
        ("A1", str(day["slot"].pk)),
        ("A1", str(day["later"].pk)),
        ("B1", str(day["later"].pk)),
    }
    assert f'data-testid="walk-in-{day["later"].pk}-{day["b1"].pk}"' in content  # freed by the cancellation
    assert f'data-testid="walk-in-{day["past"].pk}-' not in content
    assert "Fill with a walk-in" in content


def test_staff_fill_a_freed_place_and_go_back_to_the_board_showing_it(client, day, centre_staff):
    client.force_login(centre_staff)
    url = _walk_in_url(day)

    page = client.get(url)
    response = client.post(url, {"sme": day["flood"].pk, "buyer": day["khon_kaen"].pk}, follow=True)

    assert page.status_code == 200
    assert "Hanriver Flood Alert" in page.content.decode()
    meeting = Meeting.objects.get(slot=day["slot"], table=day["a1"])
    assert (meeting.sme, meeting.buyer, meeting.walk_in) == (day["flood"], day["khon_kaen"], True)
    assert response.redirect_chain[-1][0].startswith(reverse("consultations:board", args=[day["event"].pk]))
    content = response.content.decode()
    assert "Walk-in booked: Hanriver Flood Alert and Khon Kaen City Municipality at A1" in content
    assert f'data-testid="board-meeting-{meeting.pk}"' in content
    assert "walk-in</span>" in content


def test_a_place_filled_a_moment_earlier_re_renders_with_who_filled_it(client, day, centre_staff):
    client.force_login(centre_staff)
    url = _walk_in_url(day)
    client.get(url)
    factories.MeetingFactory(slot=day["slot"], table=day["a1"], sme=day["decoy"], buyer=day["udon"])

    response = client.post(url, {"sme": day["flood"].pk, "buyer": day["khon_kaen"].pk})

    assert response.status_code == 200
    content = response.content.decode()
    assert "was just filled with Decoy Drone Works and Udon Thani Municipality" in content
    assert f"table={day['b1'].pk}" in content  # the other free table is offered
    assert Meeting.objects.filter(slot=day["slot"]).count() == 1


def test_a_double_submit_ends_in_one_meeting_and_the_board(client, day, centre_staff):
    client.force_login(centre_staff)
    url = _walk_in_url(day)
    data = {"sme": day["flood"].pk, "buyer": day["khon_kaen"].pk}

    first, second = client.post(url, data), client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert Meeting.objects.filter(slot=day["slot"]).count() == 1


def test_a_participant_of_another_event_is_refused_on_the_form(client, day, centre_staff):
    client.force_login(centre_staff)
    stranger = factories.SmeRegistrationFactory()

    response = client.post(_walk_in_url(day), {"sme": stranger.pk, "buyer": day["khon_kaen"].pk})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("user", ["other_centre_staff", "sme_owner", "buyer", "anonymous"])
def test_only_the_organising_centres_staff_and_admins_fill_walk_ins(client, day, user, request):
    if user != "anonymous":
        client.force_login(request.getfixturevalue(user))
    data = {"sme": day["flood"].pk, "buyer": day["khon_kaen"].pk}

    get, post = client.get(_walk_in_url(day)), client.post(_walk_in_url(day), data)

    assert get.status_code == post.status_code == (302 if user == "anonymous" else 404)
    assert not Meeting.objects.exists()


def test_an_admin_may_fill_a_walk_in(client, day, admin):
    client.force_login(admin)

    response = client.post(_walk_in_url(day), {"sme": day["flood"].pk, "buyer": day["khon_kaen"].pk})

    assert response.status_code == 302
    assert Meeting.objects.get().walk_in


@pytest.mark.parametrize("query", ["", "?slot=1", "?slot=x&table=1", "?slot={other_slot}&table={a1}"])
def test_a_place_that_is_not_the_events_is_a_404(client, day, centre_staff, query):
    other_slot = factories.TimeSlotFactory()
    client.force_login(centre_staff)
    url = reverse("consultations:walk_in", args=[day["event"].pk])

    response = client.get(url + query.format(other_slot=other_slot.pk, a1=day["a1"].pk))

    assert response.status_code == 404


def test_the_walk_in_page_query_count_does_not_grow_with_the_participants(client, day, centre_staff, words):
    client.force_login(centre_staff)
    url = _walk_in_url(day)
    client.get(url)  # the match index is built once
    with CaptureQueriesContext(connection) as few:
        first = client.get(url)
    for n in range(4):
        sme = factories.SmeRegistrationFactory(
            event=day["event"], company=flood_company(words, name_en=f"Flood {n}", name_ko=f"홍수 {n}")
        )
        other = factories.BuyerRegistrationFactory(event=day["event"])
        for registration in (sme, other):
            Arrival.objects.create(registration=registration, day=day["day"], arrived_at=day["now"])
        factories.MeetingRequestFactory(event=day["event"], sme=sme, buyer=other)
        factories.MeetingFactory(
            slot=day["later"],
            table=factories.TableFactory(event=day["event"], name=f"C{n}"),
            sme=sme,
            buyer=day["udon"] if n == 0 else factories.BuyerRegistrationFactory(event=day["event"]),
        )
        factories.InterpreterFactory(event=day["event"], name=f"Interpreter {n}")
    client.get(url)  # the match index, rebuilt with the new companies, is read once more
    with CaptureQueriesContext(connection) as many:
        second = client.get(url)

    assert len(second.context["panel"].asked) == len(first.context["panel"].asked) + 4
    # user, event, slot, table, the place's meeting, checked-in participants, the event's live meetings,
    # unavailable slots, programme roles, interpreters, requests, shortlists, solutions, listings, index key
    assert len(many) == len(few) == 15, [query["sql"][:80] for query in many.captured_queries]
