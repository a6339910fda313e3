"""Meeting change requests under attack: another organisation's member, another centre's staff, forged ids
and choices, double submits, a past event, a cancelled meeting, HTML and 10 kB in the note. Each is refused
with a 404, a 403 or a clear message, never a 500, and nothing changes."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from matching.consultations.booking.models import Meeting, MeetingChangeRequest
from matching.consultations.events.models import Event
from tests import factories
from tests.consultations.test_change_requests import (  # noqa: F401 (meeting: a fixture)
    answer_url,
    ask,
    ask_url,
    meeting,
    withdraw_url,
)

pytestmark = pytest.mark.django_db


ASK = {"kind": "cancel", "reason": "clash", "note": "", "preferred_time": ""}


def state():
    return (
        list(MeetingChangeRequest.objects.order_by("pk").values_list("status", "answer_note")),
        list(Meeting.objects.order_by("pk").values_list("status", "slot_id", "table_id", "sequence")),
        len(mail.outbox),
    )


# ---------------------------------------------------------------- strangers
def test_another_companys_member_gets_404_from_the_meeting_and_cannot_ask(client, meeting, stranger):
    client.force_login(stranger)
    before = state()

    assert client.get(ask_url(meeting)).status_code == 404
    assert client.post(ask_url(meeting), ASK).status_code == 404
    assert state() == before


def test_another_buyers_member_cannot_withdraw_a_request(client, meeting, sme_owner):
    asked = ask(meeting, sme_owner)
    other = factories.BuyerMemberFactory(username="phuket")
    client.force_login(other)

    assert client.post(withdraw_url(asked)).status_code == 404
    asked.refresh_from_db()
    assert asked.status == "pending"


def test_staff_get_403_on_the_participants_pages(client, meeting, sme_owner, centre_staff, admin):
    asked = ask(meeting, sme_owner)
    for user in (centre_staff, admin):
        client.force_login(user)
        assert client.get(ask_url(meeting)).status_code == 403
        assert client.post(withdraw_url(asked)).status_code == 403
    asked.refresh_from_db()
    assert asked.status == "pending"


def test_another_centres_staff_get_404_and_cannot_answer(
    client, roadshow, meeting, sme_owner, other_centre_staff
):
    asked = ask(meeting, sme_owner)
    client.force_login(other_centre_staff)
    before = state()

    url = answer_url(roadshow.event.pk, asked.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "refuse", f"change-{asked.pk}-note": "No."}).status_code == 404
    assert state() == before


def test_members_cannot_answer_even_their_own_request(client, roadshow, meeting, sme_owner):
    asked = ask(meeting, sme_owner)
    client.force_login(sme_owner)

    response = client.post(answer_url(roadshow.event.pk, asked.pk), {"decision": "approve"})

    assert response.status_code == 404
    asked.refresh_from_db()
    assert asked.status == "pending"


# ---------------------------------------------------------------- forged ids and choices
def test_a_change_request_of_another_event_is_not_found_under_this_event(
    client, bangkok_centre, roadshow, meeting, sme_owner, centre_staff
):
    asked = ask(meeting, sme_owner)
    other_event = factories.EventFactory(organising_centre=bangkok_centre, city=bangkok_centre.city)
    client.force_login(centre_staff)

    assert client.get(answer_url(other_event.pk, asked.pk)).status_code == 404
    assert client.get(answer_url(roadshow.event.pk, asked.pk + 1000)).status_code == 404


def test_a_slot_or_table_of_another_event_is_refused_as_not_a_choice(
    client, bangkok_centre, roadshow, meeting, sme_owner, centre_staff
):
    asked = ask(meeting, sme_owner)
    other_event = factories.EventFactory(organising_centre=bangkok_centre, city=bangkok_centre.city)
    foreign_slot = factories.TimeSlotFactory(event=other_event)
    foreign_table = factories.TableFactory(event=other_event, name="X1")
    client.force_login(centre_staff)
    prefix = f"change-{asked.pk}"
    before = state()

    response = client.post(
        answer_url(roadshow.event.pk, asked.pk),
        {"decision": "approve", f"{prefix}-slot": foreign_slot.pk, f"{prefix}-table": foreign_table.pk},
    )

    assert response.status_code == 200
    assert response.content.decode().count("Select a valid choice.") == 2
    assert state() == before


@pytest.mark.parametrize("decision", ["", "maybe", "approve'--"])
def test_an_unknown_decision_is_refused_on_the_form(
    client, roadshow, meeting, sme_owner, centre_staff, decision
):
    asked = ask(meeting, sme_owner)
    client.force_login(centre_staff)
    before = state()

    response = client.post(answer_url(roadshow.event.pk, asked.pk), {"decision": decision})

    assert response.status_code == 200
    assert "Choose to approve or to refuse." in response.content.decode()
    assert state() == before


@pytest.mark.parametrize(("field", "value"), [("kind", "delete"), ("reason", "because"), ("kind", "")])
def test_a_forged_kind_or_reason_is_refused_on_the_form(client, meeting, sme_owner, field, value):
    client.force_login(sme_owner)

    response = client.post(ask_url(meeting), ASK | {field: value})

    assert response.status_code == 200
    assert MeetingChangeRequest.objects.count() == 0


def test_a_forged_meeting_id_is_not_found(client, meeting, sme_owner):
    client.force_login(sme_owner)

    assert (
        client.get(reverse("consultations:meeting_change_ask", args=[meeting.pk + 1000])).status_code == 404
    )
    assert client.post(reverse("consultations:meeting_change_withdraw", args=[999999])).status_code == 404


# ---------------------------------------------------------------- double submits
def test_asking_twice_makes_one_request_and_says_it_waits(client, meeting, sme_owner):
    client.force_login(sme_owner)
    client.post(ask_url(meeting), ASK)

    response = client.post(ask_url(meeting), ASK, follow=True)

    assert response.status_code == 200
    assert "A change of this meeting is already waiting for KOTRA&#x27;s answer." in response.content.decode()
    assert MeetingChangeRequest.objects.count() == 1


def test_withdrawing_twice_says_so(client, meeting, sme_owner):
    asked = ask(meeting, sme_owner)
    client.force_login(sme_owner)
    client.post(withdraw_url(asked))

    response = client.post(withdraw_url(asked), follow=True)

    assert "This request was withdrawn." in response.content.decode()


def test_approving_twice_cancels_once(client, roadshow, meeting, sme_owner, centre_staff):
    asked = ask(meeting, sme_owner, kind="cancel")
    client.force_login(centre_staff)
    url = answer_url(roadshow.event.pk, asked.pk)
    client.post(url, {"decision": "approve"})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == ("cancelled", 1)

    response = client.post(url, {"decision": "approve"}, follow=True)

    meeting.refresh_from_db()
    assert "This request was already answered: Approved." in response.content.decode()
    assert (meeting.status, meeting.sequence) == ("cancelled", 1)


# ---------------------------------------------------------------- past events, cancelled meetings
def test_nothing_is_asked_on_a_past_event(client, roadshow, meeting, sme_owner):
    Event.objects.filter(pk=roadshow.event.pk).update(
        start_date=dt.date(2022, 10, 6), end_date=dt.date(2022, 10, 7)
    )
    client.force_login(sme_owner)

    page = client.get(ask_url(meeting)).content.decode()
    response = client.post(ask_url(meeting), ASK)

    assert "This event is over: its meetings no longer change." in page
    assert response.status_code == 200
    assert "This event is over" in response.content.decode()
    assert MeetingChangeRequest.objects.count() == 0


def test_a_waiting_request_of_a_past_event_cannot_be_answered(
    client, roadshow, meeting, sme_owner, centre_staff
):
    asked = ask(meeting, sme_owner)
    Event.objects.filter(pk=roadshow.event.pk).update(
        start_date=dt.date(2022, 10, 6), end_date=dt.date(2022, 10, 7)
    )
    client.force_login(centre_staff)
    before = state()

    response = client.post(
        answer_url(roadshow.event.pk, asked.pk),
        {"decision": "refuse", f"change-{asked.pk}-note": "Too late."},
    )

    assert response.status_code == 200
    assert "This event is over" in response.content.decode()
    assert state() == before


def test_a_cancelled_meeting_cannot_be_asked_to_change(client, meeting, sme_owner):
    Meeting.objects.filter(pk=meeting.pk).update(status="cancelled")
    client.force_login(sme_owner)

    page = client.get(ask_url(meeting)).content.decode()
    response = client.post(ask_url(meeting), ASK)

    assert "This meeting is cancelled: there is nothing to change." in page
    assert "This meeting is cancelled: there is nothing to change." in response.content.decode()
    assert MeetingChangeRequest.objects.count() == 0


# ---------------------------------------------------------------- what people write
def test_html_in_the_note_is_shown_as_text_to_staff_and_in_the_email(
    client, roadshow, meeting, sme_owner, centre_staff, django_capture_on_commit_callbacks
):
    note = '<img src=x onerror="alert(1)"><b>urgent</b>'
    client.force_login(sme_owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ask_url(meeting), ASK | {"reason": "other", "note": note})
    client.force_login(centre_staff)

    html = client.get(reverse("consultations:detail", args=[roadshow.event.pk])).content.decode()

    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;b&gt;urgent&lt;/b&gt;" in html
    assert "<b>urgent</b>" not in html
    assert all(note in message.body for message in mail.outbox)  # a plain-text e-mail shows it as written


def test_a_10_kb_note_is_refused_with_its_length(client, meeting, sme_owner):
    client.force_login(sme_owner)

    response = client.post(ask_url(meeting), ASK | {"reason": "other", "note": "x" * 10240})

    assert response.status_code == 200
    assert "Ensure this value has at most 1000 characters (it has 10240)." in response.content.decode()
    assert MeetingChangeRequest.objects.count() == 0


def test_a_10_kb_answer_note_is_refused_with_its_length(client, roadshow, meeting, sme_owner, centre_staff):
    asked = ask(meeting, sme_owner)
    client.force_login(centre_staff)

    response = client.post(
        answer_url(roadshow.event.pk, asked.pk),
        {"decision": "refuse", f"change-{asked.pk}-note": "y" * 10240},
    )

    assert response.status_code == 200
    assert "Ensure this value has at most 1000 characters (it has 10240)." in response.content.decode()
    asked.refresh_from_db()
    assert asked.status == "pending"


def test_a_null_character_is_refused_by_the_service(meeting, sme_owner):
    with pytest.raises(ValidationError) as refused:
        ask(meeting, sme_owner, note="a\x00b")

    assert refused.value.message_dict == {"note": ["Null characters are not allowed."]}
