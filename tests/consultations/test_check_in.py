"""Check-in at the door: codes and QR tokens, arrivals recorded once, refusals that record nothing, and the
consultation log pre-marked from the arrivals."""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import signing
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from matching.consultations.events import check_in
from matching.consultations.events.models import CHECK_IN_ALPHABET, Arrival, Registration
from matching.consultations.outcomes import selectors as outcome_selectors
from matching.consultations.outcomes.models import Outcome
from tests import factories


@pytest.fixture
def today_event(bangkok_centre):
    """Bangkok's roadshow, taking place today (local time), one meeting at 14:00 at table A1."""
    event = factories.event_today(bangkok_centre, name="Roadshow Today")
    starts = dt.datetime.combine(event.local_today(), dt.time(14), tzinfo=event.zone)
    event.start_date = event.end_date = starts.date()
    event.save()
    slot = factories.TimeSlotFactory(event=event, starts_at=starts, ends_at=starts + dt.timedelta(minutes=30))
    table = factories.TableFactory(event=event, name="A1")
    meeting = factories.MeetingFactory(slot=slot, table=table)
    return {"event": event, "meeting": meeting, "sme": meeting.sme, "buyer": meeting.buyer, "starts": starts}


def _at(starts, minutes):
    return starts + dt.timedelta(minutes=minutes)


def test_every_registration_gets_a_random_eight_character_code_of_the_unambiguous_alphabet(db):
    registrations = [factories.SmeRegistrationFactory() for _ in range(5)]

    codes = [r.check_in_code for r in registrations]
    assert all(len(code) == 8 and set(code) <= set(CHECK_IN_ALPHABET) for code in codes)
    assert len(set(codes)) == 5
    assert not set("0O1IL2Z5S8B") & set(CHECK_IN_ALPHABET)


def test_typed_code_records_the_arrival_with_time_and_staff(today_event, centre_staff):
    sme = today_event["sme"]
    now = _at(today_event["starts"], -60)

    outcome = check_in.arrival_record(
        event=today_event["event"],
        value=f" {sme.check_in_code[:4].lower()}-{sme.check_in_code[4:]} ",
        recorded_by=centre_staff,
        now=now,
    )

    assert outcome.status == "recorded"
    assert outcome.message == f"{sme} checked in at 13:00."
    arrival = Arrival.objects.get()
    assert (arrival.registration, arrival.arrived_at, arrival.recorded_by, arrival.day) == (
        sme,
        now,
        centre_staff,
        now.date(),
    )


def test_qr_token_records_the_arrival(today_event, centre_staff):
    buyer = today_event["buyer"]

    outcome = check_in.arrival_record(
        event=today_event["event"],
        value=check_in.qr_token(buyer),
        recorded_by=centre_staff,
        now=_at(today_event["starts"], -5),
    )

    assert outcome.status == "recorded"
    assert list(Arrival.objects.values_list("registration", flat=True)) == [buyer.pk]


def test_the_whole_scanned_url_is_accepted_too(today_event, centre_staff):
    sme = today_event["sme"]

    outcome = check_in.arrival_record(
        event=today_event["event"],
        value="https://portal.example" + check_in.qr_url(sme),
        recorded_by=centre_staff,
        now=_at(today_event["starts"], -5),
    )

    assert outcome.status == "recorded"


def test_a_second_arrival_the_same_day_says_when_the_first_was_and_records_nothing(today_event, centre_staff):
    sme, event = today_event["sme"], today_event["event"]
    check_in.arrival_record(
        event=event, value=sme.check_in_code, recorded_by=centre_staff, now=_at(today_event["starts"], -108)
    )

    outcome = check_in.arrival_record(
        event=event,
        value=check_in.qr_token(sme),
        recorded_by=centre_staff,
        now=_at(today_event["starts"], -30),
    )

    assert outcome.status == "already"
    assert outcome.message == f"{sme} already checked in at 12:12."
    assert Arrival.objects.count() == 1


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "No participant has this code: check it and type it again."),
        ("ABCD", "No participant has this code: check it and type it again."),
        ("AAAA-AAAA", "No participant has this code: check it and type it again."),
        ("x" * 300, "No participant has this code: check it and type it again."),
        ("WyIxIiwyXQ:1abc:forged", "This QR code is not one of ours: nothing was recorded."),
        ("a:b:c:d:e", "This QR code is not one of ours: nothing was recorded."),
    ],
)
def test_unknown_or_forged_codes_are_refused_and_record_nothing(today_event, centre_staff, value, message):
    outcome = check_in.arrival_record(
        event=today_event["event"], value=value, recorded_by=centre_staff, now=_at(today_event["starts"], 0)
    )

    assert (outcome.status, outcome.message) == ("refused", message)
    assert Arrival.objects.count() == 0


