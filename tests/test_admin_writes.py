"""The admin never writes around the consultations' services.

Meetings, meeting requests, outcomes and follow-ups are shown read-only: their add, change and delete pages
refuse (a posted form changes nothing). What staff need goes through the services as changelist actions:
cancel a meeting (meeting_cancel: e-mails with the .ics, the revision rises, its request is cancelled),
lock or unlock it (meeting_change), confirm or withdraw a registration (registration_decide: withdrawing
cancels its meetings). Each action leaves a line in the row's admin history. Reviewing and exporting
outcomes work as before.
"""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core import mail

from matching.consultations.booking.models import Meeting, MeetingRequest
from matching.consultations.events.models import Registration
from matching.consultations.outcomes.models import Mou, Outcome
from tests import factories
from tests.consultations.conftest import PARTIES, SOYEON, booked, roadshow  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

MEETINGS = "/admin/consultations/meeting/"
OUTCOMES = "/admin/consultations/outcome/"
REGISTRATIONS = "/admin/consultations/registration/"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def history_of(row):
    return list(
        LogEntry.objects.filter(object_id=str(row.pk), content_type__model=row._meta.model_name)
        .order_by("pk")
        .values_list("action_flag", "change_message")
    )


def actions_offered(client, changelist):
    return [
        value for value, _label in client.get(changelist).context["action_form"].fields["action"].choices
    ][1:]


def log_in_as_viewer(client, codename):
    """Log in an administrator who is no superuser and holds only the permission `codename`."""
    viewer = factories.AdminFactory(username="viewer", is_superuser=False)
    viewer.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(viewer)


def assert_no_actions_offered(client, changelist):
    assert client.get(changelist).context["action_form"] is None or actions_offered(client, changelist) == []


@pytest.fixture
def held_outcome(booked):  # noqa: F811
    Meeting.objects.filter(pk=booked.pk).update(status=Meeting.Status.HELD)
    return factories.OutcomeFactory(meeting=booked, interest="high", mou_signed=False, mou_signed_on=None)


# ---------------------------------------------------------------- read-only pages
def test_a_meeting_change_page_shows_the_meeting_without_a_form_to_save(admin_client, booked):  # noqa: F811
    response = admin_client.get(f"{MEETINGS}{booked.pk}/change/")

    assert response.status_code == 200
    assert response.context["original"] == booked
    assert (response.context["has_change_permission"], response.context["has_delete_permission"]) == (
        False,
        False,
    )
    assert 'name="_save"' not in response.content.decode()


def test_a_meeting_posted_to_its_admin_change_page_is_refused_and_stays_as_it_was(
    admin_client,
    booked,  # noqa: F811
    roadshow,  # noqa: F811
):
    response = admin_client.post(
        f"{MEETINGS}{booked.pk}/change/",
        {"slot": roadshow.slot_1000.pk, "table": roadshow.t08.pk, "status": "cancelled", "locked": "on"},
    )

    assert response.status_code == 403
    booked.refresh_from_db()
    assert (booked.slot, booked.table, booked.status, booked.locked, booked.sequence) == (
        roadshow.slot_0930,
        roadshow.t07,
        Meeting.Status.SCHEDULED,
        False,
        0,
    )


def test_an_outcome_posted_to_the_admin_is_refused_and_creates_no_mou(admin_client, held_outcome):
    response = admin_client.post(
        f"{OUTCOMES}{held_outcome.pk}/change/",
        {
            "meeting": held_outcome.meeting_id,
            "side": held_outcome.side,
            "attendance": "held",
            "interest": "low",
            "next_step": "mou",
            "mou_signed": "on",
            "mou_signed_on": "2025-10-06",
            "notes": "",
        },
    )

    assert response.status_code == 403
    held_outcome.refresh_from_db()
    assert (held_outcome.interest, held_outcome.mou_signed) == ("high", False)
    assert Mou.objects.exists() is False


