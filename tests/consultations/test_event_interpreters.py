"""Staff keep an event's interpreters: languages, availability, and names unique per event."""

import re

from matching.consultations.events.models import Interpreter, Registration
from tests import factories
from tests.consultations.test_registrations import (  # noqa: F401 (fixtures and helpers)
    checked,
    languages,
    messages_of,
    options,
    roadshow,
    table_rows,
    url,
)


# ================================================================ interpreters
def test_staff_add_an_interpreter_with_languages_and_unavailable_slots(client, centre_staff, roadshow):
    client.force_login(centre_staff)
    data = {
        "name": "Kim Soyeon",
        "email": "soyeon@interpret.example",
        "languages": [roadshow.languages.ko.pk, roadshow.languages.th.pk],
        "unavailable_slots": [roadshow.slots[1].pk],
    }

    response = client.post(url("interpreters", roadshow.event), data)

    assert response.status_code == 302
    assert response["Location"] == url("interpreters", roadshow.event)
    interpreter = Interpreter.objects.get()
    assert (interpreter.event, interpreter.name, interpreter.email) == (
        roadshow.event,
        "Kim Soyeon",
        "soyeon@interpret.example",
    )
    assert list(interpreter.languages.all()) == [roadshow.languages.ko, roadshow.languages.th]
    assert list(interpreter.unavailable_slots.all()) == [roadshow.slots[1]]
    assert messages_of(response) == ["Kim Soyeon is added."]


def test_an_interpreter_needs_a_name_and_a_language(client, centre_staff, roadshow):
    client.force_login(centre_staff)

    response = client.post(url("interpreters", roadshow.event), {"email": "nobody@interpret.example"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": ["This field is required."],
        "languages": ["This field is required."],
    }
    assert 'value="nobody@interpret.example"' in response.content.decode()
    assert Interpreter.objects.count() == 0


def test_the_interpreter_list_shows_each_with_languages_and_address(client, centre_staff, roadshow):
    factories.InterpreterFactory(
        event=roadshow.event,
        name="Lee Jisoo",
        email="jisoo@interpret.example",
        languages=[roadshow.languages.en, roadshow.languages.ko],
    )
    factories.InterpreterFactory(event=roadshow.event, name="Kim Soyeon", languages=[roadshow.languages.th])
    factories.InterpreterFactory(name="Elsewhere Interpreter")
    client.force_login(centre_staff)

    response = client.get(url("interpreters", roadshow.event))

    html = response.content.decode()
    names = re.findall(r'<span class="fw-semibold">([^<]*)</span>', html)
    assert names == ["Kim Soyeon", "Lee Jisoo"]
    assert "English, Korean · jisoo@interpret.example" in html


def test_staff_edit_an_interpreters_languages_and_availability(client, centre_staff, roadshow):
    interpreter = factories.InterpreterFactory(
        event=roadshow.event, name="Kim Soyeon", languages=[roadshow.languages.ko]
    )
    interpreter.unavailable_slots.add(roadshow.slots[0])
    client.force_login(centre_staff)
    data = {
        "name": "Kim Soyeon",
        "email": "soyeon@interpret.example",
        "languages": [roadshow.languages.ko.pk, roadshow.languages.en.pk],
        "unavailable_slots": [roadshow.slots[2].pk],
    }

    response = client.post(url("interpreter_edit", roadshow.event, interpreter.pk), data)

    assert response.status_code == 302
    assert response["Location"] == url("interpreters", roadshow.event)
    interpreter.refresh_from_db()
    assert interpreter.email == "soyeon@interpret.example"
    assert list(interpreter.languages.all()) == [roadshow.languages.en, roadshow.languages.ko]
    assert list(interpreter.unavailable_slots.all()) == [roadshow.slots[2]]
    assert messages_of(response) == ["Kim Soyeon is saved."]


def test_an_interpreter_of_another_event_is_not_found_under_this_one(client, centre_staff, roadshow):
    elsewhere = factories.InterpreterFactory(event__organising_centre=roadshow.event.organising_centre)
    client.force_login(centre_staff)

    assert client.get(url("interpreter_edit", roadshow.event, elsewhere.pk)).status_code == 404


# ---------------------------------------------------------------- staff of another centre
def test_staff_of_another_centre_get_404_on_the_registration_and_interpreter_pages(
    client, other_centre_staff, roadshow
):
    registration = factories.SmeRegistrationFactory(event=roadshow.event, status=Registration.Status.PENDING)
    interpreter = factories.InterpreterFactory(event=roadshow.event, name="Kim Soyeon")
    client.force_login(other_centre_staff)
    event = roadshow.event
    pages = [
        ("get", url("registrations", event)),
        ("get", url("registration_create", event)),
        ("post", url("registration_create", event)),
        ("get", url("registration_edit", event, registration.pk)),
        ("post", url("registration_edit", event, registration.pk)),
        ("post", url("registration_decide", event, registration.pk, "confirm")),
        ("post", url("registration_decide", event, registration.pk, "withdraw")),
        ("get", url("interpreters", event)),
        ("post", url("interpreters", event)),
        ("get", url("interpreter_edit", event, interpreter.pk)),
        ("post", url("interpreter_edit", event, interpreter.pk)),
    ]

    statuses = [getattr(client, method)(page).status_code for method, page in pages]

    assert statuses == [404] * len(pages)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING


def test_a_registration_of_another_event_is_not_found_under_this_one(client, centre_staff, roadshow):
    elsewhere = factories.SmeRegistrationFactory(
        event__organising_centre=roadshow.event.organising_centre, status=Registration.Status.PENDING
    )
    client.force_login(centre_staff)

    assert client.get(url("registration_edit", roadshow.event, elsewhere.pk)).status_code == 404
    assert client.post(url("registration_decide", roadshow.event, elsewhere.pk, "confirm")).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == Registration.Status.PENDING


def test_an_interpreter_name_already_used_at_the_event_is_refused_on_the_form(client, centre_staff, roadshow):
    factories.InterpreterFactory(event=roadshow.event, name="Kim Soyeon")
    client.force_login(centre_staff)

    response = client.post(
        url("interpreters", roadshow.event), {"name": "kim soyeon", "languages": [roadshow.languages.ko.pk]}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": ["An interpreter of this event already has this name."]
    }
    assert Interpreter.objects.count() == 1


def test_renaming_an_interpreter_to_a_name_already_used_at_the_event_is_refused_on_the_form(
    client, centre_staff, roadshow
):
    factories.InterpreterFactory(event=roadshow.event, name="Kim Soyeon")
    other = factories.InterpreterFactory(event=roadshow.event, name="Ayşe Demir")
    client.force_login(centre_staff)

    response = client.post(
        url("interpreter_edit", roadshow.event, other.pk),
        {"name": "Kim Soyeon", "languages": [roadshow.languages.ko.pk]},
    )

    assert response.status_code == 200
    other.refresh_from_db()
    assert other.name == "Ayşe Demir"
