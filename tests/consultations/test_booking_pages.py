"""Staff book, move and cancel meetings through the pages: the booking form, a meeting's page, cancelling."""

from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from matching.consultations.booking.models import Meeting, MeetingRequest
from matching.consultations.events.models import Registration
from tests import factories
from tests.consultations.conftest import (
    JISOO,
    PAIR,
    PARTIES,
    SOYEON,
    by_recipient,
    edit_url,
    grid_url,
    meeting_form,
    selected,
)


def test_an_empty_cells_link_opens_the_booking_form_with_its_slot_and_table_chosen(
    client, centre_staff, roadshow
):
    client.force_login(centre_staff)
    url = reverse("consultations:meeting_create", args=[roadshow.event.pk])

    response = client.get(f"{url}?slot={roadshow.slot_1000.pk}&table={roadshow.t08.pk}")

    assert response.status_code == 200
    assert selected(response, "slot") == "2031-10-06 10:00 (Morning)"
    assert selected(response, "table") == "T08"
    assert selected(response, "sme") == "---------"


def test_the_booking_form_offers_confirmed_registrations_only(client, centre_staff, roadshow):
    Registration.objects.filter(pk=roadshow.sme2.pk).update(status=Registration.Status.PENDING)
    client.force_login(centre_staff)

    response = client.get(reverse("consultations:meeting_create", args=[roadshow.event.pk]))

    form = response.context["form"]
    assert list(form.fields["sme"].queryset) == [roadshow.sme]
    assert sorted(form.fields["buyer"].queryset, key=str) == [roadshow.buyer2, roadshow.buyer]


def test_staff_book_a_meeting_and_return_to_its_day_on_the_grid(
    client, centre_staff, roadshow, django_capture_on_commit_callbacks
):
    client.force_login(centre_staff)
    data = meeting_form(roadshow, sme=roadshow.sme.pk, buyer=roadshow.buyer.pk, slot=roadshow.slot_day2.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("consultations:meeting_create", args=[roadshow.event.pk]), data)

    assert response.status_code == 302
    assert response["Location"] == grid_url(roadshow.event, "2031-10-07")
    meeting = Meeting.objects.get()
    assert (meeting.slot, meeting.table, meeting.interpreter, meeting.locked) == (
        roadshow.slot_day2,
        roadshow.t07,
        roadshow.jisoo,
        True,
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Booked: {PAIR}, 2031-10-07 09:30 (Morning)."
    ]
    assert sorted(by_recipient()) == sorted([*PARTIES, JISOO])


def test_a_booking_from_the_form_takes_over_the_accepted_request_of_the_pair(client, centre_staff, roadshow):
    accepted = factories.MeetingRequestFactory(
        event=roadshow.event, sme=roadshow.sme2, buyer=roadshow.buyer2, status=MeetingRequest.Status.ACCEPTED
    )
    factories.MeetingRequestFactory(event=roadshow.event, sme=roadshow.sme2, buyer=roadshow.buyer)
    client.force_login(centre_staff)

    client.post(reverse("consultations:meeting_create", args=[roadshow.event.pk]), meeting_form(roadshow))

    meeting = Meeting.objects.get()
    assert meeting.request == accepted


