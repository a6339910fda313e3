"""Booking by hand warns when the pair shares no language and nobody interprets: staff confirm it or choose
an interpreter. A pair that shares a language, or has an interpreter, books at once."""

import pytest
from django.urls import reverse

from matching.consultations.booking.models import Meeting
from tests import factories
from tests.consultations.conftest import meeting_form

WARNING = (
    "Busan Water Tech speaks Korean and Chiang Mai Smart City Office speaks Thai: they share no language. "
    "Choose an interpreter, or tick this box to book it anyway."
)


@pytest.fixture
def languages(db):
    return {
        code: factories.LanguageFactory(code=code, name_en=name)
        for code, name in [("ko", "Korean"), ("th", "Thai"), ("en", "English")]
    }


@pytest.fixture
def strangers(roadshow, languages):
    """The second pair: the company speaks Korean, the buyer Thai."""
    roadshow.sme2.languages.set([languages["ko"]])
    roadshow.buyer2.languages.set([languages["th"]])
    return roadshow


def book(client, roadshow, **changes):
    return client.post(
        reverse("consultations:meeting_create", args=[roadshow.event.pk]), meeting_form(roadshow, **changes)
    )


def test_a_pair_without_a_common_language_and_no_interpreter_needs_a_confirmation(
    client, centre_staff, strangers
):
    client.force_login(centre_staff)

    response = book(client, strangers, interpreter="")

    assert response.status_code == 200
    assert response.context["form"].errors == {"without_interpreter": [WARNING]}
    assert response.context["form"]["slot"].value() == str(strangers.slot_0930.pk)
    assert "Book it anyway" in response.content.decode()
    assert not Meeting.objects.exists()


def test_staff_confirm_and_the_meeting_is_booked_without_an_interpreter(client, centre_staff, strangers):
    client.force_login(centre_staff)

    response = book(client, strangers, interpreter="", without_interpreter="on")

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.sme, meeting.buyer, meeting.interpreter) == (strangers.sme2, strangers.buyer2, None)


def test_with_an_interpreter_the_pair_books_at_once(client, centre_staff, strangers):
    client.force_login(centre_staff)

    response = book(client, strangers)

    assert response.status_code == 302
    assert Meeting.objects.get().interpreter == strangers.jisoo


def test_a_pair_sharing_english_books_without_an_interpreter(client, centre_staff, strangers, languages):
    strangers.buyer2.languages.add(languages["en"])
    strangers.sme2.languages.add(languages["en"])
    client.force_login(centre_staff)

    response = book(client, strangers, interpreter="")

    assert response.status_code == 302
    assert Meeting.objects.get().interpreter is None


def test_moving_a_meeting_off_its_interpreter_warns_the_same_way(client, centre_staff, strangers):
    meeting = factories.MeetingFactory(
        slot=strangers.slot_0930, sme=strangers.sme2, buyer=strangers.buyer2, table=strangers.t07,
        interpreter=strangers.jisoo,
    )  # fmt: skip
    client.force_login(centre_staff)
    url = reverse("consultations:meeting_edit", args=[strangers.event.pk, meeting.pk])

    response = client.post(url, meeting_form(strangers, interpreter=""))

    assert response.context["form"].errors == {"without_interpreter": [WARNING]}
    assert Meeting.objects.get(pk=meeting.pk).interpreter == strangers.jisoo
