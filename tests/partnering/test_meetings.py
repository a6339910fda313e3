"""Meetings agreed through a request: online at a time the asker proposed and the other side picked
(shown in both sides' time zones, with its .ics), or in person at a roadshow, handed to its scheduler."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone

from matching.consultations.booking.models import MeetingRequest
from matching.partnering.models import PartnerRequest
from tests import factories

pytestmark = pytest.mark.django_db

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


def _next_week_at(hour):
    day = timezone.localdate() + dt.timedelta(days=7)
    return dt.datetime(day.year, day.month, day.day, hour, 0)


def test_a_buyer_proposes_two_times_in_its_zone_and_the_company_picks_one(client, buyer, company, sme_owner):
    buyer.time_zone = "Asia/Bangkok"
    buyer.save()
    client.force_login(buyer)
    ten, fourteen = _next_week_at(10), _next_week_at(14)

    client.post(
        f"/partners/new/?company={company.pk}",
        {
            "kind": "online",
            "message": "Shall we meet online?",
            "time_1": ten.strftime("%Y-%m-%dT%H:%M"),
            "time_2": fourteen.strftime("%Y-%m-%dT%H:%M"),
            "video_link": "meet.example.com/khon-kaen",
        },
    )
    asked = PartnerRequest.objects.get()
    client.force_login(sme_owner)
    page = client.get(f"/partners/{asked.pk}/").content.decode()
    chosen = ten.replace(tzinfo=BANGKOK)
    client.post(
        f"/partners/{asked.pk}/answer/",
        {"decision": "accept", "start": chosen.astimezone(dt.UTC).isoformat()},
    )

    asked.refresh_from_db()
    assert sorted(asked.proposed_times.values_list("starts_at", flat=True)) == [
        chosen,
        fourteen.replace(tzinfo=BANGKOK),
    ]
    assert asked.video_link == "https://meet.example.com/khon-kaen"
    assert f"{ten:%Y-%m-%d} 12:00 (Asia/Seoul) · {ten:%Y-%m-%d} 10:00 (Asia/Bangkok)" in page
    assert (asked.status, asked.agreed_start) == ("accepted", chosen)


def test_accepting_an_online_meeting_needs_one_of_the_proposed_times(client, buyer, company, sme_owner):
    asked = PartnerRequest.objects.create(
        company=company, buyer=buyer.buyer_organisation, from_company=False, kind="online", message="Online?"
    )
    asked.proposed_times.create(starts_at=timezone.now() + dt.timedelta(days=2))
    client.force_login(sme_owner)

    response = client.post(f"/partners/{asked.pk}/answer/", {"decision": "accept"})
    forged = client.post(
        f"/partners/{asked.pk}/answer/", {"decision": "accept", "start": "2031-01-01T00:00:00+00:00"}
    )

    asked.refresh_from_db()
    assert response.context["answer_form"].errors == {"start": ["Pick one of the proposed times."]}
    assert forged.status_code == 200
    assert "start" in forged.context["answer_form"].errors
    assert asked.status == "pending"


def test_the_agreed_online_meeting_downloads_as_a_calendar_file(client, buyer, company):
    start = dt.datetime(2031, 3, 4, 3, 0, tzinfo=dt.UTC)
    agreed = PartnerRequest.objects.create(
        company=company,
        buyer=buyer.buyer_organisation,
        from_company=False,
        kind="online",
        message="Online?",
        status="accepted",
        agreed_start=start,
        video_link="https://meet.example.com/room",
    )
    client.force_login(buyer)

    response = client.get(f"/partners/{agreed.pk}/meeting.ics")

    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "DTSTART:20310304T030000Z" in body
    assert "DTEND:20310304T034500Z" in body
    assert "LOCATION:https://meet.example.com/room" in body
    assert f"UID:partner-request-{agreed.pk}@" in body


def test_a_meeting_in_person_at_a_roadshow_both_attend_goes_to_its_scheduler(
    client, buyer, organisation, company, sme_owner, bangkok_centre
):
    event = factories.EventFactory(
        organising_centre=bangkok_centre,
        city=bangkok_centre.city,
        start_date=timezone.localdate() + dt.timedelta(days=20),
    )
    sme_registration = factories.SmeRegistrationFactory(event=event, company=company, status="confirmed")
    buyer_registration = factories.BuyerRegistrationFactory(
        event=event, buyer=organisation, status="confirmed"
    )
    client.force_login(buyer)
    client.post(
        f"/partners/new/?company={company.pk}",
        {"kind": "in_person", "message": "See you in Bangkok.", "event": event.pk},
    )
    asked = PartnerRequest.objects.get()

    client.force_login(sme_owner)
    client.post(f"/partners/{asked.pk}/answer/", {"decision": "accept"})

    event_request = MeetingRequest.objects.get()
    assert (event_request.event, event_request.sme, event_request.buyer, event_request.status) == (
        event,
        sme_registration,
        buyer_registration,
        "accepted",
    )


def test_a_past_roadshow_cannot_be_chosen(client, buyer, company, bangkok_centre):
    past = factories.EventFactory(
        organising_centre=bangkok_centre, start_date=timezone.localdate() - dt.timedelta(days=30)
    )
    client.force_login(buyer)

    response = client.post(
        f"/partners/new/?company={company.pk}", {"kind": "in_person", "message": "Hello", "event": past.pk}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["event"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


# An agreed online meeting in 30 days at 03:00 UTC, and new times the company proposes in Seoul time.
_DAY = timezone.localdate() + dt.timedelta(days=30)
AGREED = dt.datetime(_DAY.year, _DAY.month, _DAY.day, 3, 0, tzinfo=dt.UTC)
NEW = AGREED + dt.timedelta(days=1, hours=-1)  # 02:00 UTC the next day: 11:00 in Seoul
NEW_SEOUL = f"{NEW + dt.timedelta(hours=9):%Y-%m-%dT%H:%M}"
OTHER_SEOUL = f"{NEW + dt.timedelta(days=1, hours=9):%Y-%m-%dT%H:%M}"


@pytest.fixture
def agreed(company, organisation):
    """An online meeting agreed for 03:00 UTC in 30 days."""
    return PartnerRequest.objects.create(
        company=company,
        buyer=organisation,
        from_company=False,
        kind="online",
        message="Online?",
        status="accepted",
        agreed_start=AGREED,
    )


def test_an_agreed_online_meeting_moves_when_the_other_side_picks_a_new_time(
    client, agreed, buyer, sme_owner, django_capture_on_commit_callbacks
):
    client.force_login(sme_owner)  # in Seoul
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/partners/{agreed.pk}/move/", {"time_1": NEW_SEOUL, "time_2": OTHER_SEOUL})
    agreed.refresh_from_db()
    client.force_login(buyer)
    page = client.get(f"/partners/{agreed.pk}/").content.decode()
    new = NEW  # 11:00 in Seoul
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/partners/{agreed.pk}/move/answer/", {"start": new.isoformat()})

    moved = PartnerRequest.objects.get(pk=agreed.pk)
    assert agreed.move_asked_by_company is True
    assert agreed.agreed_start == AGREED  # held until answered
    assert "They proposed new times" in page
    assert (moved.agreed_start, moved.time_revision, moved.move_asked_by_company) == (new, 1, None)
    assert [m.subject for m in mail.outbox] == [
        "New times proposed: online meeting (Seoul Traffic Systems ↔ Khon Kaen City Municipality)",
        "New time agreed: online meeting (Seoul Traffic Systems ↔ Khon Kaen City Municipality)",
    ]
    assert (mail.outbox[0].to, mail.outbox[1].to) == (["buyer@example.com"], ["sme_owner@example.com"])
    assert "SEQUENCE:1" in client.get(f"/partners/{agreed.pk}/meeting.ics").content.decode()


def test_the_other_side_may_keep_the_agreed_time(client, agreed, buyer, sme_owner):
    client.force_login(sme_owner)
    client.post(f"/partners/{agreed.pk}/move/", {"time_1": NEW_SEOUL})
    client.force_login(buyer)

    client.post(f"/partners/{agreed.pk}/move/answer/", {"start": ""})

    agreed.refresh_from_db()
    assert (agreed.agreed_start, agreed.time_revision, agreed.move_asked_by_company) == (
        AGREED,
        0,
        None,
    )


def test_the_proposer_cannot_pick_its_own_new_time_and_a_past_time_is_refused(client, agreed, sme_owner):
    client.force_login(sme_owner)
    past = client.post(f"/partners/{agreed.pk}/move/", {"time_1": "2020-01-01T10:00"})
    client.post(f"/partners/{agreed.pk}/move/", {"time_1": NEW_SEOUL})
    own = client.post(
        f"/partners/{agreed.pk}/move/answer/",
        {"start": NEW.isoformat()},
        follow=True,
    )

    agreed.refresh_from_db()
    assert past.context["move_form"].errors == {"__all__": ["Propose times in the future."]}
    assert "The other side picks one of the times you proposed." in own.content.decode()
    assert agreed.agreed_start == AGREED


def test_a_request_without_an_agreed_time_cannot_be_moved(client, buyer, company, sme_owner):
    question = PartnerRequest.objects.create(
        company=company, buyer=buyer.buyer_organisation, from_company=False, kind="question", message="Hi"
    )
    client.force_login(sme_owner)

    response = client.post(f"/partners/{question.pk}/move/", {"time_1": NEW_SEOUL}, follow=True)

    assert response.status_code == 200
    assert response.context["move_form"] is None
    assert "Only an online meeting with an agreed time can be moved." in response.content.decode()
