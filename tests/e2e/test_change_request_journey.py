"""A booked roadshow meeting moved on request, in Chromium: the Korean company asks KOTRA from its agenda
for another time, with a reason; Bangkok's staff see the request on the event's page and approve it by
choosing a new slot and table; the company's agenda shows the new time. Screenshots at 1366 and 390 px."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.consultations.test_agendas import slot_at
from tests.e2e.pages import browser_session, no_horizontal_overflow, screenshot
from tests.e2e.test_partner_journey import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def booked(bangkok_centre, sme_owner, buyer, centre_staff):
    """Seoul Traffic Systems meets Khon Kaen at 09:30 at T01 at Bangkok's coming roadshow; 14:00 and T02
    are free."""
    event = factories.EventFactory(
        name="Smart City Roadshow Bangkok",
        city=bangkok_centre.city,
        organising_centre=bangkok_centre,
        start_date=timezone.localdate() + dt.timedelta(days=30),
    )
    sme_owner.time_zone = "Asia/Bangkok"
    sme_owner.save(update_fields=["time_zone"])
    meeting = factories.MeetingFactory(
        slot=slot_at(event, 9, 30),
        sme=factories.SmeRegistrationFactory(event=event, company=sme_owner.company),
        buyer=factories.BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation),
        table=factories.TableFactory(event=event, name="T01"),
    )
    afternoon = slot_at(event, 14)
    factories.TableFactory(event=event, name="T02")
    return {"event": event, "meeting": meeting, "afternoon": afternoon}


def test_a_company_asks_for_another_time_and_staff_move_the_meeting(browser, live_server, booked):
    event, meeting = booked["event"], booked["meeting"]
    agenda = f"{live_server.url}/events/registrations/{meeting.sme_id}/agenda/"
    with browser_session(browser, width=1366) as company:
        _log_in(company, live_server.url, "sme_owner")
        company.goto(agenda)
        expect(company.locator("tbody tr")).to_contain_text("09:30–10:00")
        company.get_by_role("link", name="Reschedule or cancel").click()
        expect(company.get_by_label("Another time for this meeting")).to_be_checked()
        company.get_by_label("Reason").select_option(label="Travel plans changed")
        company.get_by_label("A few words for KOTRA and the other side (optional)").fill(
            "Our engineer lands at 11:00 <b>on the first day</b>."
        )
        company.get_by_label("When would suit you? (optional)").fill("The afternoon of the first day")
        no_horizontal_overflow(company)
        screenshot(company, "change-request-form-1366.png")
        company.get_by_role("button", name="Send the request").click()
        expect(company.locator("main .alert-success")).to_contain_text(
            "Your request is sent to KOTRA Bangkok. The meeting stays as booked until they answer."
        )
        expect(company.locator("tbody tr")).to_contain_text("New time asked · waiting for KOTRA")

    with browser_session(browser, width=390, height=844) as phone:
        _log_in(phone, live_server.url, "sme_owner")
        phone.goto(agenda)
        phone.get_by_role("link", name="See the change request").click()
        expect(phone.locator(".change-note")).to_have_text(
            "Our engineer lands at 11:00 <b>on the first day</b>."
        )
        expect(phone.get_by_role("button", name="Withdraw the request")).to_be_visible()
        no_horizontal_overflow(phone)
        screenshot(phone, "change-request-waiting-390.png")

    detail = f"{live_server.url}/events/{event.pk}/"
    with browser_session(browser, width=390, height=844) as phone:
        _log_in(phone, live_server.url, "centre_staff")
        phone.goto(detail)
        expect(phone.get_by_role("heading", name="Change requests")).to_be_visible()
        no_horizontal_overflow(phone)
        screenshot(phone, "change-request-event-390.png")

    with browser_session(browser, width=1366) as staff:
        _log_in(staff, live_server.url, "centre_staff")
        staff.goto(detail)
        expect(staff.locator(".figure-card", has_text="Change requests").locator("dd")).to_have_text("1")
        card = staff.locator("article", has_text="New time asked")
        expect(card).to_contain_text("Would suit them: The afternoon of the first day")
        card.get_by_label("New slot").select_option(label=str(booked["afternoon"]))
        card.get_by_label("Table").select_option(label="T02")
        card.get_by_label("Note to both sides").fill("Moved to 14:00 at T02, as you asked.")
        screenshot(staff, "change-request-event-1366.png")
        card.get_by_role("button", name="Approve: move to this slot").click()
        expect(staff.locator("main .alert-success")).to_contain_text(
            "The meeting is moved and locked; both sides get the new time."
        )
        expect(staff.locator(".figure-card", has_text="Change requests").locator("dd")).to_have_text("0")

    with browser_session(browser, width=1366) as company:
        _log_in(company, live_server.url, "sme_owner")
        company.goto(agenda)
        row = company.locator("tbody tr")
        expect(row).to_contain_text("14:00–14:30")
        expect(row).to_contain_text("Table T02")
        expect(row).not_to_contain_text("waiting for KOTRA")