def test_a_token_signed_with_another_key_or_salt_is_refused(today_event, centre_staff):
    sme, event = today_event["sme"], today_event["event"]
    unsalted = signing.dumps([event.pk, sme.pk, sme.check_in_code])
    altered = signing.dumps([event.pk, sme.pk, sme.check_in_code], salt=check_in.SALT, key="not-our-key")

    outcomes = [
        check_in.arrival_record(
            event=event, value=v, recorded_by=centre_staff, now=_at(today_event["starts"], 0)
        )
        for v in (unsalted, altered)
    ]

    assert [o.message for o in outcomes] == ["This QR code is not one of ours: nothing was recorded."] * 2
    assert Arrival.objects.count() == 0


def test_another_events_qr_code_and_typed_code_are_refused(today_event, centre_staff):
    elsewhere = factories.SmeRegistrationFactory()
    event = today_event["event"]
    now = _at(today_event["starts"], 0)

    by_qr = check_in.arrival_record(
        event=event, value=check_in.qr_token(elsewhere), recorded_by=centre_staff, now=now
    )
    typed = check_in.arrival_record(
        event=event, value=elsewhere.check_in_code, recorded_by=centre_staff, now=now
    )

    assert by_qr.message == "This QR code is for another event: nothing was recorded."
    assert typed.message == "This code is for another event: nothing was recorded."
    assert Arrival.objects.count() == 0


def test_a_withdrawn_participant_is_refused(today_event, centre_staff):
    sme = today_event["sme"]
    Registration.objects.filter(pk=sme.pk).update(status=Registration.Status.WITHDRAWN)

    outcome = check_in.arrival_record(
        event=today_event["event"],
        value=check_in.qr_token(sme),
        recorded_by=centre_staff,
        now=_at(today_event["starts"], 0),
    )

    assert outcome.message == f"{sme} is not a confirmed participant (Withdrawn): nothing was recorded."
    assert Arrival.objects.count() == 0


def test_a_code_used_on_another_day_than_the_events_is_refused(today_event, centre_staff):
    sme = today_event["sme"]

    outcome = check_in.arrival_record(
        event=today_event["event"],
        value=sme.check_in_code,
        recorded_by=centre_staff,
        now=_at(today_event["starts"], 60 * 24),
    )

    assert outcome.message.startswith("This code has expired: the event ended on ")
    assert Arrival.objects.count() == 0


def test_a_code_used_before_the_events_first_day_is_refused(today_event, centre_staff):
    outcome = check_in.arrival_record(
        event=today_event["event"],
        value=today_event["sme"].check_in_code,
        recorded_by=centre_staff,
        now=_at(today_event["starts"], -60 * 24),
    )

    assert outcome.message.startswith("Check-in opens on the event's first day, ")
    assert Arrival.objects.count() == 0


def test_a_qr_code_replaced_by_a_new_code_is_refused(today_event, centre_staff):
    sme = today_event["sme"]
    old_token = check_in.qr_token(sme)
    Registration.objects.filter(pk=sme.pk).update(check_in_code="CDEFGHJK")

    outcome = check_in.arrival_record(
        event=today_event["event"],
        value=old_token,
        recorded_by=centre_staff,
        now=_at(today_event["starts"], 0),
    )

    assert outcome.message == (
        "This QR code was replaced by a newer one: show the one on the participant's agenda now. "
        "Nothing was recorded."
    )
    assert Arrival.objects.count() == 0


