"""From a company's page to an agreed online meeting, in Chromium: a Thai buyer asks a Korean company
for an online meeting at two proposed times; the company sees the request in its inbox, accepts one
time, and the two write to each other; contact details appear only once the request is accepted.
Screenshots at 1366 and 390 px wide."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from matching.companies.models import Company
from tests import factories
from tests.e2e.pages import another_browser, browser_session, no_horizontal_overflow, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTACT = "sales@seoul-traffic.example"


@pytest.fixture
def pair(sme_owner, buyer):
    korea = factories.CountryFactory(iso_code="KR", name_en="Korea", name_ko="한국")
    seoul = factories.CityFactory(country=korea, name_en="Seoul", name_ko="서울", time_zone="Asia/Seoul")
    Company.objects.filter(pk=sme_owner.company_id).update(headquarters=seoul, contact_email=CONTACT)
    buyer.time_zone = "Asia/Bangkok"
    buyer.save()
    return Company.objects.get(pk=sme_owner.company_id), buyer.buyer_organisation


def _log_in(page, url, username):
    page.goto(f"{url}/accounts/login/?next=/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_a_buyer_requests_an_online_meeting_and_the_company_accepts_a_time(browser, live_server, pair):
    company, _organisation = pair
    day = timezone.localdate() + dt.timedelta(days=10)
    with browser_session(browser, width=1366) as buyer_tab:
        _log_in(buyer_tab, live_server.url, "buyer")
        buyer_tab.goto(f"{live_server.url}/companies/{company.pk}/")
        expect(buyer_tab.get_by_text(CONTACT)).to_have_count(0)
        buyer_tab.get_by_role("link", name="Request a meeting").click()
        expect(buyer_tab.get_by_label("Online meeting")).to_be_checked()
        buyer_tab.get_by_label("Your message").fill("We would like to see your flood sensors <b>online</b>.")
        buyer_tab.get_by_label("Proposed time 1").fill(f"{day:%Y-%m-%d}T10:00")
        buyer_tab.get_by_label("Proposed time 2").fill(f"{day:%Y-%m-%d}T15:00")
        screenshot(buyer_tab, "partner-request-form-1366.png")
        buyer_tab.get_by_role("button", name="Send the request").click()
        expect(buyer_tab.locator("main .alert-success")).to_contain_text("Your request is sent")
        expect(buyer_tab.locator("h1 .badge")).to_have_text("Awaiting answer")
        expect(buyer_tab.get_by_text(f"{day:%Y-%m-%d} 10:00 (Asia/Bangkok)")).to_be_visible()

        with another_browser(browser) as company_tab:
            company_tab.set_viewport_size({"width": 1366, "height": 900})
            _log_in(company_tab, live_server.url, "sme_owner")
            expect(company_tab.locator("#inbox-count")).to_have_text("1 waiting for you")
            company_tab.get_by_role("link", name="Inbox").click()
            company_tab.locator("main .list-group a").first.click()
            expect(company_tab.locator(".request-message")).to_have_text(
                "We would like to see your flood sensors <b>online</b>."
            )
            company_tab.get_by_label("Accept").check()
            company_tab.get_by_label(
                f"{day:%Y-%m-%d} 12:00 (Asia/Seoul) · {day:%Y-%m-%d} 10:00 (Asia/Bangkok)"
            ).check()
            screenshot(company_tab, "partner-request-answer-1366.png")
            company_tab.get_by_role("button", name="Send the answer").click()
            expect(company_tab.locator("h1 .badge")).to_have_text("Accepted")
            expect(company_tab.get_by_role("link", name="Add to calendar (.ics)")).to_be_visible()
            company_tab.get_by_role("link", name="Open the conversation").click()
            company_tab.get_by_label("Your message").fill("Welcome! Tuesday 10:00 suits us.")
            company_tab.get_by_role("button", name="Send").click()
            expect(company_tab.locator(".conversation-message")).to_have_count(2)

        buyer_tab.reload()
        expect(buyer_tab.locator("h1 .badge")).to_have_text("Accepted")
        expect(buyer_tab.get_by_text(CONTACT)).to_be_visible()

    with browser_session(browser, width=390, height=844) as phone:
        _log_in(phone, live_server.url, "buyer")
        expect(phone.locator("#inbox-count")).to_have_text("1 waiting for you")
        phone.goto(f"{live_server.url}/partners/messages/")
        phone.locator("main .list-group a").first.click()
        expect(phone.get_by_text("Welcome! Tuesday 10:00 suits us.")).to_be_visible()
        no_horizontal_overflow(phone)
        screenshot(phone, "partner-conversation-390.png")
        phone.goto(f"{live_server.url}/partners/")
        no_horizontal_overflow(phone)
        screenshot(phone, "partner-requests-390.png")
