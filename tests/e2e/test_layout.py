"""The portal on a phone (390 px wide) and on a laptop (1366 px), in Chromium.

On a phone the roadshow pages people read on the go (an agenda, the participants, the suggested meetings,
the event's tabs) fit the screen: no page and no table or tab bar in it scrolls sideways. On a laptop the
menu of every role stays on one line. The sign-up page opens at its title, and the example business
number it shows passes its own check. Each page is kept as a screenshot at both sizes (screenshots/).
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from matching.companies.validators import is_valid_brn
from matching.consultations.booking.models import Meeting
from matching.consultations.events.models import Registration
from tests import factories
from tests.e2e.pages import browser_session, screenshot
from tests.e2e.test_accessibility import axe_installed, log_in, serious_violations  # noqa: F401
from tests.recommendations import decoy_company, flood_company, flood_listing, vocabulary
from tests.recommendations.conftest import _fresh_index  # noqa: F401 (fixtures)
from tests.roles import ANON, ROLES
from tests.test_permission_matrix import world  # noqa: F401 (the matrix's users of every role)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}

# What scrolls sideways on the page: the page itself, and any element whose content is wider than its box
# and that lets it scroll (a .table-responsive, a tab bar).
SIDEWAYS = """() => {
  const page = document.documentElement;
  const wide = [...document.querySelectorAll("body *")].filter((element) => {
    const overflow = getComputedStyle(element).overflowX;
    return (overflow === "auto" || overflow === "scroll") && element.scrollWidth > element.clientWidth + 1;
  }).map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join(".")}`
    + ` (${element.scrollWidth}px in ${element.clientWidth}px)`);
  return {page: page.scrollWidth, wide};
}"""


@pytest.fixture
def roadshow(bangkok_centre, centre_staff, sme_owner, buyer):
    """An upcoming Bangkok roadshow as a phone shows it: Seoul Traffic Systems (whose member reads in Seoul
    time) meets three buyers, one online and one with an interpreter; five organisations are registered,
    one still pending; Khon Kaen's flood listing makes the suggestions."""
    words = vocabulary()
    english, korean, thai = (
        factories.LanguageFactory(code=code, name_en=name_en, name_ko=name_ko)
        for code, name_en, name_ko in [
            ("en", "English", "영어"),
            ("ko", "Korean", "한국어"),
            ("th", "Thai", "태국어"),
        ]
    )
    event = factories.EventFactory(
        name="Bangkok Smart City Roadshow 2027: Mobility, Water and Public Safety",
        city=bangkok_centre.city,
        organising_centre=bangkok_centre,
        start_date=timezone.localdate() + dt.timedelta(days=30),
    )
    sme_owner.time_zone = "Asia/Seoul"
    sme_owner.save(update_fields=["time_zone"])
    flood_listing(buyer.buyer_organisation, words)
    sme = factories.SmeRegistrationFactory(
        event=event, company=sme_owner.company, languages=[english, korean], needs_interpreter=True
    )
    factories.SmeRegistrationFactory(event=event, company=flood_company(words), languages=[english, korean])
    factories.SmeRegistrationFactory(
        event=event, company=decoy_company(words), status=Registration.Status.PENDING
    )
    buyers = [
        factories.BuyerRegistrationFactory(
            event=event, buyer=buyer.buyer_organisation, languages=[thai, english]
        ),
        *(
            factories.BuyerRegistrationFactory(
                event=event,
                languages=[thai],
                buyer=factories.BuyerOrganisationFactory(name=name, city=buyer.buyer_organisation.city),
            )
            for name in [
                "Bangkok Metropolitan Administration, Department of Traffic and Transportation",
                "Nonthaburi City Municipality",
            ]
        ),
    ]
    interpreter = factories.InterpreterFactory(event=event, name="Park So-yeon", languages=[korean, thai])
    for n, other in enumerate(buyers):
        online = n == 2
        factories.MeetingFactory(
            slot=factories.TimeSlotFactory(event=event),
            sme=sme,
            buyer=other,
            table=None if online else factories.TableFactory(event=event, name=f"T0{n + 1}"),
            mode=Meeting.Mode.ONLINE if online else Meeting.Mode.IN_PERSON,
            online_link="https://meet.example/bangkok-2027" if online else "",
            interpreter=interpreter if n == 0 else None,
        )
    return {"event": event, "sme": sme}


def sideways(page):
    return page.evaluate(SIDEWAYS)


def test_roadshow_pages_read_on_a_phone_without_sideways_scrolling(
    browser, live_server, roadshow, sme_owner, centre_staff, axe_installed
):
    event, agenda = roadshow["event"].pk, reverse("consultations:agenda", args=[roadshow["sme"].pk])
    pages = {
        sme_owner: {"agenda": agenda},
        centre_staff: {
            "event": reverse("consultations:detail", args=[event]),
            "participants": reverse("consultations:registrations", args=[event]),
            "suggestions": reverse("consultations:suggestions", args=[event]),
            "interpreters": reverse("consultations:interpreters", args=[event]),
            "consultation-log": reverse("consultations:log", args=[event]),
            "agenda-staff": agenda,
        },
    }
    found = {}
    for user, urls in pages.items():
        for size, viewport in [("phone", PHONE), ("laptop", LAPTOP)]:
            with browser_session(browser, width=viewport["width"], height=viewport["height"]) as page:
                page.add_init_script(path=str(axe_installed))
                log_in(page.context, live_server, user)
                for name, url in urls.items():
                    page.goto(live_server.url + url)
                    screenshot(page, f"{name}-{size}.png")
                    if size == "phone":
                        found[name] = sideways(page)
                        found[f"{name} (axe)"] = serious_violations(page)

    assert found == {
        **{name: {"page": PHONE["width"], "wide": []} for urls in pages.values() for name in urls},
        **{f"{name} (axe)": [] for urls in pages.values() for name in urls},
    }


def test_a_phone_shows_the_agenda_as_cards_with_the_times_in_both_zones(
    browser, live_server, roadshow, sme_owner
):
    with browser_session(browser, width=PHONE["width"], height=PHONE["height"]) as page:
        log_in(page.context, live_server, sme_owner)
        page.goto(live_server.url + reverse("consultations:agenda", args=[roadshow["sme"].pk]))

        rows = page.locator("table.agenda-table tbody tr")
        expect(rows).to_have_count(3)
        # Each row a card whose cells say what they are, under a header row only screen readers get:
        # to them it is still a table.
        expect(rows.first).to_match_aria_snapshot(
            r"""
            - row:
              - 'cell /Event time: \d\d:\d\d–\d\d:\d\d .+/'
              - 'cell /Your time: \d\d:\d\d–\d\d:\d\d .+/'
              - cell "Khon Kaen City Municipality"
              - cell "In person Table T01"
              - 'cell "Interpreter: Park So-yeon"'
              - cell "Reschedule or cancel .ics"
            """
        )
        assert page.locator("table.agenda-table thead").bounding_box()["height"] <= 1
        assert rows.first.bounding_box()["width"] <= PHONE["width"]


def test_figures_are_cards_of_a_term_and_its_value_two_abreast_on_a_phone_a_row_on_a_laptop(
    browser, live_server, roadshow, centre_staff
):
    pages = {
        "home": "/",
        "dashboard": reverse("dashboard"),
        "event": reverse("consultations:detail", args=[roadshow["event"].pk]),
    }
    columns, cards = {}, {}
    for size, viewport in [("phone", PHONE), ("laptop", LAPTOP)]:
        with browser_session(browser, width=viewport["width"], height=viewport["height"]) as page:
            log_in(page.context, live_server, centre_staff)
            for name, url in pages.items():
                page.goto(live_server.url + url)
                figures = page.locator("dl.figures > *")
                cards[name] = figures.evaluate_all(
                    "cards => cards.map((card) => [card.className,"
                    " ...[...card.children].map((child) => child.tagName)])"
                )
                columns[f"{name} on a {size}"] = len(
                    set(
                        figures.evaluate_all(
                            "cards => cards.map((card) => card.getBoundingClientRect().left)"
                        )
                    )
                )
                if name != "event":  # test_roadshow_pages_read_on_a_phone_... keeps it
                    screenshot(page, f"{name}-{size}.png")

    # Each card is the <dl>'s own <div> around one term and its value (HTML allows no other wrapper).
    assert cards == {
        name: [["figure-card", "DT", "DD"]] * count
        for name, count in [("home", 4), ("dashboard", 8), ("event", 5)]
    }
    assert columns == {
        "home on a phone": 2,
        "dashboard on a phone": 2,
        "event on a phone": 2,
        "home on a laptop": 2,
        "dashboard on a laptop": 4,
        "event on a laptop": 5,  # its five figures in one row
    }


def test_the_menu_of_every_role_fits_one_line_on_a_laptop(browser, live_server, world):
    heights, tops = {}, {}
    for role in ROLES:
        with browser_session(browser, width=LAPTOP["width"], height=LAPTOP["height"]) as page:
            if role != ANON:
                log_in(page.context, live_server, world["users"][role])
            page.goto(live_server.url + "/")
            navigation = page.locator("nav.navbar")
            heights[role] = navigation.bounding_box()["height"]
            # Every link, the language switch and the account menu start on the same line.
            tops[role] = sorted(
                set(
                    navigation.locator(
                        ".navbar-brand, .navbar-collapse .nav-link, .navbar-collapse .btn"
                    ).evaluate_all(
                        "items => items.map((item) => Math.round(item.getBoundingClientRect().top"
                        " + item.getBoundingClientRect().height / 2))"
                    )
                )
            )
            screenshot(page, f"menu-{role}-laptop.png")

    one_line = heights[ANON]
    assert one_line < 64
    assert heights == dict.fromkeys(ROLES, one_line)
    assert {role: len(centres) for role, centres in tops.items()} == dict.fromkeys(ROLES, 1), tops


@pytest.mark.parametrize(("size", "viewport"), [("laptop", LAPTOP), ("phone", PHONE)])
def test_sign_up_opens_at_its_title_and_its_example_number_passes_the_check(
    browser, live_server, size, viewport
):
    with browser_session(browser, width=viewport["width"], height=viewport["height"]) as page:
        page.goto(live_server.url + reverse("accounts:signup"))
        page.wait_for_load_state("load")

        expect(page.locator("h1")).to_have_text("Register your organisation")
        expect(page.locator("h1")).to_be_in_viewport()
        assert page.evaluate("[window.scrollY, document.activeElement === document.body]") == [0, True]
        help_text = page.locator("#id_company-business_registration_number_helptext").text_content()
        examples = re.findall(r"[0-9]{3}-[0-9]{2}-[0-9]{5}", help_text)
        assert examples == ["123-45-67891"]
        assert is_valid_brn(examples[0])
        screenshot(page, f"sign-up-{size}.png")