def test_no_one_checks_in_at_an_unpublished_event(today_event, centre_staff):
    event = today_event["event"]
    event.status = event.Status.DRAFT
    event.save()

    outcome = check_in.arrival_record(
        event=event,
        value=today_event["sme"].check_in_code,
        recorded_by=centre_staff,
        now=today_event["starts"],
    )

    assert outcome.message == "This event is not published, so no one can check in: nothing was recorded."
    assert Arrival.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_submits_of_one_code_record_one_arrival(bangkok_centre):
    today = timezone.localdate(timezone=dt.timezone(dt.timedelta(hours=7)))
    event = factories.EventFactory(
        city=bangkok_centre.city, organising_centre=bangkok_centre, start_date=today, end_date=today
    )
    sme = factories.SmeRegistrationFactory(event=event)
    staff = factories.CentreStaffFactory(trade_centre=bangkok_centre)
    threads = 20
    barrier = threading.Barrier(threads)
    statuses = []

    def submit(_):
        try:
            barrier.wait(timeout=30)
            statuses.append(
                check_in.arrival_record(event=event, value=sme.check_in_code, recorded_by=staff).status
            )
        except Exception as error:  # noqa: BLE001 (any error is what the test must catch)
            statuses.append(f"error: {error!r}")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(submit, range(threads)))

    assert connection.vendor == "postgresql"
    assert sorted(statuses) == ["already"] * 19 + ["recorded"]
    assert Arrival.objects.filter(registration=sme).count() == 1


# ---------------------------------------------------------------- the consultation log


def _arrive(registration, when, staff):
    return Arrival.objects.create(
        registration=registration, day=when.date(), arrived_at=when, recorded_by=staff
    )


def test_log_pre_marks_held_when_both_sides_checked_in(today_event, centre_staff):
    event, starts = today_event["event"], today_event["starts"]
    _arrive(today_event["sme"], _at(starts, -30), centre_staff)
    _arrive(today_event["buyer"], _at(starts, -5), centre_staff)

    _, _, (row,) = outcome_selectors.table_log(event, today_event["meeting"].table, starts.date())

    assert row.held_by_check_in is True
    assert row.likely_no_show(_at(starts, 20)) is False


def test_log_keeps_what_staff_recorded_over_the_check_in(today_event, centre_staff):
    event, starts, meeting = today_event["event"], today_event["starts"], today_event["meeting"]
    _arrive(today_event["sme"], _at(starts, -30), centre_staff)
    _arrive(today_event["buyer"], _at(starts, -5), centre_staff)
    factories.OutcomeFactory(meeting=meeting, side=Outcome.Side.STAFF, attendance=Outcome.Attendance.NO_SHOW)

    _, _, (row,) = outcome_selectors.table_log(event, meeting.table, starts.date())

    assert row.held_by_check_in is False
    assert row.outcome.attendance == "no_show"


def test_log_flags_a_likely_no_show_ten_minutes_after_the_start_without_the_buyer(today_event, centre_staff):
    event, starts = today_event["event"], today_event["starts"]
    _arrive(today_event["sme"], _at(starts, -30), centre_staff)

    _, _, (row,) = outcome_selectors.table_log(event, today_event["meeting"].table, starts.date())

    assert row.held_by_check_in is False
    assert [row.likely_no_show(_at(starts, m)) for m in (0, 9, 10, 45)] == [False, False, True, True]


def test_log_pre_marks_held_a_meeting_started_at_its_table_and_flags_no_no_show(today_event, centre_staff):
    event, starts, meeting = today_event["event"], today_event["starts"], today_event["meeting"]
    _arrive(today_event["sme"], _at(starts, -3), centre_staff)
    meeting.started_at = _at(starts, -2)
    meeting.save()

    _, _, (row,) = outcome_selectors.table_log(event, meeting.table, starts.date())

    assert row.held_by_check_in is True
    assert row.likely_no_show(_at(starts, 20)) is False


