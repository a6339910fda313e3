"""From an empty roadshow day to an SME's calendar, in Chromium.

KOTRA Bangkok's staff create a one-day event, register four Korean SMEs and six Thai buyers through
the Participants tab, run the auto-scheduler from the event page and find its meetings on the grid;
then a member of one SME, reading in Seoul time, opens its agenda and downloads it as an .ics file.
"""

import datetime as dt
import re
import zoneinfo

import pytest
from django.db import connection
from icalendar import Calendar
from playwright.sync_api import expect

from matching.consultations.booking.models import Meeting, MeetingRequest, SchedulerRun
from matching.consultations.events.models import Event, Registration
from tests import factories
from tests.e2e.pages import another_browser, no_horizontal_overflow, screenshot
from tests.e2e.test_match_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVENT = "Bangkok Smart Mobility Day 2027"
DAY = dt.date(2027, 3, 10)
BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

SMES = ["Seoul Traffic Systems", "Daejeon Flood Sensing", "Incheon Smart Parking", "Gwangju Energy Grid"]
BUYERS = [
    "Bangkok Metropolitan Administration",
    "Khon Kaen City Municipality",
    "Chiang Mai Municipality",
    "Phuket City Development",
    "Nonthaburi City Municipality",
    "Udon Thani Municipality",
]
# (SME, buyer) pairs that accepted to meet: three for the first two SMEs, two for the others.
PAIRS = [(0, 0), (0, 1), (0, 2), (1, 1), (1, 3), (1, 4), (2, 0), (2, 5), (3, 2), (3, 4)]
# Khon Kaen cannot come to the first slot of the day.
KHON_KAEN_AWAY = "2027-03-10 09:30 (Morning)"


@pytest.fixture
def roadshow_cast(bangkok_centre, centre_staff):
    """The approved companies and buyers staff will register, the languages they speak, and a member
    of the first company who reads agendas in Seoul time."""
    thailand = bangkok_centre.city.country
    languages = {
        code: factories.LanguageFactory(code=code, name_en=name_en, name_ko=name_ko)
        for code, name_en, name_ko in [
            ("en", "English", "영어"),
            ("ko", "Korean", "한국어"),
            ("th", "Thai", "태국어"),
        ]
    }
    companies = [factories.CompanyFactory(name_en=name) for name in SMES]
    buyers = [
        factories.BuyerOrganisationFactory(
            name=name,
            city=factories.CityFactory(
                country=thailand, name_en=name.split(" ")[0], time_zone="Asia/Bangkok"
            ),
        )
        for name in BUYERS
    ]
    member = factories.SmeMemberFactory(username="jiwoo", company=companies[0], time_zone="Asia/Seoul")
    return {"languages": languages, "companies": companies, "buyers": buyers, "member": member}


@pytest.fixture
def task_worker():
    """A Celery worker in a thread of the test process takes the run from the queue, as in production.

    On SQLite the test database is in memory with a shared cache, where a connection that reads a table
    another connection is writing fails at once ("database table is locked") instead of waiting its turn,
    so there the run goes on in the request that started it, after its commit (the test settings' eager
    tasks). On PostgreSQL (CI) the worker runs it while the event page reloads itself until the result
    is there.
    """
    if connection.vendor == "sqlite":
        yield
        return
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app, scheduler_queue

    app.conf.task_always_eager = False
    queues = [app.conf.task_default_queue, scheduler_queue(app.conf.task_default_queue)]
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=60, queues=queues):
            yield
    finally:
        app.conf.task_always_eager = True


def _success_message(page):
    return page.locator("main .alert-success")


def _fits_a_phone(page, name):
    """The page as it is now, on a phone: nothing wider than the screen. Back to a desktop after."""
    page.set_viewport_size(PHONE)
    no_horizontal_overflow(page)
    screenshot(page, name)
    page.set_viewport_size(DESKTOP)


