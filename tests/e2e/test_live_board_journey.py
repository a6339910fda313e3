"""The live board in Chromium: Bangkok's staff watch a meeting at table T01 go from late (the buyer has not
checked in) to running once the buyer checks in, without reloading (htmx polling under the page's CSP).
Screenshots at 1366 and 390 px."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from matching.consultations.events.models import Arrival
from matching.consultations.outcomes import board_views
from tests import factories
from tests.e2e.pages import browser_session, no_horizontal_overflow, screenshot
from tests.e2e.test_partner_journey import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_board_shows_the_meeting_running_once_the_buyer_checks_in(
    browser, live_server, bangkok_centre, centre_staff, monkeypatch
):
    monkeypatch.setattr(board_views, "POLL_SECONDS", 1)
    event = factories.event_today(bangkok_centre, name="Smart City Roadshow Bangkok")
    now = timezone.localtime(timezone=event.zone)
    slot = factories.slot_running_now(event)
    meeting = factories.MeetingFactory(
        slot=slot, table=factories.TableFactory(event=event, name="T01"), interpreted=True
    )
    Arrival.objects.create(registration=meeting.sme, day=now.date(), arrived_at=now)

    with browser_session(browser, width=1366) as staff:
        _log_in(staff, live_server.url, "centre_staff")
        staff.goto(f"{live_server.url}/events/{event.pk}/")
        staff.get_by_role("link", name="Live board").click()
        cell = staff.get_by_test_id(f"board-meeting-{meeting.pk}")
        expect(cell).to_contain_text("late")
        expect(cell).to_contain_text(meeting.interpreter.name)
        Arrival.objects.create(registration=meeting.buyer, day=now.date(), arrived_at=timezone.now())
        expect(cell).to_contain_text("running", timeout=10_000)
        assert staff.evaluate("() => performance.getEntriesByType('navigation').length") == 1
        no_horizontal_overflow(staff)
        screenshot(staff, "live-board-1366.png")

    with browser_session(browser, width=390, height=844) as phone:
        _log_in(phone, live_server.url, "centre_staff")
        phone.goto(f"{live_server.url}/events/{event.pk}/board/")
        expect(phone.get_by_test_id(f"board-meeting-{meeting.pk}")).to_contain_text("running")
        no_horizontal_overflow(phone)
        screenshot(phone, "live-board-390.png")
