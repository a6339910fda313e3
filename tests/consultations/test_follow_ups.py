"""Follow-ups 1, 3 and 6 months after a held meeting: planned once, asked by e-mail when due, answered by
the Korean company through the link, with history."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command

from matching.consultations.outcomes import services, tasks
from matching.consultations.outcomes.models import FollowUp
from portal.celery import app as celery_app
from tests import factories
from tests.consultations.test_agendas import slot_at


@pytest.fixture
def held_meeting(sme_owner, bangkok_centre):
    event = factories.EventFactory(
        name="Bangkok Roadshow", city=bangkok_centre.city, organising_centre=bangkok_centre,
        start_date=dt.date(2022, 10, 31),
    )  # fmt: skip
    return factories.MeetingFactory(
        slot=slot_at(event, 9, 30),
        sme=factories.SmeRegistrationFactory(event=event, company=sme_owner.company),
        buyer=factories.BuyerRegistrationFactory(
            event=event, buyer=factories.BuyerOrganisationFactory(name="Khon Kaen City")
        ),
        status="held",
    )


def _answer(client, user, months, data):
    """Plan the follow-ups, then post `data` as `user` through the link of the one `months` after:
    (that follow-up, the response)."""
    services.follow_ups_plan()
    follow_up = FollowUp.objects.get(months=months)
    client.force_login(user)
    return follow_up, client.post(f"/events/follow-ups/{follow_up.token}/", data)


def test_each_held_meeting_gets_three_follow_ups_once_on_month_ends_that_exist(held_meeting):
    factories.MeetingFactory(status="scheduled")

    first, second = services.follow_ups_plan(), services.follow_ups_plan()

    assert (first, second) == (3, 0)
    assert list(FollowUp.objects.values_list("months", "due_on")) == [
        (1, dt.date(2022, 11, 30)),  # 31 October + 1 month: the last day of November
        (3, dt.date(2023, 1, 31)),
        (6, dt.date(2023, 4, 30)),
    ]
    assert len(set(FollowUp.objects.values_list("token", flat=True))) == 3


def test_only_due_follow_ups_are_asked_with_a_link_to_answer(
    held_meeting, sme_owner, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://portal.example"
    services.follow_ups_plan()

    with django_capture_on_commit_callbacks(execute=True):
        asked = services.follow_ups_send(today=dt.date(2023, 2, 1))
        again = services.follow_ups_send(today=dt.date(2023, 2, 1))

    assert (asked, again) == (2, 0)
    assert len(mail.outbox) == 2
    one_month = FollowUp.objects.get(months=1)
    assert mail.outbox[0].to == [sme_owner.email]
    assert mail.outbox[0].subject == "1 month after Bangkok Roadshow: how is it going with Khon Kaen City?"
    assert f"https://portal.example/events/follow-ups/{one_month.token}/" in mail.outbox[0].body
    assert FollowUp.objects.filter(sent_at__isnull=True).get().months == 6


def test_the_command_plans_and_asks(held_meeting):
    out = io.StringIO()

    call_command("send_follow_ups", stdout=out)

    assert out.getvalue() == "3 follow-ups planned, 3 asked.\n"  # the 2022 meeting is long past


def test_the_company_answers_through_the_link_and_history_keeps_it(client, sme_owner, held_meeting):
    follow_up, response = _answer(
        client, sme_owner, 3, {"progress": "moving", "notes": "Pilot proposal sent"}
    )

    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.progress, follow_up.notes, follow_up.answered_by) == (
        "moving",
        "Pilot proposal sent",
        sme_owner,
    )
    assert follow_up.history.first().history_user == sme_owner


def test_an_answer_without_progress_is_refused_and_keeps_the_notes(client, sme_owner, held_meeting):
    follow_up, response = _answer(client, sme_owner, 1, {"notes": "Waiting for their budget"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"progress": ["This field is required."]}
    assert "Waiting for their budget" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.answered_at is None


@pytest.mark.parametrize("token", ["unknown-token", "../../admin"])
def test_an_unknown_token_is_404(client, sme_owner, held_meeting, token):
    client.force_login(sme_owner)

    assert client.get(f"/events/follow-ups/{token}/").status_code == 404


def test_another_company_cannot_answer_even_with_the_link(client, stranger, held_meeting):
    follow_up, response = _answer(client, stranger, 1, {"progress": "won"})

    assert response.status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.progress == ""


def test_a_follow_up_nobody_could_be_asked_about_is_asked_again_the_next_day(
    held_meeting, sme_owner, django_capture_on_commit_callbacks
):
    sme_owner.email = ""
    sme_owner.save()
    services.follow_ups_plan()

    with django_capture_on_commit_callbacks(execute=True):
        asked = services.follow_ups_send(today=dt.date(2022, 12, 1))

    assert asked == 1
    assert mail.outbox == []
    assert FollowUp.objects.get(months=1).sent_at is None


def test_a_follow_up_whose_mail_server_does_not_answer_is_tried_nine_times_then_left_for_the_next_day(
    held_meeting, monkeypatch
):
    attempts = []

    def refused(backend, messages):
        attempts.append(len(messages))
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refused)
    services.follow_ups_plan()
    services.follow_ups_send(today=dt.date(2022, 12, 1))  # marked asked; its e-mail not sent yet
    assert FollowUp.objects.get(months=1).sent_at is not None

    # Eager tasks run their retries at once, one inside the other; let each retry be recorded, not raised.
    celery_app.conf.task_eager_propagates = False
    try:
        tasks.follow_up_ask.apply(args=[FollowUp.objects.get(months=1).pk])
    finally:
        celery_app.conf.task_eager_propagates = True

    assert attempts == [1] * 9  # the first try and eight retries
    assert FollowUp.objects.get(months=1).sent_at is None  # asked again by the next daily run