def _create_event(page, live_server, city):
    page.get_by_role("link", name="Events", exact=True).click()
    page.get_by_role("link", name="New event").click()
    page.wait_for_url(f"{live_server.url}/events/new/")
    page.fill("#id_name", EVENT)
    page.fill("#id_slug", "bangkok-smart-mobility-2027")
    page.locator("#id_city").select_option(value=str(city.pk))
    page.fill("#id_time_zone", "Asia/Bangkok")
    page.fill("#id_venue", "Queen Sirikit National Convention Center, hall C")
    page.fill("#id_start_date", DAY.isoformat())
    page.fill("#id_end_date", DAY.isoformat())
    page.fill("#id_slot_minutes", "30")
    page.fill("#id_morning_starts", "09:30")
    page.fill("#id_morning_ends", "12:00")
    page.fill("#id_afternoon_starts", "13:30")
    page.fill("#id_afternoon_ends", "15:30")
    page.fill("#id_break_minutes", "0")
    page.fill("#id_table_count", "3")
    page.get_by_role("button", name="Create event").click()

    page.wait_for_url(re.compile(rf"^{re.escape(live_server.url)}/events/\d+/$"))
    expect(_success_message(page)).to_contain_text("The event is set up with its slots and tables.")
    expect(page.locator("h1")).to_have_text(EVENT)
    # 09:30–12:00 gives five half-hour slots, 13:30–15:30 four.
    expect(page.locator("#slots-heading")).to_contain_text("9 slots")
    expect(page.locator("#tables-heading")).to_have_text("3 tables")
    expect(page.locator("#tables-heading + p")).to_have_text("T01, T02, T03")
    return Event.objects.get(name=EVENT)


