"""Participants' agendas: meeting times in the event's zone and the viewer's, who may see which agenda
(/events/agendas/, /events/registrations/<pk>/agenda/), the printable page, and constant query counts.

The Bangkok roadshow's meeting starts at 09:30 Bangkok time (UTC+7): 11:30 for a member in Seoul
(UTC+9), 05:30 for one in Istanbul (UTC+3).
"""

import datetime as dt
import re
import zoneinfo

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.consultations.booking import agendas
from matching.consultations.booking.models import Meeting
from matching.consultations.events.models import Event, Registration, TimeSlot
from portal.accounts.models import User
from tests import factories

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
EVENT = "Smart City Roadshow Bangkok 2025"
VENUE = "Queen Sirikit National Convention Center, hall B"
INTERPRETER = "Kim Soyeon"


def slot_at(event, hour, minute=0, day=0):
    """A slot of the event starting at hour:minute Bangkok time on its first day (plus `day` days)."""
    starts = dt.datetime.combine(event.start_date + dt.timedelta(days=day), dt.time(hour, minute), BANGKOK)
    return factories.TimeSlotFactory(
        event=event,
        starts_at=starts.astimezone(dt.UTC),
        ends_at=(starts + dt.timedelta(minutes=30)).astimezone(dt.UTC),
    )


def bangkok_2025(bangkok_centre):
    """The Bangkok centre's roadshow of 6-7 October 2031, with no slot, table or registration yet."""
    return factories.EventFactory(
        name=EVENT,
        slug="bangkok-2025",
        city=bangkok_centre.city,
        venue=VENUE,
        organising_centre=bangkok_centre,
        start_date=dt.date(2031, 10, 6),
    )


def bangkok_roadshow(centre, company, buyer_organisation):
    """The Bangkok centre's roadshow with the company and the buyer registered and one meeting
    between them at 09:30 at table T07, with an interpreter."""
    event = bangkok_2025(centre)
    sme = factories.SmeRegistrationFactory(event=event, company=company)
    buyer = factories.BuyerRegistrationFactory(event=event, buyer=buyer_organisation)
    meeting = factories.MeetingFactory(
        slot=slot_at(event, 9, 30),
        sme=sme,
        buyer=buyer,
        table=factories.TableFactory(event=event, name="T07"),
        interpreter=factories.InterpreterFactory(
            event=event, name=INTERPRETER, email="soyeon@interpret.example"
        ),
    )
    return {"event": event, "sme": sme, "buyer": buyer, "meeting": meeting}


@pytest.fixture
def roadshow(bangkok_centre, sme_owner, buyer):
    return bangkok_roadshow(bangkok_centre, sme_owner.company, buyer.buyer_organisation)


def agenda_url(registration):
    return reverse("consultations:agenda", args=[registration.pk])


def rows_of(response):
    """The agenda table's body rows as whitespace-collapsed text."""
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


# ---------------------------------------------------------------- times in two zones
def _unsaved_meeting(time_zone, local_start):
    event = Event(time_zone=time_zone)
    starts = local_start.astimezone(dt.UTC)
    slot = TimeSlot(event=event, starts_at=starts, ends_at=starts + dt.timedelta(minutes=30))
    return Meeting(slot=slot)


def test_a_bangkok_meeting_at_0930_is_at_1130_for_a_viewer_in_seoul():
    meeting = _unsaved_meeting("Asia/Bangkok", dt.datetime(2031, 10, 6, 9, 30, tzinfo=BANGKOK))

    times = agendas.meeting_times(meeting, "Asia/Seoul")

    assert (times.event.time_range, times.event.zone, times.event.offset) == (
        "09:30–10:00",
        "Asia/Bangkok",
        "UTC+07:00",
    )
    assert (times.viewer.time_range, times.viewer.zone, times.viewer.offset) == (
        "11:30–12:00",
        "Asia/Seoul",
        "UTC+09:00",
    )
    assert times.same_zone is False
    assert str(times.viewer) == "Oct. 6, 2031 11:30–12:00 (Asia/Seoul, UTC+09:00)"


def test_a_bangkok_meeting_at_0930_is_at_0530_for_a_viewer_in_istanbul():
    meeting = _unsaved_meeting("Asia/Bangkok", dt.datetime(2031, 10, 6, 9, 30, tzinfo=BANGKOK))

    times = agendas.meeting_times(meeting, "Europe/Istanbul")

    assert times.viewer.time_range == "05:30–06:00"
    assert times.viewer.offset == "UTC+03:00"
    assert times.event.starts == times.viewer.starts  # one instant, two clocks


