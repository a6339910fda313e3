"""Staff record an MOU after a Bangkok meeting in the consultation log, an admin reviews it in the Django
admin, and the results dashboard's MOU count goes up by one."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from matching.consultations.booking.models import Meeting
from matching.consultations.outcomes.models import Mou
from tests import factories
from tests.conftest import empty_cache
from tests.consultations.conftest import meeting_at_t01, past_bangkok_roadshow
from tests.consultations.test_agendas import slot_at
from tests.e2e.pages import another_browser, no_horizontal_overflow, screenshot
from tests.e2e.test_match_journey import log_in
from tests.spreadsheets import only_sheet, sheet_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bangkok_day(bangkok_centre):
    event = past_bangkok_roadshow(bangkok_centre, name="Smart City Roadshow Bangkok")
    table, meeting = meeting_at_t01(
        event,
        factories.CompanyFactory(name_en="Hanbit Smart Parking"),
        factories.BuyerOrganisationFactory(name="Bangkok Parking Office", city=bangkok_centre.city),
    )
    factories.MouFactory(
        meeting=factories.MeetingFactory(slot=slot_at(event, 10), status="held")
    )  # an earlier one
    return event, table, meeting


def _dashboard_mous(page, live_server):
    page.goto(f"{live_server.url}/dashboard/")
    return page.locator("dl.figures dd").nth(6)


def test_staff_record_an_mou_the_admin_reviews_it_and_the_dashboard_counts_it(
    page, browser, live_server, centre_staff, bangkok_day
):
    event, table, meeting = bangkok_day
    log_in(page, live_server, "centre_staff")
    expect(_dashboard_mous(page, live_server)).to_have_text("1")

    page.goto(f"{live_server.url}/events/{event.pk}/log/?table={table.pk}")
    row = page.locator("section.card", has_text="Hanbit Smart Parking")
    row.get_by_label("Attendance").select_option("held")
    row.get_by_label("Interest").select_option("high")
    row.get_by_label("Next step").select_option("mou")
    row.get_by_label("Estimated value (USD)").fill("480000")
    row.get_by_label("MOU signed", exact=True).check()
    row.get_by_label("MOU signed on").fill("2022-10-06")
    row.get_by_role("button", name="Save").click()
    saved = page.locator("main .alert-success")
    expect(saved).to_contain_text("Saved: T01 · 09:30 · Hanbit Smart Parking – ")
    empty_cache()  # the dashboard's figures are cached for PAGE_CACHE_SECONDS
    expect(_dashboard_mous(page, live_server)).to_have_text("2")
    with page.expect_download() as download:
        page.get_by_role("link", name="Meetings as Excel").click()
    assert download.value.suggested_filename == "meetings.xlsx"
    sheet = only_sheet(download.value.path().read_bytes())
    rows = {row["Korean company"].value: row for row in sheet_rows(sheet)}
    hanbit = rows["Hanbit Smart Parking"]
    assert (hanbit["Estimated value (USD)"].value, hanbit["MOU signed"].value) == (480000, "Yes")
    assert (hanbit["Next step"].value, hanbit["Interest"].value) == ("MOU", "High")
    screenshot(page, "dashboard-desktop.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()  # the charts size themselves when the page loads, not on every resize at once
    no_horizontal_overflow(page)
    screenshot(page, "dashboard-phone.png")

    factories.AdminFactory(username="results-admin")
    with another_browser(browser) as admin_page:
        admin_page.goto(f"{live_server.url}/admin/")
        admin_page.fill("#id_username", "results-admin")
        admin_page.fill("#id_password", factories.PASSWORD)
        admin_page.locator("input[type=submit]").click()
        admin_page.goto(f"{live_server.url}/admin/consultations/mou/?reviewed=no")
        new_row = admin_page.locator("#result_list tbody tr", has_text="Hanbit Smart Parking")
        new_row.locator("input.action-select").check()
        admin_page.select_option("select[name=action]", "mark_reviewed")
        admin_page.locator("button[name=index]").click()
        expect(admin_page.locator("ul.messagelist")).to_contain_text("1 MOU marked reviewed.")

    mou = Mou.objects.get(meeting=meeting)
    assert (mou.status, mou.signed_on, mou.reviewed_by.username) == (
        "signed",
        dt.date(2022, 10, 6),
        "results-admin",
    )
    assert [h.history_user.username for h in mou.history.order_by("history_date")] == [
        "centre_staff",
        "results-admin",
    ]
    assert Meeting.objects.get(pk=meeting.pk).status == "held"
