"""Each side records what came of a meeting; the staff's consultation log (상담일지) per table is the
official record and marks the meeting held or no-show; every save leaves a history row."""

import datetime as dt

import pytest

from matching.consultations.booking.models import Meeting
from matching.consultations.outcomes.models import Outcome
from tests import factories
from tests.consultations.conftest import meeting_at_t01, past_bangkok_roadshow
from tests.consultations.test_agendas import slot_at


@pytest.fixture
def held_day(bangkok_centre, sme_owner, buyer):
    """A Bangkok roadshow in the past: one meeting at T01 between sme_owner's company and the buyer."""
    event = past_bangkok_roadshow(bangkok_centre)
    table, meeting = meeting_at_t01(event, sme_owner.company, buyer.buyer_organisation)
    return event, table, meeting


def _record(**changes):
    data = {"attendance": "held", "interest": "high", "next_step": "pilot", "estimated_value_usd": "250000"}
    return data | changes


def test_an_sme_records_its_own_view_without_touching_the_meetings_status(client, sme_owner, held_day):
    _, _, meeting = held_day
    client.force_login(sme_owner)

    response = client.post(f"/events/meetings/{meeting.pk}/outcome/", _record(notes="Pilot in Khon Kaen"))

    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert (outcome.side, outcome.interest, outcome.next_step, outcome.recorded_by) == (
        "sme",
        "high",
        "pilot",
        sme_owner,
    )
    assert outcome.history.get().history_user == sme_owner
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


def test_the_buyer_and_the_sme_each_keep_one_record(client, sme_owner, buyer, held_day):
    _, _, meeting = held_day
    for user, interest in [(sme_owner, "high"), (buyer, "low"), (sme_owner, "medium")]:
        client.force_login(user)
        client.post(f"/events/meetings/{meeting.pk}/outcome/", _record(interest=interest))

    assert dict(Outcome.objects.values_list("side", "interest")) == {"sme": "medium", "buyer": "low"}
    assert Outcome.objects.get(side="sme").history.count() == 2


def test_the_staff_log_marks_a_no_show_and_keeps_the_other_rows(client, centre_staff, held_day):
    event, table, meeting = held_day
    other = factories.MeetingFactory(slot=slot_at(event, 10), table=table)
    client.force_login(centre_staff)

    page = client.get(f"/events/{event.pk}/log/?table={table.pk}")
    response = client.post(
        f"/events/{event.pk}/log/?table={table.pk}",
        {"meeting": meeting.pk, f"m{meeting.pk}-attendance": "no_show", f"m{meeting.pk}-interest": "none",
         f"m{meeting.pk}-next_step": "none"},
    )  # fmt: skip

    assert page.content.decode().count('name="meeting"') == 2
    assert response.status_code == 302
    meeting.refresh_from_db()
    other.refresh_from_db()
    assert (meeting.status, other.status) == ("no_show", "scheduled")
    assert Outcome.objects.get().side == "staff"


def test_a_bad_value_in_the_log_re_renders_that_row_with_its_message(client, centre_staff, held_day):
    event, table, meeting = held_day
    client.force_login(centre_staff)

    response = client.post(
        f"/events/{event.pk}/log/?table={table.pk}",
        {"meeting": meeting.pk, f"m{meeting.pk}-attendance": "held", f"m{meeting.pk}-interest": "high",
         f"m{meeting.pk}-next_step": "mou", f"m{meeting.pk}-mou_signed": "on",
         f"m{meeting.pk}-estimated_value_usd": "-5"},
    )  # fmt: skip

    assert response.status_code == 200
    errors = response.context["rows"][0].form.errors
    assert errors["mou_signed_on"] == ["Give the date the MOU was signed."]
    assert "estimated_value_usd" in errors
    assert not Outcome.objects.exists()


def test_a_meeting_that_has_not_started_cannot_be_recorded(client, sme_owner, bangkok_centre):
    event = factories.EventFactory(organising_centre=bangkok_centre, start_date=dt.date(2099, 1, 5))
    meeting = factories.MeetingFactory(
        slot=slot_at(event, 9, 30),
        sme=factories.SmeRegistrationFactory(event=event, company=sme_owner.company),
    )
    client.force_login(sme_owner)

    response = client.post(f"/events/meetings/{meeting.pk}/outcome/", _record())

    assert response.status_code == 200
    assert "This meeting has not started yet; record it once it has." in response.content.decode()
    assert not Outcome.objects.exists()


def test_a_stranger_cannot_record_another_companys_meeting(client, stranger, held_day):
    _, _, meeting = held_day
    client.force_login(stranger)

    assert client.post(f"/events/meetings/{meeting.pk}/outcome/", _record()).status_code == 404
    assert not Outcome.objects.exists()


def test_staff_of_another_centre_get_404_on_the_log(client, other_centre_staff, held_day):
    event, table, meeting = held_day
    client.force_login(other_centre_staff)

    response = client.post(f"/events/{event.pk}/log/", {"meeting": meeting.pk})

    assert response.status_code == 404


def test_the_log_takes_the_same_queries_for_one_and_for_ten_meetings(
    client, centre_staff, held_day, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event, table, _ = held_day
    client.force_login(centre_staff)
    url = f"/events/{event.pk}/log/?table={table.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(9):
        meeting = factories.MeetingFactory(slot=slot_at(event, 10 + n // 2, 30 * (n % 2)), table=table)
        factories.OutcomeFactory(meeting=meeting)

    with django_assert_num_queries(len(one)):
        response = client.get(url)

    assert len(response.context["rows"]) == 10


def test_a_staff_record_of_a_signed_mou_creates_the_mou_record_once(client, centre_staff, held_day):
    from matching.consultations.outcomes.models import Mou

    event, table, meeting = held_day
    client.force_login(centre_staff)
    data = {"meeting": meeting.pk}
    for name, value in _record(next_step="mou", mou_signed="on", mou_signed_on="2022-10-06").items():
        data[f"m{meeting.pk}-{name}"] = value

    client.post(f"/events/{event.pk}/log/?table={table.pk}", data)
    client.post(f"/events/{event.pk}/log/?table={table.pk}", data)

    mou = Mou.objects.get()
    assert (mou.kind, mou.status, mou.signed_on, mou.meeting, mou.recorded_by) == (
        "company",
        "signed",
        dt.date(2022, 10, 6),
        meeting,
        centre_staff,
    )
    assert mou.history.get().history_user == centre_staff