def test_an_outcome_cannot_be_reverted_to_an_earlier_version_in_the_admin(admin_client, held_outcome):
    """django-simple-history's revert page saves a posted form after checking only the view permission."""
    version = held_outcome.history.get()
    Outcome.objects.filter(pk=held_outcome.pk).update(interest="low")
    form = {
        "meeting": held_outcome.meeting_id,
        "side": "staff",
        "attendance": "held",
        "interest": "high",
        "next_step": "quotation",
        "estimated_value_usd": "",
        "mou_signed_on": "",
        "notes": "",
        "_change_history": "1",
    }

    page = admin_client.get(f"{OUTCOMES}{held_outcome.pk}/history/{version.history_id}/")
    response = admin_client.post(f"{OUTCOMES}{held_outcome.pk}/history/{version.history_id}/", form)

    assert page.status_code == 200
    assert response.status_code == 403
    held_outcome.refresh_from_db()
    assert held_outcome.interest == "low"


@pytest.mark.parametrize("model", ["meeting", "meetingrequest", "outcome", "followup"])
def test_meetings_requests_outcomes_and_follow_ups_are_neither_added_nor_deleted_by_hand(
    admin_client,
    booked,  # noqa: F811
    model,
):
    Meeting.objects.filter(pk=booked.pk).update(status=Meeting.Status.HELD)
    rows = {
        "meeting": booked,
        "meetingrequest": factories.MeetingRequestFactory(
            event=booked.slot.event, sme=booked.sme, buyer=booked.buyer
        ),
        "outcome": factories.OutcomeFactory(meeting=booked),
        "followup": factories.FollowUpFactory(meeting=booked),
    }
    row = rows[model]
    changelist = f"/admin/consultations/{model}/"

    add = admin_client.post(f"{changelist}add/", {})
    delete = admin_client.post(f"{changelist}{row.pk}/delete/", {"post": "yes"})
    bulk_delete = admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [row.pk]})

    assert (add.status_code, delete.status_code) == (403, 403)
    assert bulk_delete.status_code in (200, 302)  # the list again: there is no such action
    assert type(row).objects.filter(pk=row.pk).exists()


def test_outcomes_keep_the_review_and_export_actions_and_no_others(admin_client, held_outcome):
    assert actions_offered(admin_client, OUTCOMES) == ["mark_reviewed", "export_csv", "export_xlsx"]


# ---------------------------------------------------------------- meetings through the services
def test_the_admin_offers_cancel_lock_and_unlock_on_meetings(admin_client, booked):  # noqa: F811
    assert actions_offered(admin_client, MEETINGS) == ["cancel_selected", "lock_selected", "unlock_selected"]