def test_a_late_meeting_falls_on_the_next_day_at_home():
    meeting = _unsaved_meeting("Asia/Bangkok", dt.datetime(2031, 10, 6, 22, 30, tzinfo=BANGKOK))

    times = agendas.meeting_times(meeting, "Asia/Seoul")

    assert (times.event.date, times.event.time_range) == ("Oct. 6, 2031", "22:30–23:00")
    assert (times.viewer.date, times.viewer.time_range) == ("Oct. 7, 2031", "00:30–01:00")


def test_a_viewer_without_a_valid_zone_sees_the_event_zone_only():
    meeting = _unsaved_meeting("Asia/Bangkok", dt.datetime(2031, 10, 6, 9, 30, tzinfo=BANGKOK))

    for zone in ["", "Mars/Olympus_Mons"]:
        times = agendas.meeting_times(meeting, zone)
        assert (times.viewer.zone, times.viewer.time_range, times.same_zone) == (
            "Asia/Bangkok",
            "09:30–10:00",
            True,
        )


# ---------------------------------------------------------------- the agenda page
def test_sme_member_in_seoul_sees_bangkok_time_beside_seoul_time(client, sme_owner, roadshow):
    client.force_login(sme_owner)

    response = client.get(agenda_url(roadshow["sme"]))

    assert response.status_code == 200
    assert rows_of(response) == [
        "09:30–10:00 Monday, Oct. 6, 2031 11:30–12:00 Monday, Oct. 6, 2031 "
        f"Khon Kaen City Municipality In person Table T07 {INTERPRETER} Reschedule or cancel .ics"
    ]
    content = response.content.decode()
    assert "Times are shown in the event's time zone (Asia/Bangkok) and in yours (Asia/Seoul)." in content
    assert "Agenda of Seoul Traffic Systems" in content


def test_buyer_member_in_istanbul_time_sees_0530_and_the_company_as_other_party(client, buyer, roadshow):
    buyer.time_zone = "Europe/Istanbul"
    buyer.save(update_fields=["time_zone"])
    client.force_login(buyer)

    response = client.get(agenda_url(roadshow["buyer"]))

    assert rows_of(response) == [
        "09:30–10:00 Monday, Oct. 6, 2031 05:30–06:00 Monday, Oct. 6, 2031 "
        f"Seoul Traffic Systems In person Table T07 {INTERPRETER} Reschedule or cancel .ics"
    ]


def test_viewer_in_the_event_zone_gets_a_single_time_column(client, buyer, roadshow):
    buyer.time_zone = "Asia/Bangkok"
    buyer.save(update_fields=["time_zone"])
    client.force_login(buyer)

    response = client.get(agenda_url(roadshow["buyer"]))

    content = response.content.decode()
    assert "Your time" not in content
    assert "Times are shown in the event's time zone (Asia/Bangkok)." in content
    assert rows_of(response) == [
        "09:30–10:00 Monday, Oct. 6, 2031 Seoul Traffic Systems In person Table T07 "
        f"{INTERPRETER} Reschedule or cancel .ics"
    ]


def test_agenda_lists_meetings_in_time_order_with_the_cancelled_ones_and_their_reason(
    client, sme_owner, roadshow
):
    event, sme = roadshow["event"], roadshow["sme"]
    online_buyer = factories.BuyerRegistrationFactory(
        event=event, buyer=factories.BuyerOrganisationFactory(name="Chiang Mai Municipality")
    )
    factories.MeetingFactory(
        slot=slot_at(event, 9),
        sme=sme,
        buyer=online_buyer,
        online=True,
        online_link="https://meet.example.com/chiang-mai",
    )
    cancelled_buyer = factories.BuyerRegistrationFactory(
        event=event, buyer=factories.BuyerOrganisationFactory(name="Phuket City")
    )
    factories.MeetingFactory(
        slot=slot_at(event, 10),
        sme=sme,
        buyer=cancelled_buyer,
        table=factories.TableFactory(event=event, name="T09"),
        status=Meeting.Status.CANCELLED,
        cancellation_reason="The mayor visits on Tuesday instead.",
    )
    client.force_login(sme_owner)

    response = client.get(agenda_url(sme))

    assert rows_of(response) == [
        "09:00–09:30 Monday, Oct. 6, 2031 11:00–11:30 Monday, Oct. 6, 2031 "
        "Chiang Mai Municipality Online Join the meeting None Reschedule or cancel .ics",
        "09:30–10:00 Monday, Oct. 6, 2031 11:30–12:00 Monday, Oct. 6, 2031 "
        f"Khon Kaen City Municipality In person Table T07 {INTERPRETER} Reschedule or cancel .ics",
        "10:00–10:30 Monday, Oct. 6, 2031 12:00–12:30 Monday, Oct. 6, 2031 "
        "Phuket City Cancelled Reason: The mayor visits on Tuesday instead. In person Table T09 None .ics",
    ]
    assert 'href="https://meet.example.com/chiang-mai"' in response.content.decode()


