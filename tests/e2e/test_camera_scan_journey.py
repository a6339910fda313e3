"""Scanning with the camera in Chromium, whose fake camera films a QR code the test draws with segno: at the
door the scan checks Seoul Traffic Systems in, at table T01 it checks Khon Kaen in and starts their meeting,
which the live board shows running; another event's code is refused; and a browser without a camera keeps
the typed form and says why the camera is off. Screenshots at 390 px, axe on the page with the camera on."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from matching.consultations.booking.models import Meeting
from matching.consultations.events import check_in
from matching.consultations.events.models import Arrival
from tests import factories
from tests.e2e.pages import browser_session, no_horizontal_overflow, screenshot
from tests.e2e.test_accessibility import serious_violations
from tests.e2e.test_partner_journey import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def roadshow_today(bangkok_centre, sme_owner, buyer, centre_staff):
    """Bangkok's roadshow today: Seoul Traffic Systems meets Khon Kaen at table T01 in a slot that began
    five minutes ago."""
    event = factories.event_today(bangkok_centre, name="Smart City Roadshow Bangkok")
    slot = factories.slot_running_now(event)
    sme = factories.SmeRegistrationFactory(event=event, company=sme_owner.company)
    organisation = factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation)
    factories.MeetingFactory(
        slot=slot, sme=sme, buyer=organisation, table=factories.TableFactory(event=event, name="T01")
    )
    return {"event": event, "sme": sme, "buyer": organisation}


def _scan(tab):
    tab.get_by_role("button", name="Scan with the camera").click()


def test_staff_scan_at_the_door_then_at_the_table_and_the_board_shows_the_meeting_running(
    camera_browser, live_server, roadshow_today
):
    event, sme, organisation = roadshow_today["event"], roadshow_today["sme"], roadshow_today["buyer"]

    with browser_session(camera_browser(live_server.url + check_in.qr_url(sme)), **PHONE) as door:
        if AXE.exists():
            door.context.add_init_script(path=str(AXE))
        _log_in(door, live_server.url, "centre_staff")
        door.goto(f"{live_server.url}/events/{event.pk}/check-in/")
        _scan(door)
        expect(door.locator("main .alert-success")).to_contain_text("Seoul Traffic Systems checked in at ")
        # The answer's page opens the camera again for the next participant, and does not resend this code.
        expect(door.locator("video.camera-video")).to_be_visible()
        expect(door.get_by_role("status").filter(has_text="Point the camera")).to_be_visible()
        no_horizontal_overflow(door)
        screenshot(door, "camera-scan-door-390.png")
        if AXE.exists():
            assert serious_violations(door) == []
        door.get_by_role("button", name="Stop the camera").click()
        expect(door.get_by_role("status").filter(has_text="The camera is off.")).to_be_visible()
        expect(door.locator("video.camera-video")).to_be_hidden()
    assert list(Arrival.objects.values_list("registration", flat=True)) == [sme.pk]

    with browser_session(camera_browser(check_in.qr_token(organisation)), **PHONE) as table:
        _log_in(table, live_server.url, "centre_staff")
        table.goto(f"{live_server.url}/events/{event.pk}/check-in/")
        table.get_by_label("Where are you scanning?").select_option(label="At table T01")
        table.get_by_role("button", name="Go").click()
        expect(table.get_by_role("heading", name="Check-in at table T01")).to_be_visible()
        _scan(table)
        expect(table.locator("main .alert-success")).to_contain_text(
            "Khon Kaen City Municipality checked in at "
        )
        expect(table.locator("main .alert-success")).to_contain_text(
            re.compile(
                r"The meeting of Seoul Traffic Systems and Khon Kaen City Municipality at table T01 "
                r"started at \d\d:\d\d\."
            )
        )
        expect(table.get_by_test_id("table-meetings")).to_contain_text("started ")
        table.get_by_role("button", name="Stop the camera").click()
        no_horizontal_overflow(table)
        screenshot(table, "camera-scan-table-390.png")

        table.get_by_role("link", name="Live board").click()
        expect(table.locator(".board-running .badge")).to_have_text(re.compile(r"running since \d\d:\d\d"))
    assert Meeting.objects.exclude(started_at=None).count() == 1


def test_another_events_code_scanned_with_the_camera_is_refused(camera_browser, live_server, roadshow_today):
    elsewhere = factories.SmeRegistrationFactory()

    with browser_session(camera_browser(live_server.url + check_in.qr_url(elsewhere)), **PHONE) as door:
        _log_in(door, live_server.url, "centre_staff")
        door.goto(f"{live_server.url}/events/{roadshow_today['event'].pk}/check-in/")
        _scan(door)
        expect(door.locator("main .alert-danger")).to_have_text(
            "This QR code is for another event: nothing was recorded."
        )
        door.get_by_role("button", name="Stop the camera").click()
    assert Arrival.objects.count() == 0


def test_without_a_camera_the_typed_form_stays_and_says_why(browser, live_server, roadshow_today):
    with browser_session(browser, **PHONE) as door:
        _log_in(door, live_server.url, "centre_staff")
        door.goto(f"{live_server.url}/events/{roadshow_today['event'].pk}/check-in/")
        _scan(door)
        expect(door.get_by_role("status").filter(has_text="The camera is off")).to_be_visible()
        expect(door.get_by_role("button", name="Scan with the camera")).to_be_enabled()
        door.get_by_label("Check-in code").fill(roadshow_today["sme"].check_in_code)
        door.get_by_role("button", name="Check in").click()
        expect(door.locator("main .alert-success")).to_contain_text("Seoul Traffic Systems checked in at ")
        no_horizontal_overflow(door)
