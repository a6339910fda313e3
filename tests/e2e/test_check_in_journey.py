"""Check-in at the door in Chromium: Seoul Traffic Systems shows its agenda's QR code on a phone, Bangkok's
staff type its code and the buyer's (scanning needs a camera), a second try says when it checked in, and
the consultation log shows their meeting held. Screenshots at 390 and 1366 px."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from matching.consultations.events import check_in
from tests import factories
from tests.e2e.pages import browser_session, no_horizontal_overflow, screenshot
from tests.e2e.test_partner_journey import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roadshow_today(bangkok_centre, sme_owner, buyer, centre_staff):
    """Bangkok's roadshow today, with Seoul Traffic Systems meeting Khon Kaen at table T01 this hour."""
    today = timezone.localdate(timezone=dt.timezone(dt.timedelta(hours=7)))  # Asia/Bangkok
    event = factories.EventFactory(
        name="Smart City Roadshow Bangkok",
        city=bangkok_centre.city,
        organising_centre=bangkok_centre,
        venue="Sathorn Riverside Convention Hotel",
        start_date=today,
        end_date=today,
    )
    local_now = timezone.localtime(timezone=event.zone)
    starts = local_now.replace(minute=0, second=0, microsecond=0)
    slot = factories.TimeSlotFactory(event=event, starts_at=starts, ends_at=starts + dt.timedelta(minutes=30))
    sme = factories.SmeRegistrationFactory(event=event, company=sme_owner.company)
    organisation = factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation)
    factories.MeetingFactory(
        slot=slot, sme=sme, buyer=organisation, table=factories.TableFactory(event=event, name="T01")
    )
    return {"event": event, "sme": sme, "buyer": organisation}


def test_staff_check_in_an_sme_and_a_buyer_by_typed_code_and_the_log_shows_the_meeting_held(
    browser, live_server, roadshow_today
):
    event, sme, organisation = roadshow_today["event"], roadshow_today["sme"], roadshow_today["buyer"]
    with browser_session(browser, width=390, height=844) as phone:
        _log_in(phone, live_server.url, "sme_owner")
        phone.goto(f"{live_server.url}/events/registrations/{sme.pk}/agenda/")
        expect(phone.locator("svg.check-in-qr")).to_be_visible()
        code = phone.get_by_test_id("check-in-code").inner_text()
        assert code == check_in.display_code(sme.check_in_code)
        phone.locator("#check-in-heading").scroll_into_view_if_needed()
        no_horizontal_overflow(phone)
        screenshot(phone, "check-in-agenda-390.png")

    with browser_session(browser, width=1366) as staff:
        _log_in(staff, live_server.url, "centre_staff")
        staff.goto(f"{live_server.url}/events/{event.pk}/")
        staff.get_by_role("link", name="Check-in").click()
        staff.get_by_label("Check-in code").fill(code.lower())
        staff.get_by_role("button", name="Check in").click()
        expect(staff.locator("main .alert-success")).to_contain_text("Seoul Traffic Systems checked in at ")
        staff.get_by_label("Check-in code").fill(organisation.check_in_code)
        staff.get_by_role("button", name="Check in").click()
        expect(staff.locator("main .alert-success")).to_contain_text(
            "Khon Kaen City Municipality checked in at "
        )
        staff.get_by_label("Check-in code").fill(code)
        staff.get_by_role("button", name="Check in").click()
        expect(staff.locator("main .alert-info")).to_have_text(
            re.compile(r"Seoul Traffic Systems already checked in at \d\d:\d\d\.")
        )
        staff.get_by_label("Check-in code").fill("AAAA-AAAA")
        staff.get_by_role("button", name="Check in").click()
        expect(staff.locator("main .alert-danger")).to_contain_text("No participant has this code")
        expect(staff.locator("main .list-group-item")).to_have_count(2)
        no_horizontal_overflow(staff)
        screenshot(staff, "check-in-staff-1366.png")

        staff.get_by_role("link", name="Consultation log").click()
        expect(staff.get_by_test_id("held-by-check-in")).to_have_text("both checked in: held")
        expect(staff.get_by_label("Attendance")).to_have_value("held")
        no_horizontal_overflow(staff)
        screenshot(staff, "check-in-log-1366.png")

    with browser_session(browser, width=390, height=844) as staff_phone:
        _log_in(staff_phone, live_server.url, "centre_staff")
        staff_phone.goto(f"{live_server.url}/events/{event.pk}/check-in/")
        expect(staff_phone.locator("main .list-group-item")).to_have_count(2)
        no_horizontal_overflow(staff_phone)
        screenshot(staff_phone, "check-in-staff-390.png")