def test_cancelling_in_the_admin_goes_through_the_service_with_e_mails_and_history(
    admin_client,
    admin,
    booked,  # noqa: F811
    roadshow,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    request = factories.MeetingRequestFactory(
        event=roadshow.event, sme=roadshow.sme, buyer=roadshow.buyer, status=MeetingRequest.Status.ACCEPTED
    )
    Meeting.objects.filter(pk=booked.pk).update(request=request, locked=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(MEETINGS, {"action": "cancel_selected", "_selected_action": [booked.pk]})

    assert response.status_code == 302
    assert messages_of(response) == ["1 meeting cancelled; both sides are told."]
    booked.refresh_from_db()
    assert (booked.status, booked.locked, booked.sequence) == (Meeting.Status.CANCELLED, False, 1)
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.CANCELLED
    assert sorted(message.to[0] for message in mail.outbox) == [*PARTIES, SOYEON]
    assert {message.attachments[0].get_param("method") for message in mail.outbox} == {"CANCEL"}
    assert history_of(booked) == [(CHANGE, "Cancelled (both sides and the interpreter e-mailed).")]
    assert LogEntry.objects.get().user == admin


def test_a_meeting_that_was_held_is_not_cancelled_and_the_admin_says_why(
    admin_client,
    booked,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    Meeting.objects.filter(pk=booked.pk).update(status=Meeting.Status.HELD)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(MEETINGS, {"action": "cancel_selected", "_selected_action": [booked.pk]})

    assert messages_of(response) == [f"{booked}: Only a scheduled meeting can be cancelled."]
    booked.refresh_from_db()
    assert (booked.status, booked.sequence) == (Meeting.Status.HELD, 0)
    assert mail.outbox == []
    assert history_of(booked) == []


def test_locking_and_unlocking_in_the_admin_change_only_the_lock_without_e_mail(
    admin_client,
    booked,  # noqa: F811
    roadshow,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    other = factories.MeetingFactory(
        slot=roadshow.slot_1000, sme=roadshow.sme2, buyer=roadshow.buyer2, table=roadshow.t08, locked=True
    )

    with django_capture_on_commit_callbacks(execute=True):
        locked = admin_client.post(
            MEETINGS, {"action": "lock_selected", "_selected_action": [booked.pk, other.pk]}
        )
        state_locked = list(Meeting.objects.order_by("pk").values_list("locked", "sequence"))
        unlocked = admin_client.post(MEETINGS, {"action": "unlock_selected", "_selected_action": [booked.pk]})

    assert messages_of(locked) == ["1 meeting locked."]  # the other one was locked already
    assert state_locked == [(True, 0), (True, 0)]
    assert messages_of(unlocked)[-1] == "1 meeting unlocked."
    assert list(Meeting.objects.order_by("pk").values_list("locked", "sequence")) == [(False, 0), (True, 0)]
    assert mail.outbox == []
    assert history_of(booked) == [
        (CHANGE, "Locked: the auto-scheduler keeps it."),
        (CHANGE, "Unlocked."),
    ]
    assert history_of(other) == []


def test_an_admin_with_only_the_view_permission_gets_no_meeting_actions(client, booked):  # noqa: F811
    log_in_as_viewer(client, "view_meeting")

    assert_no_actions_offered(client, MEETINGS)
    client.post(MEETINGS, {"action": "cancel_selected", "_selected_action": [booked.pk]})
    booked.refresh_from_db()
    assert booked.status == Meeting.Status.SCHEDULED


# ---------------------------------------------------------------- registrations through the service
def test_the_status_of_a_registration_is_not_a_field_of_its_admin_form(admin_client, roadshow):  # noqa: F811
    registration = roadshow.buyer

    response = admin_client.get(f"{REGISTRATIONS}{registration.pk}/change/")

    assert "status" not in response.context["adminform"].form.fields
    assert response.context["adminform"].readonly_fields == ["status"]


def test_withdrawing_in_the_admin_cancels_the_registrations_meetings_through_the_service(
    admin_client,
    booked,  # noqa: F811
    roadshow,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            REGISTRATIONS, {"action": "withdraw_selected", "_selected_action": [roadshow.buyer.pk]}
        )

    assert messages_of(response) == ["1 registration withdrawn; its meetings are cancelled."]
    roadshow.buyer.refresh_from_db()
    booked.refresh_from_db()
    assert (roadshow.buyer.status, booked.status, booked.sequence) == (
        Registration.Status.WITHDRAWN,
        Meeting.Status.CANCELLED,
        1,
    )
    assert sorted(message.to[0] for message in mail.outbox) == [*PARTIES, SOYEON]
    assert history_of(roadshow.buyer) == [(CHANGE, "Status: Withdrawn")]


def test_confirming_in_the_admin_confirms_only_the_pending_ones(admin_client, roadshow):  # noqa: F811
    Registration.objects.filter(pk=roadshow.sme2.pk).update(status=Registration.Status.PENDING)

    response = admin_client.post(
        REGISTRATIONS,
        {"action": "confirm_selected", "_selected_action": [roadshow.sme.pk, roadshow.sme2.pk]},
    )

    assert messages_of(response) == ["1 registration confirmed."]
    assert Registration.objects.get(pk=roadshow.sme2.pk).status == Registration.Status.CONFIRMED
    assert history_of(roadshow.sme2) == [(CHANGE, "Status: Confirmed")]
    assert history_of(roadshow.sme) == []