def _register(page, *, company=None, buyer=None, languages=(), unavailable=()):
    """Fill the staff's registration form for one company or one buyer and save it."""
    page.get_by_role("link", name="Register a company or buyer").click()
    if company:
        page.locator("#id_company").select_option(label=company)
    else:
        page.locator("#id_buyer").select_option(label=buyer)
    for language in languages:
        page.get_by_label(language, exact=True).check()
    for slot in unavailable:
        page.get_by_label(slot, exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(_success_message(page)).to_contain_text(f"{company or buyer} is registered.")


def _accepted_requests(event):
    """Both sides have said yes to these meetings.

    Made here rather than clicked: asking and answering are the match journey's subject
    (test_match_journey.py), and the "Suggested meetings" page would need demand listings that fit
    each company. What the scheduler places are accepted requests, however they came about.
    """
    smes = {r.company.name_en: r for r in Registration.objects.filter(event=event, company__isnull=False)}
    buyers = {r.buyer.name: r for r in Registration.objects.filter(event=event, buyer__isnull=False)}
    for sme, buyer in PAIRS:
        factories.MeetingRequestFactory(
            event=event,
            sme=smes[SMES[sme]],
            buyer=buyers[BUYERS[buyer]],
            status=MeetingRequest.Status.ACCEPTED,
        )


def _span(meeting, zone):
    """A meeting's '14:00–14:30' in a zone."""
    starts, ends = meeting.slot.starts_at.astimezone(zone), meeting.slot.ends_at.astimezone(zone)
    return f"{starts:%H:%M}–{ends:%H:%M}"


def test_staff_schedule_a_one_day_roadshow_and_an_sme_downloads_its_agenda_as_ics(
    page, browser, live_server, bangkok_centre, roadshow_cast, task_worker
):
    # ------------------------------------------------ staff set the day up
    log_in(page, live_server, "centre_staff")
    event = _create_event(page, live_server, bangkok_centre.city)
    slots = list(event.slots.order_by("starts_at"))
    assert [slot.starts_at.astimezone(BANGKOK).strftime("%H:%M") for slot in slots] == [
        "09:30", "10:00", "10:30", "11:00", "11:30", "13:30", "14:00", "14:30", "15:00",
    ]  # fmt: skip

    page.get_by_role("link", name="Participants").click()
    page.wait_for_url(f"{live_server.url}/events/{event.pk}/registrations/")
    expect(page.locator("main tbody")).to_contain_text("Nobody is registered yet.")
    for company in SMES:
        _register(page, company=company, languages=["Korean", "English"])
    for buyer in BUYERS:
        away = [KHON_KAEN_AWAY] if buyer == "Khon Kaen City Municipality" else []
        _register(page, buyer=buyer, languages=["Thai", "English"], unavailable=away)

    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(10)
    names = rows.locator("td:first-child .fw-semibold").all_inner_texts()
    # SMEs first, by name; the buyers' order among themselves is not the subject here.
    assert (names[:4], sorted(names[4:])) == (sorted(SMES), sorted(BUYERS))
    expect(rows.locator("td:first-child .badge")).to_have_text(["Korean SME"] * 4 + ["Buyer"] * 6)
    expect(rows.locator("td:nth-child(2)")).to_have_text(["Confirmed"] * 10)
    expect(rows.filter(has_text="Khon Kaen City Municipality").locator("td:nth-child(6)")).to_have_text("1")
    _fits_a_phone(page, "event-participants-phone.png")
    registrations = Registration.objects.filter(event=event)
    assert registrations.filter(status=Registration.Status.CONFIRMED).count() == 10
    khon_kaen = registrations.get(buyer__name="Khon Kaen City Municipality")
    assert list(khon_kaen.unavailable_slots.all()) == [slots[0]]
    assert sorted(language.code for language in khon_kaen.languages.all()) == ["en", "th"]

    _accepted_requests(event)

    # ------------------------------------------------ the scheduler places every meeting
    page.get_by_role("link", name="Overview").click()
    page.wait_for_url(f"{live_server.url}/events/{event.pk}/")
    figures = page.locator("dl.figures dd")
    expect(figures).to_have_text(["4", "6", "10", "0", "0"])  # ..., change requests
    # A bound, not a wait: the run ends as soon as the schedule is proven optimal (well under a second
    # here); a loaded machine still gets there within it.
    page.fill("#id_time_limit_seconds", "20")
    page.get_by_role("button", name="Run the scheduler").click()

    page.wait_for_url(f"{live_server.url}/events/{event.pk}/")
    expect(_success_message(page)).to_contain_text("The scheduler has started; this page shows its progress.")
    # While the run goes on, the page reloads itself every two seconds until the result is there.
    result = page.locator("section[aria-labelledby=scheduler-heading] [role=status]")
    expect(result.locator(".badge")).to_have_text("Optimal", timeout=45_000)
    expect(result).to_contain_text("10 of 10 meetings placed · 0 breaks · proven optimal")
    expect(page.get_by_role("button", name="Run the scheduler")).to_be_enabled()
    expect(figures).to_have_text(["4", "6", "0", "10", "0"])
    screenshot(page, "event-scheduled-desktop.png")
    run = SchedulerRun.objects.get(event=event)
    assert (run.status, run.requested, run.placed, run.total_breaks, run.proven_optimal, run.unplaced) == (
        SchedulerRun.Status.OPTIMAL,
        10,
        10,
        0,
        True,
        [],
    )
    meetings = list(
        Meeting.objects.filter(slot__event=event)
        .select_related("slot", "table", "sme__company", "buyer__buyer")
        .order_by("slot__starts_at", "table__name")
    )
    assert sorted((m.sme.company.name_en, m.buyer.buyer.name) for m in meetings) == sorted(
        (SMES[sme], BUYERS[buyer]) for sme, buyer in PAIRS
    )
    assert all(m.status == Meeting.Status.SCHEDULED and m.request is not None for m in meetings)
    assert not [m for m in meetings if m.buyer_id == khon_kaen.pk and m.slot_id == slots[0].pk]

    page.get_by_role("link", name="Meeting grid").first.click()
    page.wait_for_url(f"{live_server.url}/events/{event.pk}/grid/")
    expect(page.locator("main thead th")).to_have_text(["Slot", "T01", "T02", "T03"])
    expect(page.locator("main tbody th")).to_have_text(
        [f"{s.starts_at.astimezone(BANGKOK):%H:%M}–{s.ends_at.astimezone(BANGKOK):%H:%M}" for s in slots]
    )
    # In the grid's order: slot by slot, table by table.
    expect(page.locator("a.grid-meeting")).to_have_text(
        [f"{m.sme.company.name_en} {m.buyer.buyer.name}" for m in meetings], use_inner_text=True
    )
    for meeting in meetings:
        row = page.locator("main tbody tr").nth(slots.index(meeting.slot))
        cell = row.locator("td").nth(int(meeting.table.name[1:]) - 1)
        expect(cell.locator("a.grid-meeting span")).to_have_text(
            [meeting.sme.company.name_en, meeting.buyer.buyer.name]
        )
    _fits_a_phone(page, "event-grid-phone.png")

    # ------------------------------------------------ an SME member in Seoul takes its agenda home
    own = [m for m in meetings if m.sme.company.name_en == SMES[0]]
    assert len(own) == 3
    with another_browser(browser) as member:
        log_in(member, live_server, "jiwoo")
        member.get_by_role("link", name="My agendas").click()
        member.wait_for_url(f"{live_server.url}/events/agendas/")
        listed = member.locator("main .list-group-item")
        expect(listed).to_have_count(1)
        expect(listed).to_contain_text("3 meetings")
        listed.get_by_role("link", name=EVENT).click()

        registration = own[0].sme
        member.wait_for_url(f"{live_server.url}/events/registrations/{registration.pk}/agenda/")
        expect(member.locator("h1")).to_have_text(f"Agenda of {SMES[0]}")
        expect(member.locator("main")).to_contain_text(
            "Times are shown in the event's time zone (Asia/Bangkok) and in yours (Asia/Seoul)."
        )
        expect(member.locator("main thead th").nth(0)).to_have_text("Event time Asia/Bangkok")
        expect(member.locator("main thead th").nth(1)).to_have_text("Your time Asia/Seoul")
        # Seoul is two hours ahead of Bangkok.
        agenda = member.locator("main tbody tr")
        expect(agenda).to_have_count(3)
        for row, meeting in zip(agenda.all(), own, strict=True):
            expect(row.locator("td")).to_have_text(
                [
                    f"{_span(meeting, BANGKOK)} Wednesday, March 10, 2027",
                    f"{_span(meeting, SEOUL)} Wednesday, March 10, 2027",
                    meeting.buyer.buyer.name,
                    f"In person Table {meeting.table.name}",
                    "None",
                    re.compile(r"^\s*Reschedule or cancel\s+\.ics$"),  # a coming meeting: it may change
                ],
                use_inner_text=True,
            )

        screenshot(member, "agenda-desktop.png")
        _fits_a_phone(member, "agenda-phone.png")

        with member.expect_download() as download_info:
            member.get_by_role("link", name="Add all to my calendar (.ics)").click()
        download = download_info.value
        assert download.suggested_filename == f"agenda-bangkok-smart-mobility-2027-{registration.pk}.ics"
        with open(download.path(), "rb") as file:
            calendar = Calendar.from_ical(file.read())

    vevents = calendar.walk("VEVENT")
    assert len(vevents) == 3
    assert sorted(vevent.decoded("dtstart").astimezone(dt.UTC) for vevent in vevents) == [
        m.slot.starts_at.astimezone(dt.UTC) for m in own
    ]
    assert sorted(vevent.decoded("dtend").astimezone(dt.UTC) for vevent in vevents) == [
        m.slot.ends_at.astimezone(dt.UTC) for m in own
    ]
    # Written in the event's zone, so a calendar anywhere puts them at the right instant.
    assert {str(vevent["dtstart"].params["TZID"]) for vevent in vevents} == {"Asia/Bangkok"}
    assert sorted(str(vevent["summary"]) for vevent in vevents) == sorted(
        f"1:1 consultation: {SMES[0]} – {m.buyer.buyer.name}" for m in own
    )
