"""On a laptop (1366 x 768) an administrator sees each meeting's, outcome's and MOU's attendance, interest,
next step and reviewer without scrolling sideways, with realistic (long) names in the rows."""

import datetime as dt

import pytest

from matching.consultations.outcomes.models import Mou, Outcome
from tests import factories
from tests.consultations.conftest import past_bangkok_roadshow
from tests.e2e.pages import browser_session, no_horizontal_overflow, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
REVIEWED_AT = dt.datetime(2022, 10, 8, 2, 0, tzinfo=dt.UTC)
PAIRS = [
    ("Hanbit Smart Parking Solutions Co., Ltd.", "Bangkok Metropolitan Administration"),
    ("Daejeon Flood Sensing and Early Warning", "Khon Kaen City Municipality"),
    ("Incheon Intelligent Transport Systems", "Phuket City Development Company"),
]


@pytest.fixture
def reviewed_roadshow(bangkok_centre):
    reviewer = factories.AdminFactory(username="review-admin", first_name="Soo-ah", last_name="Park")
    event = past_bangkok_roadshow(bangkok_centre, name="Smart City Roadshow Bangkok 2022")
    for n, (company, buyer) in enumerate(PAIRS):
        meeting = factories.MeetingFactory(
            slot=factories.TimeSlotFactory(
                event=event, starts_at=dt.datetime(2022, 10, 6, 2 + n, 30, tzinfo=dt.UTC)
            ),
            table=factories.TableFactory(event=event, name=f"Table {n + 1}"),
            sme=factories.SmeRegistrationFactory(
                event=event, company=factories.CompanyFactory(name_en=company)
            ),
            buyer=factories.BuyerRegistrationFactory(
                event=event, buyer=factories.BuyerOrganisationFactory(name=buyer)
            ),
            status="held",
        )
        outcome = factories.OutcomeFactory(meeting=meeting, next_step=Outcome.NextStep.PILOT_PROPOSAL)
        mou = factories.MouFactory(meeting=meeting, title=f"Smart city technical cooperation with {buyer}")
        Outcome.objects.filter(pk=outcome.pk).update(
            reviewed_by=reviewer, reviewed_at=dt.datetime.now(dt.UTC)
        )
        Mou.objects.filter(pk=mou.pk).update(reviewed_by=reviewer, reviewed_at=dt.datetime.now(dt.UTC))
    return reviewer


def _right_edge(page, selector):
    return page.evaluate(f"document.querySelector('{selector}').getBoundingClientRect().right")


@pytest.mark.parametrize(
    ("path", "columns"),
    [
        ("meeting", ["attendance", "interest", "next_step", "reviewer"]),
        ("outcome", ["attendance", "interest", "next_step", "reviewer"]),
        ("mou", ["signed_by", "reviewer"]),
    ],
)
def test_a_review_list_fits_a_laptop_screen(browser, live_server, reviewed_roadshow, path, columns):
    with browser_session(browser, width=LAPTOP["width"], height=LAPTOP["height"]) as page:
        page.goto(f"{live_server.url}/admin/login/?next=/admin/consultations/{path}/")
        page.fill("#id_username", "review-admin")
        page.fill("#id_password", factories.PASSWORD)
        page.locator("input[type=submit]").click()
        page.wait_for_url(f"**/admin/consultations/{path}/")

        screenshot(page, f"admin-{path}-laptop.png")
        no_horizontal_overflow(page)
        widths = page.evaluate(
            "(r => [r.scrollWidth, r.clientWidth])(document.querySelector('#changelist-form .results'))"
        )
        assert widths[0] <= widths[1], f"the list is {widths[0]}px wide in its {widths[1]}px"
        for column in columns:
            assert _right_edge(page, f"#result_list th.column-{column}") <= LAPTOP["width"], column
        assert page.locator("#result_list td.field-reviewer").first.inner_text() == "Soo-ah Park"
