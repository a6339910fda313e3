"""An administrator logs in through the admin form and narrows the meetings list to one roadshow."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _roadshow(centre, name, start, companies, buyers):
    """An event at `centre` with one in-person meeting per (company, buyer) pair, in consecutive slots."""
    event = factories.EventFactory(
        name=name, city=centre.city, organising_centre=centre, start_date=start, end_date=start
    )
    meetings = []
    for company_name, buyer_name in zip(companies, buyers, strict=True):
        meetings.append(
            factories.MeetingFactory(
                slot=factories.TimeSlotFactory(event=event),
                sme=factories.SmeRegistrationFactory(
                    event=event, company=factories.CompanyFactory(name_en=company_name)
                ),
                buyer=factories.BuyerRegistrationFactory(
                    event=event, buyer=factories.BuyerOrganisationFactory(name=buyer_name, city=centre.city)
                ),
            )
        )
    return event, meetings


@pytest.fixture
def roadshows(bangkok_centre, istanbul_centre):
    bangkok = _roadshow(
        bangkok_centre,
        "Bangkok Smart City Roadshow 2022",
        dt.date(2022, 10, 6),
        ["Seoul Traffic Systems", "Daejeon Flood Sensing", "Incheon Smart Parking"],
        ["Bangkok Metropolitan Administration", "Khon Kaen City", "Phuket City Development"],
    )
    istanbul = _roadshow(
        istanbul_centre,
        "Istanbul Smart City Roadshow 2023",
        dt.date(2023, 5, 16),
        ["Busan Water Tech", "Gwangju Energy Grid"],
        ["Istanbul Metropolitan Municipality", "Gaziantep Municipality"],
    )
    return {"bangkok": bangkok, "istanbul": istanbul}


def test_admin_filters_the_meetings_list_to_the_bangkok_roadshow(page, live_server, roadshows):
    factories.AdminFactory(username="roadshow-admin")
    bangkok_event, bangkok_meetings = roadshows["bangkok"]

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "roadshow-admin")
    page.fill("#id_password", factories.PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("roadshow-admin")

    page.goto(f"{live_server.url}/admin/consultations/meeting/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(5)

    event_filter = page.locator('#changelist-filter details[data-filter-title="event"]')
    expect(event_filter.locator("summary")).to_have_text("By event")
    event_filter.get_by_role("link", name="Bangkok Smart City Roadshow 2022", exact=True).click()

    page.wait_for_url(f"**/admin/consultations/meeting/?slot__event__id__exact={bangkok_event.pk}")
    expect(rows).to_have_count(len(bangkok_meetings))
    results = page.locator("#result_list")
    for name in ["Seoul Traffic Systems", "Daejeon Flood Sensing", "Incheon Smart Parking", "Khon Kaen City"]:
        expect(results).to_contain_text(name)
    for name in ["Busan Water Tech", "Gwangju Energy Grid", "Istanbul Metropolitan Municipality"]:
        expect(results).not_to_contain_text(name)
    expect(event_filter.locator("li.selected")).to_have_text("Bangkok Smart City Roadshow 2022")