def test_a_taken_table_rerenders_the_booking_form_with_the_choices_and_the_precise_message(
    client, centre_staff, roadshow, booked
):
    client.force_login(centre_staff)

    response = client.post(
        reverse("consultations:meeting_create", args=[roadshow.event.pk]), meeting_form(roadshow)
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["This table is already taken in this slot."]
    assert "This table is already taken in this slot." in response.content.decode()
    assert [selected(response, name) for name in ["sme", "buyer", "slot", "table", "interpreter"]] == [
        "Busan Water Tech",
        "Chiang Mai Smart City Office",
        "2031-10-06 09:30 (Morning)",
        "T07",
        "Lee Jisoo",
    ]
    assert list(Meeting.objects.all()) == [booked]


def test_a_rule_that_stops_a_booking_is_shown_on_the_form(client, centre_staff, roadshow):
    roadshow.jisoo.unavailable_slots.add(roadshow.slot_0930)
    client.force_login(centre_staff)

    response = client.post(
        reverse("consultations:meeting_create", args=[roadshow.event.pk]), meeting_form(roadshow)
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Lee Jisoo does not interpret in this slot."]
    assert Meeting.objects.count() == 0


def test_an_in_person_booking_without_a_table_is_refused_on_the_table_field(client, centre_staff, roadshow):
    client.force_login(centre_staff)

    response = client.post(
        reverse("consultations:meeting_create", args=[roadshow.event.pk]), meeting_form(roadshow, table="")
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"table": ["An in-person meeting needs a table."]}
    assert Meeting.objects.count() == 0


def test_staff_move_a_meeting_from_its_page_and_both_sides_are_told(
    client, centre_staff, roadshow, booked, django_capture_on_commit_callbacks
):
    client.force_login(centre_staff)
    data = {"slot": roadshow.slot_day2.pk, "table": roadshow.t08.pk, "interpreter": roadshow.soyeon.pk}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(roadshow.event, booked), data)

    assert response.status_code == 302
    assert response["Location"] == grid_url(roadshow.event, "2031-10-07")
    booked.refresh_from_db()
    assert (booked.slot, booked.table, booked.locked, booked.sequence) == (
        roadshow.slot_day2,
        roadshow.t08,
        False,
        1,
    )
    assert (booked.sme, booked.buyer) == (roadshow.sme, roadshow.buyer)
    assert sorted(by_recipient()) == [*PARTIES, SOYEON]


def test_the_parties_of_a_meeting_stay_whatever_the_edit_form_posts(client, centre_staff, roadshow, booked):
    client.force_login(centre_staff)
    data = {
        "sme": roadshow.sme2.pk,
        "buyer": roadshow.buyer2.pk,
        "slot": roadshow.slot_0930.pk,
        "table": roadshow.t07.pk,
        "interpreter": roadshow.soyeon.pk,
        "locked": "on",
    }

    client.post(edit_url(roadshow.event, booked), data)

    booked.refresh_from_db()
    assert (booked.sme, booked.buyer, booked.locked, booked.sequence) == (
        roadshow.sme,
        roadshow.buyer,
        True,
        0,
    )


def test_moving_onto_a_taken_table_from_the_edit_page_shows_the_message_and_saves_nothing(
    client, centre_staff, roadshow, grid
):
    client.force_login(centre_staff)
    data = {"slot": roadshow.slot_1000.pk, "table": roadshow.t08.pk, "interpreter": roadshow.soyeon.pk}

    response = client.post(edit_url(roadshow.event, grid.first), data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["This table is already taken in this slot."]
    assert selected(response, "slot") == "2031-10-06 10:00 (Morning)"
    saved = Meeting.objects.get(pk=grid.first.pk)
    assert (saved.slot, saved.table, saved.sequence) == (roadshow.slot_0930, roadshow.t07, 0)


def test_a_meeting_that_is_no_longer_scheduled_has_no_edit_page(client, centre_staff, roadshow, booked):
    Meeting.objects.filter(pk=booked.pk).update(status=Meeting.Status.CANCELLED)
    client.force_login(centre_staff)

    assert client.get(edit_url(roadshow.event, booked)).status_code == 404


def cancel_url(event, meeting):
    return reverse("consultations:meeting_cancel", args=[event.pk, meeting.pk])


REASON = "The buyer's delegation lands a day late."


def test_staff_cancel_a_meeting_with_a_reason_and_return_to_its_day_on_the_grid(
    client, centre_staff, roadshow, booked, django_capture_on_commit_callbacks
):
    client.force_login(centre_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(roadshow.event, booked), {"reason": f"  {REASON}  "})

    assert response.status_code == 302
    assert response["Location"] == grid_url(roadshow.event, "2031-10-06")
    booked.refresh_from_db()
    assert (booked.status, booked.sequence, booked.cancellation_reason) == (
        Meeting.Status.CANCELLED, 1, REASON,
    )  # fmt: skip
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The meeting is cancelled; both sides are told why."
    ]
    assert sorted(message.to[0] for message in mail.outbox) == sorted([*PARTIES, SOYEON])
    assert all(f"Reason: {REASON}" in message.body for message in mail.outbox)


def test_cancelling_asks_for_confirmation_first_and_changes_nothing(client, centre_staff, roadshow, booked):
    client.force_login(centre_staff)

    response = client.get(cancel_url(roadshow.event, booked))

    assert response.status_code == 200
    assert response.context["meeting"] == booked
    assert "Cancel the meeting" in response.content.decode()
    assert Meeting.objects.get(pk=booked.pk).status == Meeting.Status.SCHEDULED
    assert mail.outbox == []


def test_a_cancellation_without_a_reason_is_refused_on_the_form(client, centre_staff, roadshow, booked):
    client.force_login(centre_staff)

    response = client.post(cancel_url(roadshow.event, booked), {"reason": "   "})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "reason": ["Say why the meeting is cancelled; both sides will read it."]
    }
    assert Meeting.objects.get(pk=booked.pk).status == Meeting.Status.SCHEDULED


def test_cancelling_a_cancelled_meeting_again_says_so_and_sends_nothing(
    client, centre_staff, roadshow, booked, django_capture_on_commit_callbacks
):
    Meeting.objects.filter(pk=booked.pk).update(status=Meeting.Status.CANCELLED, sequence=1)
    client.force_login(centre_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(roadshow.event, booked), {"reason": REASON})

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["This meeting is already cancelled."]
    assert Meeting.objects.get(pk=booked.pk).sequence == 1
    assert mail.outbox == []


# ---------------------------------------------------------------- who may
def test_staff_of_another_centre_get_404_on_the_grid_and_its_booking_pages(
    client, other_centre_staff, roadshow, booked
):
    client.force_login(other_centre_staff)
    event = roadshow.event
    pages = [
        ("get", grid_url(event)),
        ("get", reverse("consultations:meeting_create", args=[event.pk])),
        ("post", reverse("consultations:meeting_create", args=[event.pk])),
        ("get", edit_url(event, booked)),
        ("post", edit_url(event, booked)),
        ("get", cancel_url(event, booked)),
        ("post", cancel_url(event, booked)),
    ]

    statuses = [getattr(client, method)(url).status_code for method, url in pages]

    assert statuses == [404] * len(pages)
    booked.refresh_from_db()
    assert (booked.status, booked.sequence) == (Meeting.Status.SCHEDULED, 0)


def test_a_meeting_of_another_event_is_not_found_under_this_one(
    client, centre_staff, roadshow, bangkok_centre
):
    elsewhere = factories.MeetingFactory(slot__event__organising_centre=bangkok_centre)
    client.force_login(centre_staff)

    assert client.get(edit_url(roadshow.event, elsewhere)).status_code == 404
    response = client.post(cancel_url(roadshow.event, elsewhere), {"reason": REASON})
    assert response.status_code == 404
    assert Meeting.objects.get(pk=elsewhere.pk).status == Meeting.Status.SCHEDULED


def test_an_admin_may_use_the_grid_of_any_centre(client, admin, roadshow, grid):
    client.force_login(admin)

    assert client.get(grid_url(roadshow.event)).status_code == 200
