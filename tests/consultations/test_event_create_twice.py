"""The new-event form sent more than once (a double click, a second tab) makes one event."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from matching.consultations.events.models import Event
from tests.consultations.test_event_setup import event_form
from tests.races import at_once


def _post_at_once(users, forms):
    clients = []
    for user in users:
        clients.append(Client())
        clients[-1].force_login(user)
    sendings = list(zip(clients, forms, strict=True))
    return at_once(lambda sending: sending[0].post(reverse("consultations:create"), sending[1]), sendings)


def test_the_form_shows_a_fresh_token_each_time(client, centre_staff):
    client.force_login(centre_staff)

    first = client.get(reverse("consultations:create")).context["form"]["form_token"].value()
    second = client.get(reverse("consultations:create")).context["form"]["form_token"].value()

    assert first != second
    assert uuid.UUID(str(first))


def test_the_same_form_sent_again_shows_the_event_it_created(client, centre_staff, bangkok_centre):
    client.force_login(centre_staff)
    data = event_form(bangkok_centre.city, form_token=str(uuid.uuid4()))

    first = client.post(reverse("consultations:create"), data)
    again = client.post(reverse("consultations:create"), data, follow=True)

    event = Event.objects.get()
    assert first.url == reverse("consultations:detail", args=[event.pk])
    assert again.redirect_chain == [(first.url, 302)]
    assert [str(m) for m in again.context["messages"]] == [
        "The event is set up with its slots and tables.",  # from the first sending, not yet shown
        "This form was already sent: here is the event it created.",
    ]
    assert event.slots.count() == 2 * (5 + 7)
    assert event.tables.count() == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_six_simultaneous_sendings_of_one_form_make_one_event(centre_staff, bangkok_centre):
    data = event_form(bangkok_centre.city, slug="", form_token=str(uuid.uuid4()))

    responses = _post_at_once([centre_staff] * 6, [data] * 6)

    event = Event.objects.get()
    refused = [response.context["form"].errors for response in responses if response.status_code != 302]
    assert refused == []
    assert {response.url for response in responses} == {reverse("consultations:detail", args=[event.pk])}
    assert event.tables.count() == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_forms_taking_one_slug_at_once_make_one_event_and_a_clear_error(centre_staff, bangkok_centre):
    forms = [event_form(bangkok_centre.city, form_token=str(uuid.uuid4())) for _ in range(4)]

    responses = _post_at_once([centre_staff] * 4, forms)

    assert Event.objects.count() == 1
    assert sorted(response.status_code for response in responses) == [200, 200, 200, 302]
    for response in responses:
        if response.status_code == 200:
            errors = response.context["form"].errors["slug"]
            assert errors in (
                ["Another event has just taken this slug; choose another."],
                ["Event with this Slug already exists."],
            )
            assert response.context["form"]["name"].value() == "Khon Kaen Smart City Day"