def test_agenda_without_meetings_says_so(client, sme_owner, roadshow):
    roadshow["meeting"].delete()
    client.force_login(sme_owner)

    response = client.get(agenda_url(roadshow["sme"]))

    assert rows_of(response) == ["No meeting is booked yet."]


def test_agenda_links_its_calendar_files_and_a_print_stylesheet_without_inline_code(
    client, sme_owner, roadshow
):
    client.force_login(sme_owner)

    content = client.get(agenda_url(roadshow["sme"])).content.decode()

    assert f'href="/events/registrations/{roadshow["sme"].pk}/agenda.ics"' in content
    assert f'href="/events/meetings/{roadshow["meeting"].pk}/meeting.ics"' in content
    assert re.search(r'<link rel="stylesheet" href="/static/css/print\.css" media="print">', content)
    assert "style=" not in content
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", content) == []


def test_print_stylesheet_hides_the_navigation_and_the_footer():
    with open(finders.find("css/print.css"), encoding="utf-8") as handle:
        css = re.sub(r"/\*.*?\*/", "", handle.read(), flags=re.S)

    hidden = re.search(r"^([^{}]*)\{\s*display:\s*none !important;\s*\}", css, flags=re.M).group(1)
    assert {".navbar", "footer", ".btn", ".d-print-none"} <= {part.strip() for part in hidden.split(",")}


def test_agenda_in_korean_shows_dates_the_korean_way(client, sme_owner, roadshow):
    User.objects.update(language="")  # nobody chose a language: the browser's (or cookie's) decides
    client.force_login(sme_owner)

    response = client.get(agenda_url(roadshow["sme"]), HTTP_ACCEPT_LANGUAGE="ko")

    assert rows_of(response)[0].startswith(
        "09:30–10:00 월요일, 2031년 10월 6일 11:30–12:00 월요일, 2031년 10월 6일"
    )


# ---------------------------------------------------------------- my agendas
def test_my_agendas_lists_the_organisations_registrations_latest_event_first(
    client, sme_owner, stranger, roadshow
):
    company = sme_owner.company
    earlier = factories.EventFactory(
        name="Smart City Roadshow Istanbul 2024", start_date=dt.date(2024, 5, 14)
    )
    factories.SmeRegistrationFactory(event=earlier, company=company, status=Registration.Status.PENDING)
    factories.SmeRegistrationFactory(event=roadshow["event"], company=stranger.company)
    factories.MeetingFactory(
        slot=slot_at(roadshow["event"], 11),
        sme=roadshow["sme"],
        status=Meeting.Status.CANCELLED,
    )
    client.force_login(sme_owner)

    response = client.get(reverse("consultations:my_agenda"))

    assert response.status_code == 200
    assert [(r.event.name, r.meeting_count) for r in response.context["registrations"]] == [
        (EVENT, 1),
        ("Smart City Roadshow Istanbul 2024", 0),
    ]
    text = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    assert f"{EVENT} Confirmed Bangkok, Thailand" in text
    assert "1 meeting Agenda .ics" in text
    assert "Smart City Roadshow Istanbul 2024 Pending" in text
    assert "0 meetings Agenda .ics" in text


def test_buyer_member_sees_the_buyer_organisations_agendas_only(client, buyer, roadshow):
    other = factories.BuyerRegistrationFactory(
        event=roadshow["event"], buyer=factories.BuyerOrganisationFactory(name="Chiang Mai Municipality")
    )
    client.force_login(buyer)

    response = client.get(reverse("consultations:my_agenda"))

    assert list(response.context["registrations"]) == [roadshow["buyer"]]
    assert other not in response.context["registrations"]


