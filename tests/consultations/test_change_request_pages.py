"""The pages of meeting change requests: the agenda's "Reschedule or cancel", the participant's request page
with its withdrawal, the event page's "Change requests" with their approve-or-refuse forms (and their
query count), the home page's next meetings and my agendas."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from matching.consultations.booking.models import MeetingChangeRequest
from tests import factories
from tests.consultations.test_agendas import slot_at
from tests.consultations.test_change_requests import (  # noqa: F401 (meeting: a fixture)
    answer_url,
    ask,
    ask_url,
    meeting,
    withdraw_url,
)

pytestmark = pytest.mark.django_db


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# ---------------------------------------------------------------- pages: the participant
def test_the_agenda_offers_reschedule_or_cancel_and_then_shows_the_waiting_request(
    client, meeting, sme_owner
):
    client.force_login(sme_owner)
    agenda = reverse("consultations:agenda", args=[meeting.sme_id])
    assert f'href="{ask_url(meeting)}"' in client.get(agenda).content.decode()

    response = client.post(
        ask_url(meeting),
        {"kind": "reschedule", "reason": "clash", "note": "A council session.", "preferred_time": "Day 2"},
    )

    assert (response.status_code, response["Location"]) == (302, agenda)
    page = text_of(client.get(agenda).content.decode())
    assert "New time asked · waiting for KOTRA" in page
    assert "See the change request" in page
    assert "Your request is sent to KOTRA Bangkok. The meeting stays as booked until they answer." in page


def test_the_request_page_shows_the_waiting_request_and_the_asker_withdraws_it(client, meeting, sme_owner):
    asked = ask(meeting, sme_owner, note="<script>alert(1)</script>")
    client.force_login(sme_owner)

    page = client.get(ask_url(meeting)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert f'action="{withdraw_url(asked)}"' in page

    response = client.post(withdraw_url(asked), follow=True)

    asked.refresh_from_db()
    assert asked.status == "withdrawn"
    assert "Your request is withdrawn: the meeting stays as booked." in text_of(response.content.decode())
    assert 'name="reason"' in response.content.decode()  # the form to ask again


def test_the_other_side_sees_the_request_but_cannot_withdraw_it(client, meeting, sme_owner, buyer):
    asked = ask(meeting, sme_owner)
    client.force_login(buyer)

    page = client.get(ask_url(meeting)).content.decode()

    assert "Seoul Traffic Systems asked KOTRA Bangkok." in text_of(page)
    assert withdraw_url(asked) not in page


def test_a_form_error_is_shown_on_the_form(client, meeting, sme_owner):
    client.force_login(sme_owner)

    response = client.post(ask_url(meeting), {"kind": "cancel", "reason": "other", "note": ""})

    assert response.status_code == 200
    assert "Say in a few words why." in response.content.decode()
    assert MeetingChangeRequest.objects.count() == 0


def test_my_agendas_count_the_changes_waiting(client, meeting, sme_owner):
    ask(meeting, sme_owner)
    client.force_login(sme_owner)

    page = text_of(client.get(reverse("consultations:my_agenda")).content.decode())

    assert "1 meeting 1 change waiting for KOTRA" in page


def test_the_home_page_offers_the_change_beside_the_next_meeting(client, bangkok_centre, sme_owner, buyer):
    event = factories.EventFactory(organising_centre=bangkok_centre, city=bangkok_centre.city)
    soon = factories.MeetingFactory(
        slot=factories.TimeSlotFactory(event=event, starts_at=timezone.now() + dt.timedelta(days=2)),
        sme=factories.SmeRegistrationFactory(event=event, company=sme_owner.company),
        buyer=factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation),
        table=factories.TableFactory(event=event, name="T01"),
    )
    client.force_login(sme_owner)
    assert f'href="{ask_url(soon)}">Reschedule or cancel</a>' in client.get("/accounts/").content.decode()

    ask(soon, sme_owner)

    assert "Change asked · waiting for KOTRA" in client.get("/accounts/").content.decode()


# ---------------------------------------------------------------- pages: staff
def test_the_event_page_lists_the_waiting_requests_with_their_forms_and_counts_them(
    client, roadshow, meeting, sme_owner, centre_staff
):
    asked = ask(meeting, sme_owner, reason="travel", preferred_time="Second day")
    client.force_login(centre_staff)

    response = client.get(reverse("consultations:detail", args=[roadshow.event.pk]))

    html = response.content.decode()
    assert response.context["figures"]["change_requests"] == 1
    assert '<dt>Change requests</dt><dd><a href="#changes-heading">1</a></dd>' in html
    page = text_of(html)
    assert "New time asked Seoul Traffic Systems – Khon Kaen City Municipality" in page
    assert "Reason: Travel plans changed Would suit them: Second day" in page
    assert f'action="{answer_url(asked.meeting.slot.event_id, asked.pk)}"' in html
    assert f'name="change-{asked.pk}-slot"' in html


def test_staff_approve_a_new_time_from_the_event_page(client, roadshow, meeting, sme_owner, centre_staff):
    asked = ask(meeting, sme_owner)
    client.force_login(centre_staff)
    prefix = f"change-{asked.pk}"

    response = client.post(
        answer_url(asked.meeting.slot.event_id, asked.pk),
        {"decision": "approve", f"{prefix}-slot": roadshow.slot_1000.pk, f"{prefix}-table": roadshow.t08.pk},
    )

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("consultations:detail", args=[roadshow.event.pk]),
    )
    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table, meeting.locked) == (roadshow.slot_1000, roadshow.t08, True)
    page = text_of(client.get(response["Location"]).content.decode())
    assert "The meeting is moved and locked; both sides get the new time." in page
    assert "Change requests 0" in page


def test_a_taken_slot_shows_the_answer_page_again_with_the_reason(
    client, roadshow, meeting, sme_owner, centre_staff
):
    factories.MeetingFactory(
        slot=roadshow.slot_1000, sme=roadshow.sme2, buyer=roadshow.buyer2, table=roadshow.t08
    )
    asked = ask(meeting, sme_owner)
    client.force_login(centre_staff)
    prefix = f"change-{asked.pk}"

    response = client.post(
        answer_url(asked.meeting.slot.event_id, asked.pk),
        {"decision": "approve", f"{prefix}-slot": roadshow.slot_1000.pk, f"{prefix}-table": roadshow.t08.pk},
    )

    assert response.status_code == 200
    assert "This table is already taken in this slot." in response.content.decode()
    asked.refresh_from_db()
    assert asked.status == "pending"


def test_a_second_answer_lands_on_the_event_page_with_the_first_one(
    client, roadshow, meeting, sme_owner, centre_staff
):
    asked = ask(meeting, sme_owner)
    client.force_login(centre_staff)
    data = {"decision": "refuse", f"change-{asked.pk}-note": "All full."}
    client.post(answer_url(asked.meeting.slot.event_id, asked.pk), data)

    response = client.post(answer_url(asked.meeting.slot.event_id, asked.pk), data, follow=True)

    assert "This request was already answered: Refused." in text_of(response.content.decode())
    assert MeetingChangeRequest.objects.get().answer_note == "All full."


def test_the_event_page_query_count_does_not_grow_with_change_requests(
    client, roadshow, meeting, sme_owner, centre_staff
):
    ask(meeting, sme_owner)
    client.force_login(centre_staff)
    url = reverse("consultations:detail", args=[roadshow.event.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for hour in (11, 13, 14):
        other = factories.BuyerRegistrationFactory(event=roadshow.event)
        extra = factories.MeetingFactory(
            slot=slot_at(roadshow.event, hour), sme=roadshow.sme, buyer=other, table=roadshow.t07
        )
        ask(extra, sme_owner, kind="cancel")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.context["figures"]["change_requests"] == 4
    assert len(many.captured_queries) == len(one.captured_queries)
