"""Tests of the match recommendation pages, and the hand-built flood case they share with the
consultations and browser tests.

The case: Khon Kaen asks for flood early warning (category disaster-response, ISO 9001 required,
USD 250,000 – 1 million, a pilot, Thai spoken); "Hanriver Flood Alert" fits on every count, a
decoy only shares the category.
"""

import html
import re
from types import SimpleNamespace

from django.test import Client

from matching.companies.models import Solution
from matching.demands.models import Demand
from matching.kernel.models import ApprovalStatus, BudgetBand
from matching.recommendations.selectors import _Held
from tests import factories

FLOOD_TITLE = "Flood early warning for Khon Kaen"
FLOOD_PROBLEM = "Flash floods reach the night market before anyone is warned."
FLOOD_SOLUTION_PROBLEM = "River towns flood with no warning: our sirens give flood early warning."

# The sentences the strong fit earns for the flood listing, strongest first: the listing's problem, in its
# own words, beside the solution that answers it.
FLOOD_PROBLEM_MATCHED = "Problem matched: “Flood early warning for Khon Kaen” ↔ “Flood siren network”"
FLOOD_REASONS = [
    FLOOD_PROBLEM_MATCHED,
    "Works in Disaster response",
    "Offers support in Thai",
    "Reference deployment in Thailand (Chonburi, 2021)",
    "Holds the certification the buyer asks for: ISO 9001 quality management",
    "Typical project size fits the budget (USD 250,000 – 1 million)",
    "Readiness (Deployed abroad) suits the procurement (Pilot project)",
]
DECOY_REASONS = [
    "Works in Disaster response",
    "Readiness (Commercially deployed in Korea) suits the procurement (Pilot project)",
]


def reset_match_index():
    """Forget the index this process holds. Builds live in the database, so a test never sees another's;
    this keeps the process's memory from carrying one test's index into the next."""
    _Held.build = (None, None)


def vocabulary():
    """Categories, the ISO 9001 certification, Thai and English, Thailand and Chonburi (get-or-create)."""
    thailand = factories.CountryFactory(iso_code="TH", name_en="Thailand", name_ko="태국")
    return SimpleNamespace(
        disaster=factories.CategoryFactory(
            slug="disaster-response", name_en="Disaster response", name_ko="재난 대응"
        ),
        traffic=factories.CategoryFactory(
            slug="smart-traffic", name_en="Smart traffic", name_ko="스마트 교통"
        ),
        iso=factories.CertificationFactory(
            code="iso-9001", name_en="ISO 9001 quality management", name_ko="ISO 9001 품질경영"
        ),
        thai=factories.LanguageFactory(code="th", name_en="Thai", name_ko="태국어"),
        english=factories.LanguageFactory(code="en", name_en="English", name_ko="영어"),
        thailand=thailand,
        chonburi=factories.CityFactory(
            country=thailand, name_en="Chonburi", name_ko="촌부리", time_zone="Asia/Bangkok"
        ),
    )


def flood_listing(buyer_organisation, words, **fields):
    """An open flood-warning listing of the buyer, who works in Thai."""
    buyer_organisation.languages.add(words.thai)
    values = {
        "buyer": buyer_organisation,
        "title": FLOOD_TITLE,
        "problem": FLOOD_PROBLEM,
        "categories": [words.disaster],
        "required_certifications": [words.iso],
        "budget_band": BudgetBand.FROM_250K,
        "procurement_type": Demand.ProcurementType.PILOT,
        "published": True,
    }
    return factories.DemandFactory(**(values | fields))


def add_flood_solution(company, words, name_en="Flood siren network", name_ko="홍수 사이렌망"):
    """Give a company a solution that fits the flood listing, exported and with a reference in Chonburi."""
    solution = factories.SolutionFactory(
        company=company,
        name_en=name_en,
        name_ko=name_ko,
        problem_solved=FLOOD_SOLUTION_PROBLEM,
        categories=[words.disaster],
        readiness=Solution.Readiness.EXPORTED,
        price_band=BudgetBand.FROM_250K,
    )
    factories.ReferenceDeploymentFactory(solution=solution, city=words.chonburi, year=2021)
    return solution


def flood_company(words, name_en="Hanriver Flood Alert", name_ko="한강홍수경보", **fields):
    """A company that fits the flood listing on every count (approved unless told otherwise)."""
    company = factories.CompanyFactory(
        name_en=name_en,
        name_ko=name_ko,
        support_languages=[words.thai],
        certifications=[words.iso],
        **fields,
    )
    add_flood_solution(company, words)
    return company


def decoy_company(words, name_en="Decoy Drone Works", name_ko="디코이드론"):
    """A company that only shares the listing's category: relevant, but a weak fit."""
    company = factories.CompanyFactory(name_en=name_en, name_ko=name_ko)
    factories.SolutionFactory(
        company=company,
        name_en="Wildfire smoke drones",
        name_ko="산불 연기 드론",
        problem_solved="Smoke hides hillside fires from the lookout towers.",
        categories=[words.disaster],
        readiness=Solution.Readiness.COMMERCIAL,
    )
    return company


def traffic_company(words, name_en="Seoul Traffic Systems", **fields):
    """A company that fits nothing in the flood listing (another category, other words)."""
    company = factories.CompanyFactory(name_en=name_en, **fields)
    factories.SolutionFactory(
        company=company,
        name_en="Adaptive signal control",
        name_ko="적응형 신호 제어",
        problem_solved="Junctions jam at rush hour.",
        categories=[words.traffic],
    )
    return company


def pending(**fields):
    return {"approval_status": ApprovalStatus.PENDING} | fields


# ---------------------------------------------------------------- reading the pages
_CARD = re.compile(r'<article class="[^"]*\bmatch-card\b[^"]*">(.*?)</article>', re.S)
_HEADING_LINK = re.compile(r"<h2[^>]*>.*?<a [^>]*>(.*?)</a>.*?</h2>", re.S)
_REASON = re.compile(r"<li>(.*?)</li>", re.S)
_TAG = re.compile(r"<[^>]+>")


def text_of(fragment):
    """The visible text of an HTML fragment, white space collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def card_fragments(response):
    """[(company or listing name, the card's HTML)] of a matches page, in the page's order."""
    assert response.status_code == 200
    return [
        (text_of(_HEADING_LINK.search(card).group(1)), card)
        for card in _CARD.findall(response.content.decode())
    ]


def match_cards(response):
    """[(company or listing name, [reason sentences])] of a matches page, in the page's order."""
    cards = []
    for name, card in card_fragments(response):
        reasons = card[card.index('class="match-reasons') :]
        cards.append((name, [text_of(reason) for reason in _REASON.findall(reasons)]))
    return cards


def summaries(response):
    """The one-line score summary of each card of a matches page, in the page's order."""
    found = []
    for _, card in card_fragments(response):
        summary = card[card.index('class="match-summary') :].split(">", 1)[1]
        found.append(text_of(summary[: summary.index("</p>")]))
    return found


def card_names(response):
    return [name for name, _ in match_cards(response)]


def dashboard_section(response, heading_id):
    """The visible text of the /accounts/ card labelled by `heading_id`, or None when it is not shown."""
    assert response.status_code == 200
    content = response.content.decode()
    marker = f'aria-labelledby="{heading_id}"'
    if marker not in content:
        return None
    start = content.index(marker)
    return text_of(content[start : content.index("</section>", start)].split(">", 1)[1])


def logged_in(user):
    """A client of its own logged in as `user`, for a test that needs two sides at once."""
    client = Client()
    client.force_login(user)
    return client
