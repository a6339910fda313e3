"""Bangkok's staff open the results dashboard on the demo data and download the ministry's report of their
roadshow: its PDF says the press release's figures. Screenshots of the dashboard with the report's links."""

import io

import pypdfium2
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.pages import no_horizontal_overflow, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "demo-portal-2022"


def test_bangkok_staff_download_the_ministrys_report_and_it_says_the_seeds_figures(page, live_server):
    call_command("seed_demo", stdout=io.StringIO())
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "staff-bangkok")
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/accounts/")

    page.goto(f"{live_server.url}/dashboard/")
    reports = page.locator("section[aria-labelledby=ministry-report-heading]")
    expect(reports).to_contain_text("Roadshows of 2022")
    row = page.locator("tbody tr", has_text="Smart City Roadshow Bangkok 2022")
    with page.expect_download() as download:
        row.get_by_role("link", name="PDF English").click()

    assert download.value.suggested_filename == "ministry-report-bangkok-2022-en.pdf"
    document = pypdfium2.PdfDocument(download.value.path().read_bytes())
    text = " ".join(" ".join(p.get_textpage().get_text_range() for p in document).split())
    document.close()
    assert "12 Korean SMEs and 26 foreign participants held 80 consultations (78 held, 2 no-shows)" in text
    assert "and signed 4 MOUs" in text
    screenshot(page, "ministry-report-dashboard-1366.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    no_horizontal_overflow(page)
    screenshot(page, "ministry-report-dashboard-390.png")
