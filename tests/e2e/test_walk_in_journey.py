"""A walk-in in Chromium: Hanriver Flood Alert and Udon Thani check in at the door and had asked to meet;
Seoul Traffic Systems' meeting with Khon Kaen at table T01 is cancelled (the buyer's flight is late), and
Bangkok's staff fill the freed place from the live board. The board then shows the new meeting, marked as a
walk-in. On a phone (390 px) the walk-in page of another free table fits and passes axe-core. Screenshots at
1366 and 390 px."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from matching.consultations.booking.models import Meeting, MeetingRequest
from matching.consultations.events.models import Arrival, Registration
from tests import factories
from tests.e2e.pages import browser_session, no_horizontal_overflow, screenshot
from tests.e2e.test_accessibility import AXE, serious_violations
from tests.e2e.test_partner_journey import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roadshow_today(bangkok_centre, sme_owner, buyer, centre_staff):
    """Bangkok's roadshow today: Seoul Traffic Systems meets Khon Kaen at T01 in the slot running now;
    Hanriver Flood Alert and Udon Thani, who asked to meet and were not booked, are registered too."""
    event = factories.event_today(bangkok_centre, name="Smart City Roadshow Bangkok")
    slot = factories.slot_running_now(event)
    factories.TableFactory(event=event, name="T02")
    meeting = factories.MeetingFactory(
        slot=slot,
        sme=factories.SmeRegistrationFactory(event=event, company=sme_owner.company),
        buyer=factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation),
        table=factories.TableFactory(event=event, name="T01"),
    )
    hanriver = factories.SmeRegistrationFactory(
        event=event, company=factories.CompanyFactory(name_en="Hanriver Flood Alert", name_ko="한강홍수경보")
    )
    udon = factories.BuyerRegistrationFactory(
        event=event, buyer=factories.BuyerOrganisationFactory(name="Udon Thani Municipality")
    )
    factories.MeetingRequestFactory(
        event=event, sme=hanriver, buyer=udon, status=MeetingRequest.Status.ACCEPTED
    )
    return {"event": event, "slot": slot, "meeting": meeting, "hanriver": hanriver, "udon": udon}


def test_staff_fill_a_freed_slot_with_a_walk_in_pair_and_the_board_shows_it(
    browser, live_server, roadshow_today
):
    event, meeting = roadshow_today["event"], roadshow_today["meeting"]
    hanriver, udon = roadshow_today["hanriver"], roadshow_today["udon"]
    with browser_session(browser, width=1366) as staff:
        _log_in(staff, live_server.url, "centre_staff")
        staff.goto(f"{live_server.url}/events/{event.pk}/check-in/")
        for registration in (hanriver, udon):
            staff.get_by_label("Check-in code").fill(registration.check_in_code)
            staff.get_by_role("button", name="Check in").click()
            expect(staff.locator("main .alert-success")).to_contain_text(f"{registration} checked in at ")

        staff.goto(f"{live_server.url}/events/{event.pk}/meetings/{meeting.pk}/cancel/")
        staff.get_by_label("Reason for cancelling").fill("The buyer's flight is late.")
        staff.get_by_role("button", name="Cancel the meeting").click()
        expect(staff.locator("main .alert-success")).to_contain_text("The meeting is cancelled")

        staff.get_by_role("link", name="Live board").click()
        expect(staff.get_by_test_id(f"board-meeting-{meeting.pk}")).to_have_count(0)
        table = meeting.table
        staff.get_by_test_id(f"walk-in-{meeting.slot_id}-{table.pk}").click()
        expect(staff.get_by_role("heading", name="Fill with a walk-in")).to_be_visible()
        pair = staff.get_by_test_id(f"walk-in-pair-{hanriver.pk}-{udon.pk}")
        expect(pair).to_contain_text("Request accepted by both")
        no_horizontal_overflow(staff)
        screenshot(staff, "walk-in-1366.png")
        pair.get_by_role("button", name="Book").click()

        expect(staff.locator("main .alert-success")).to_contain_text(
            "Walk-in booked: Hanriver Flood Alert and Udon Thani Municipality at T01"
        )
        walk_in = Meeting.objects.get(slot=meeting.slot, table=table, status=Meeting.Status.SCHEDULED)
        cell = staff.get_by_test_id(f"board-meeting-{walk_in.pk}")
        expect(cell).to_contain_text("Hanriver Flood Alert")
        expect(cell).to_contain_text("Udon Thani Municipality")
        expect(cell).to_contain_text("walk-in")
        assert walk_in.walk_in
        no_horizontal_overflow(staff)
        screenshot(staff, "walk-in-board-1366.png")

    # The cancelled pair arrive after all and still want to meet; Khon Kaen needs an interpreter.
    for registration in (meeting.sme, meeting.buyer):
        Arrival.objects.create(
            registration=registration,
            day=meeting.slot.starts_at.astimezone(event.zone).date(),
            arrived_at=timezone.now(),
        )
    Registration.objects.filter(pk=meeting.buyer_id).update(needs_interpreter=True)
    factories.InterpreterFactory(event=event, name="Somchai")
    factories.MeetingRequestFactory(event=event, sme=meeting.sme, buyer=meeting.buyer)
    with browser_session(browser, width=390, height=844) as phone:
        if AXE.exists():
            phone.context.add_init_script(path=str(AXE))
        _log_in(phone, live_server.url, "centre_staff")
        phone.goto(f"{live_server.url}/events/{event.pk}/board/")
        expect(phone.get_by_test_id(f"board-meeting-{walk_in.pk}")).to_contain_text("walk-in")
        no_horizontal_overflow(phone)
        other = event.tables.get(name="T02")
        phone.get_by_test_id(f"walk-in-{meeting.slot_id}-{other.pk}").click()
        expect(phone.get_by_test_id(f"walk-in-pair-{meeting.sme_id}-{meeting.buyer_id}")).to_contain_text(
            "Asked for a meeting"
        )
        expect(phone.get_by_label("Interpreter").first).to_have_value(str(event.interpreters.get().pk))
        no_horizontal_overflow(phone)
        if AXE.exists():
            assert serious_violations(phone) == []
        screenshot(phone, "walk-in-390.png")
