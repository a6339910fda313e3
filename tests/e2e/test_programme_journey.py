"""An event's programme in Chromium: Bangkok's staff add the IR pitches of Seoul Traffic Systems to the
roadshow's programme (a room clash first, then the right room), and anyone sees it on the event's public
page. Screenshots at 1366 and 390 px."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.e2e.pages import browser_session, no_horizontal_overflow, screenshot
from tests.e2e.test_partner_journey import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roadshow(bangkok_centre, sme_owner, centre_staff):
    """Bangkok's coming roadshow, with Seoul Traffic Systems registered and the opening remarks at 09:00
    in the Grand Ballroom."""
    event = factories.EventFactory(
        name="Smart City Roadshow Bangkok",
        city=bangkok_centre.city,
        organising_centre=bangkok_centre,
        venue="Sathorn Riverside Convention Hotel",
        start_date=timezone.localdate() + dt.timedelta(days=30),
    )
    factories.SmeRegistrationFactory(event=event, company=sme_owner.company)
    for code, name in (("ko", "Korean"), ("en", "English"), ("th", "Thai")):
        factories.LanguageFactory(code=code, name_en=name)
    zone = event.zone
    starts = dt.datetime.combine(event.start_date, dt.time(9), tzinfo=zone)
    opening = event.programme.create(
        kind="seminar",
        title="Opening remarks",
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=30),
        room="Grand Ballroom",
        speakers="MOLIT; KOTRA Bangkok",
    )
    return {"event": event, "opening": opening}


def test_staff_add_ir_pitches_and_everyone_sees_them_on_the_public_page(browser, live_server, roadshow):
    event = roadshow["event"]
    with browser_session(browser, width=1366) as staff:
        _log_in(staff, live_server.url, "centre_staff")
        staff.goto(f"{live_server.url}/events/{event.pk}/")
        staff.get_by_role("link", name="Programme").click()
        expect(staff.get_by_role("heading", name="1 session")).to_be_visible()
        form = staff.locator("form", has=staff.get_by_role("button", name="Add the session"))
        form.get_by_label("Kind").select_option(label="IR pitch")
        form.get_by_label("Title").fill("IR pitches: smart traffic")
        form.get_by_label("Day").fill(event.start_date.isoformat())
        form.get_by_label("Starts").fill("09:00")
        form.get_by_label("Ends").fill("09:30")
        form.get_by_label("Room").fill("grand ballroom")
        form.get_by_label("English").check()
        form.get_by_label("Seoul Traffic Systems").first.check()
        form.get_by_role("button", name="Add the session").click()

        expect(staff.locator("#error_1_id_room")).to_have_text(
            "Grand Ballroom is taken by “Opening remarks” from 09:00–09:30."
        )
        expect(staff.get_by_label("Title")).to_have_value("IR pitches: smart traffic")
        staff.get_by_label("Starts").fill("10:00")
        staff.get_by_label("Ends").fill("11:00")
        staff.get_by_role("button", name="Add the session").click()
        expect(staff.locator("main .alert-success")).to_have_text(
            "“IR pitches: smart traffic” is on the programme."
        )
        expect(staff.get_by_role("heading", name="2 sessions")).to_be_visible()
        no_horizontal_overflow(staff)
        screenshot(staff, "programme-staff-1366.png")

    public = f"{live_server.url}/events/{event.pk}/programme/"
    with browser_session(browser, width=1366) as visitor:
        visitor.goto(f"{live_server.url}/")
        visitor.get_by_role("link", name="Smart City Roadshow Bangkok").click()
        expect(visitor).to_have_url(public)
        pitches = visitor.locator(".programme-session", has_text="IR pitches: smart traffic")
        expect(pitches).to_contain_text("10:00–11:00")
        expect(pitches).to_contain_text("Speakers: Seoul Traffic Systems")
        expect(pitches).to_contain_text("Open to all")
        no_horizontal_overflow(visitor)
        screenshot(visitor, "programme-public-1366.png")

    with browser_session(browser, width=390, height=844) as phone:
        phone.goto(public)
        expect(phone.locator(".programme-session")).to_have_count(2)
        expect(phone.locator(".programme-session").first).to_contain_text("09:00–09:30 · Opening remarks")
        no_horizontal_overflow(phone)
        screenshot(phone, "programme-public-390.png")
