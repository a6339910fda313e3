"""E-mails about the programme: the participants a session names hear when it is added, changed or
cancelled, or when they are taken off it; nobody else, and nothing for a draft or past event.

The Bangkok roadshow of tests/consultations/test_programme.py (in 2031): Seoul Traffic Systems (the SME)
and Khon Kaen City Municipality (the buyer)."""

from django.core import mail
from django.utils import translation

from matching.consultations.events import programme
from matching.consultations.events.models import Event
from matching.consultations.events.programme_emails import (
    ADDED,
    CANCELLED,
    CHANGED,
    REMOVED,
    SessionState,
    changes,
)
from tests import factories
from tests.consultations.test_programme import (
    add_session,
    roadshow,  # noqa: F401 (the fixture)
    session_data,
)


def _to(address):
    return [message for message in mail.outbox if address in message.to]


def test_a_new_session_tells_the_speaker_and_the_attendee_and_nobody_else(
    roadshow, sme_owner, buyer, django_capture_on_commit_callbacks
):
    bystander = factories.SmeRegistrationFactory(event=roadshow["event"])
    factories.SmeMemberFactory(company=bystander.company, email="other@sme.example")

    with django_capture_on_commit_callbacks(execute=True):
        add_session(
            roadshow["event"],
            14,
            title="IR pitches",
            speaking=[roadshow["sme"]],
            attending=[roadshow["buyer"]],
        )

    (to_sme,) = _to(sme_owner.email)
    (to_buyer,) = _to(buyer.email)
    assert to_sme.subject == f"Programme of {roadshow['event'].name}: you are in IR pitches"
    assert "speaks in this session" in to_sme.body
    assert "Your part: speaker" in to_sme.body
    assert "14:00" in to_sme.body and "Grand Ballroom" in to_sme.body
    assert "Your part: expected to attend" in to_buyer.body
    assert _to("other@sme.example") == []


def test_a_moved_session_tells_its_participants_the_new_time(
    roadshow, sme_owner, django_capture_on_commit_callbacks
):
    session = add_session(roadshow["event"], 14, title="IR pitches", speaking=[roadshow["sme"]])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        programme.programme_session_update(
            session=session,
            data=session_data(roadshow["event"], 15, title="IR pitches", speaking=[roadshow["sme"]]),
        )

    (message,) = _to(sme_owner.email)
    assert message.subject.endswith("IR pitches changed")
    assert "15:00" in message.body
    assert "14:00" not in message.body


def test_an_unchanged_save_sends_nothing(roadshow, django_capture_on_commit_callbacks):
    data = session_data(roadshow["event"], 14, speaking=[roadshow["sme"]])
    session, _created = programme.programme_session_create(event=roadshow["event"], data=data)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        programme.programme_session_update(session=session, data=data)

    assert mail.outbox == []


def test_a_participant_taken_off_hears_it_and_a_cancelled_session_tells_the_rest(
    roadshow, sme_owner, buyer, django_capture_on_commit_callbacks
):
    event = roadshow["event"]
    session = add_session(
        event, 14, title="Key buyers", speaking=[roadshow["sme"]], attending=[roadshow["buyer"]]
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        programme.programme_session_update(
            session=session, data=session_data(event, 14, title="Key buyers", speaking=[roadshow["sme"]])
        )
    (removed,) = _to(buyer.email)
    assert removed.subject.endswith("you are no longer in Key buyers")
    assert _to(sme_owner.email) == []
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert programme.programme_session_delete(session=session) is True
    (cancelled,) = mail.outbox
    assert cancelled.to == [sme_owner.email]
    assert cancelled.subject.endswith("Key buyers is cancelled")


def test_a_draft_event_sends_nothing(roadshow, django_capture_on_commit_callbacks):
    Event.objects.filter(pk=roadshow["event"].pk).update(status=Event.Status.DRAFT)
    roadshow["event"].refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        add_session(roadshow["event"], 14, speaking=[roadshow["sme"]])

    assert mail.outbox == []


def test_each_member_reads_it_in_their_language(roadshow, sme_owner, django_capture_on_commit_callbacks):
    sme_owner.language = "ko"
    sme_owner.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        add_session(roadshow["event"], 14, title="IR pitches", speaking=[roadshow["sme"]])

    (message,) = _to(sme_owner.email)
    with translation.override("ko"):
        korean = translation.gettext("Your part: speaker")
    assert korean != "Your part: speaker"
    assert korean in message.body


def test_changes_name_who_hears_what():
    before = SessionState("Pitches", 1, 2, "A", {1: "speaker", 2: "attendee", 3: "attendee"})
    same_time_new_roles = SessionState("Pitches", 1, 2, "A", {1: "attendee", 2: "attendee", 4: "speaker"})
    moved = SessionState("Pitches", 1, 2, "B", {1: "speaker"})

    assert changes(before, same_time_new_roles) == {1: CHANGED, 3: REMOVED, 4: ADDED}
    assert changes(before, moved) == {1: CHANGED, 2: REMOVED, 3: REMOVED}
    assert changes(None, moved) == {1: ADDED}
    assert changes(moved, None) == {1: CANCELLED}


def test_a_withdrawn_participant_hears_nothing_more(
    roadshow, sme_owner, buyer, django_capture_on_commit_callbacks
):
    from matching.consultations.events.models import Registration

    session = add_session(roadshow["event"], 14, speaking=[roadshow["sme"]], attending=[roadshow["buyer"]])
    Registration.objects.filter(pk=roadshow["buyer"].pk).update(status=Registration.Status.WITHDRAWN)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        programme.programme_session_delete(session=session)

    assert [message.to for message in mail.outbox] == [[sme_owner.email]]


def test_a_title_with_a_line_break_still_reaches_everyone(
    roadshow, sme_owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_session(roadshow["event"], 14, title="IR pitches\r\nday one", speaking=[roadshow["sme"]])

    (message,) = _to(sme_owner.email)
    assert message.subject.endswith("you are in IR pitches day one")


def test_telling_many_participants_asks_the_same_queries_as_telling_two(
    roadshow, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = roadshow["event"]
    with CaptureQueriesContext(connection) as two:
        add_session(event, 10, title="Two", speaking=[roadshow["sme"]], attending=[roadshow["buyer"]])
    many_smes = [factories.SmeRegistrationFactory(event=event) for _ in range(5)]
    for registration in many_smes:
        factories.SmeMemberFactory(company=registration.company)
    with CaptureQueriesContext(connection) as many:
        add_session(event, 15, title="Many", speaking=many_smes, attending=[roadshow["buyer"]])

    assert (
        len(many) <= len(two) + 2
    )  # the bulk insert of roles may batch differently, nothing per participant