def test_member_without_registrations_is_told_so(client, stranger):
    client.force_login(stranger)

    response = client.get(reverse("consultations:my_agenda"))

    assert "Your organisation is not registered for any event yet." in response.content.decode()


# ---------------------------------------------------------------- who may see what
ROLES = ["anonymous", "sme_owner", "stranger", "buyer", "centre_staff", "other_centre_staff", "admin"]

# fmt: off
EXPECTED = {
    "my_agenda":               [302, 200, 200, 200, 403, 403, 403],
    "agenda (sme)":            [302, 200, 404, 404, 200, 404, 200],
    "agenda (buyer)":          [302, 404, 404, 200, 200, 404, 200],
    "agenda_ics (sme)":        [302, 200, 404, 404, 200, 404, 200],
    "agenda_ics (buyer)":      [302, 404, 404, 200, 200, 404, 200],
    "meeting_ics":             [302, 200, 404, 200, 200, 404, 200],
    "meeting_ics (cancelled)": [302, 200, 404, 200, 200, 404, 200],
}
# fmt: on
CASES = [
    (label, role, status)
    for label, statuses in EXPECTED.items()
    for role, status in zip(ROLES, statuses, strict=True)
]


def _url(label, roadshow):
    name, _, argument = label.partition(" (")
    if name == "my_agenda":
        return reverse("consultations:my_agenda")
    if name == "meeting_ics":
        meeting = roadshow["meeting"]
        if argument == "cancelled)":
            meeting.status = Meeting.Status.CANCELLED
            meeting.save(update_fields=["status"])
        return reverse("consultations:meeting_ics", args=[meeting.pk])
    return reverse(f"consultations:{name}", args=[roadshow[argument.rstrip(")")].pk])


@pytest.mark.parametrize(
    ("label", "role", "status"), CASES, ids=[f"{label} as {role}" for label, role, _ in CASES]
)
def test_every_role_gets_the_expected_status_from_every_agenda_url(
    client, request, roadshow, stranger, centre_staff, other_centre_staff, admin, label, role, status
):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    url = _url(label, roadshow)

    response = client.get(url)

    assert response.status_code == status, f"GET {url} as {role}"
    if status == 302:
        assert response["Location"] == f"{reverse('login')}?next={url}"


def test_member_of_an_organisation_never_sees_a_registration_of_another_one(sme_owner, stranger, roadshow):
    assert list(agendas.registrations_visible_to(sme_owner)) == [roadshow["sme"]]
    assert list(agendas.registrations_visible_to(stranger)) == []
    assert list(agendas.meetings_visible_to(stranger)) == []


# ---------------------------------------------------------------- query counts
def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _more_meetings(roadshow, count):
    event, sme = roadshow["event"], roadshow["sme"]
    for n in range(count):
        factories.MeetingFactory(
            slot=slot_at(event, 13, day=0) if n == 0 else slot_at(event, 13 + n // 2, 30 * (n % 2)),
            sme=sme,
            buyer=factories.BuyerRegistrationFactory(event=event),
            table=factories.TableFactory(event=event, name=f"T{20 + n}"),
            interpreter=factories.InterpreterFactory(event=event, name=f"Interpreter {n}"),
        )


@pytest.mark.parametrize("name", ["agenda", "agenda_ics"])
def test_agenda_query_count_is_the_same_for_1_and_10_meetings(client, sme_owner, roadshow, name):
    client.force_login(sme_owner)
    url = reverse(f"consultations:{name}", args=[roadshow["sme"].pk])
    with_one = _queries(client, url)

    _more_meetings(roadshow, 9)
    assert Meeting.objects.filter(sme=roadshow["sme"]).count() == 10

    assert _queries(client, url) == with_one


def test_my_agendas_query_count_is_the_same_for_1_and_5_registrations(client, sme_owner, roadshow):
    client.force_login(sme_owner)
    url = reverse("consultations:my_agenda")
    with_one = _queries(client, url)

    for n in range(4):
        event = factories.EventFactory(
            name=f"Smart City Roadshow {2020 + n}", start_date=dt.date(2020 + n, 6, 1)
        )
        factories.SmeRegistrationFactory(event=event, company=sme_owner.company)

    assert _queries(client, url) == with_one