def test_log_page_shows_held_pre_marked_and_the_form_starts_at_held(client, today_event, centre_staff):
    event, starts = today_event["event"], today_event["starts"]
    _arrive(today_event["sme"], _at(starts, -30), centre_staff)
    _arrive(today_event["buyer"], _at(starts, -5), centre_staff)
    client.force_login(centre_staff)

    response = client.get(reverse("consultations:log", args=[event.pk]), {"day": starts.date().isoformat()})

    (row,) = response.context["rows"]
    assert row.form["attendance"].value() == "held"
    assert b"both checked in: held" in response.content
    assert Outcome.objects.count() == 0


def test_log_query_count_does_not_grow_with_the_arrivals(
    client, today_event, centre_staff, django_assert_num_queries
):
    event, starts = today_event["event"], today_event["starts"]
    client.force_login(centre_staff)
    url = reverse("consultations:log", args=[event.pk])
    client.get(url)
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(conn) as few:
        client.get(url)
    for minutes in (0, 30, 60):
        slot = factories.TimeSlotFactory(
            event=event, starts_at=_at(starts, 30 + minutes), ends_at=_at(starts, 60 + minutes)
        )
        meeting = factories.MeetingFactory(slot=slot, table=today_event["meeting"].table)
        _arrive(meeting.sme, _at(starts, -1), centre_staff)
        _arrive(meeting.buyer, _at(starts, -1), centre_staff)
    with CaptureQueriesContext(conn) as many:
        client.get(url)

    assert len(many) == len(few)


# ---------------------------------------------------------------- pages


def test_staff_check_in_page_records_and_shows_the_message(client, centre_staff, bangkok_centre):
    today = timezone.localdate(timezone=dt.timezone(dt.timedelta(hours=7)))
    event = factories.EventFactory(
        city=bangkok_centre.city, organising_centre=bangkok_centre, start_date=today, end_date=today
    )
    sme = factories.SmeRegistrationFactory(event=event)
    client.force_login(centre_staff)
    url = reverse("consultations:check_in", args=[event.pk])

    first = client.post(url, {"code": sme.check_in_code}, follow=True)
    second = client.post(url, {"code": sme.check_in_code}, follow=True)

    assert first.status_code == second.status_code == 200
    assert [str(m) for m in first.context["messages"]][0].startswith(f"{sme} checked in at ")
    assert [str(m) for m in second.context["messages"]][0].startswith(f"{sme} already checked in at ")
    assert Arrival.objects.count() == 1


def test_check_in_page_prefills_the_scanned_token_without_recording(client, centre_staff, bangkok_centre):
    event = factories.EventFactory(city=bangkok_centre.city, organising_centre=bangkok_centre)
    sme = factories.SmeRegistrationFactory(event=event)
    client.force_login(centre_staff)

    url = check_in.qr_url(sme)
    scanned = url.split("?code=", 1)[1]  # the token in the QR code (timestamped: minted once, here)

    response = client.get(url)

    assert response.status_code == 200
    assert response.context["form"]["code"].value() == scanned
    assert signing.loads(scanned, salt=check_in.SALT) == [event.pk, sme.pk, sme.check_in_code]
    assert Arrival.objects.count() == 0


def test_agenda_shows_the_qr_code_as_svg_and_the_typed_code(client, sme_owner):
    registration = factories.SmeRegistrationFactory(company=sme_owner.company)
    client.force_login(sme_owner)

    response = client.get(reverse("consultations:agenda", args=[registration.pk]))

    content = response.content.decode()
    assert "<svg" in content and 'class="check-in-qr"' in content
    assert check_in.display_code(registration.check_in_code) in content
    assert "style=" not in content.split('class="check-in-qr"')[1].split("</svg>")[0]


def test_a_pending_registrations_agenda_has_no_check_in_code(client, sme_owner):
    registration = factories.SmeRegistrationFactory(
        company=sme_owner.company, status=Registration.Status.PENDING
    )
    client.force_login(sme_owner)

    response = client.get(reverse("consultations:agenda", args=[registration.pk]))

    assert response.status_code == 200
    assert b"check-in-qr" not in response.content
