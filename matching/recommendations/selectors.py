"""Match recommendations from the database: profiles for the scoring core, a cached index, labelled rows.

The index is rebuilt whenever the data it was built from changed, so an edited profile or listing
shows in the next page view, in every server process. The stamp read on every call is the
IndexVersion counter (bumped on commit of any change, see signals.py) plus row counts and latest
edit times (which also catch bulk writes that send no signals, such as seed_demo).
"""

import threading
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch

from matching.companies.models import Company, ReferenceDeployment, Solution
from matching.demands.models import BuyerOrganisation, Demand
from matching.geo.models import City, Language
from matching.kernel.models import ApprovalStatus, Category, Certification
from matching.recommendations.models import IndexVersion
from matching.recommendations.reasons import describe
from matching.scoring import DemandProfile, MatchIndex, Reference, SolutionProfile

# Every model whose rows feed the profiles; each has updated_at.
SOURCES = (Company, Solution, ReferenceDeployment, BuyerOrganisation, Demand)


def data_stamp():
    """The index version and (row count, latest edit) of every source table."""
    stamp = [IndexVersion.objects.filter(pk=1).values_list("counter", flat=True).first()]
    for model in SOURCES:
        figures = model.objects.aggregate(rows=Count("pk"), latest=Max("updated_at"))
        stamp.append((figures["rows"], figures["latest"]))
    return tuple(stamp)


def solution_profiles():
    references = ReferenceDeployment.objects.select_related("city__country")
    solutions = (
        Solution.objects.filter(company__approval_status=ApprovalStatus.APPROVED)
        .select_related("company")
        .prefetch_related(
            "categories",
            Prefetch("references", queryset=references),
            "company__support_languages",
            "company__certifications",
        )
    )
    for solution in solutions:
        company = solution.company
        yield SolutionProfile(
            solution_id=solution.pk,
            company_id=company.pk,
            categories=frozenset(category.slug for category in solution.categories.all()),
            text="\n".join(
                [solution.name_en, solution.name_ko, solution.problem_solved, solution.description]
            ),
            references=tuple(
                Reference(city_id=ref.city_id, country=ref.city.country.iso_code, year=ref.year)
                for ref in solution.references.all()
            ),
            languages=frozenset(language.code for language in company.support_languages.all()),
            certifications=frozenset(cert.code for cert in company.certifications.all()),
            price_band=solution.price_band,
            readiness=solution.readiness,
        )


def demand_profiles():
    demands = (
        Demand.objects.open()
        .filter(buyer__approval_status=ApprovalStatus.APPROVED)
        .select_related("city__country", "buyer")
        .prefetch_related("categories", "required_certifications", "buyer__languages")
    )
    for demand in demands:
        yield DemandProfile(
            demand_id=demand.pk,
            categories=frozenset(category.slug for category in demand.categories.all()),
            text=f"{demand.title}\n{demand.problem}",
            city_id=demand.city_id,
            country=demand.city.country.iso_code,
            languages=frozenset(language.code for language in demand.buyer.languages.all()),
            required_certifications=frozenset(cert.code for cert in demand.required_certifications.all()),
            budget_band=demand.budget_band,
            procurement_type=demand.procurement_type,
        )


class _IndexCache:
    lock = threading.Lock()
    stamp = None
    index = None


def match_index():
    """The MatchIndex of approved companies' solutions and open listings, rebuilt when stale."""
    stamp = data_stamp()
    with _IndexCache.lock:
        if _IndexCache.stamp != stamp:
            _IndexCache.index = MatchIndex(list(solution_profiles()), list(demand_profiles()))
            _IndexCache.stamp = stamp
        return _IndexCache.index


@dataclass
class MatchRow:
    """One recommendation ready for a template: the objects, the score and the reasons' data."""

    company: Company
    solution: Solution
    demand: Demand
    score: float
    reasons: list
    # (event, SME registration, buyer registration) where staff can ask for this meeting, if any.
    meeting_at: tuple | None = None


class Labels:
    """Names for the ids and codes the scoring core's reasons carry, loaded in one query per kind."""

    def __init__(self):
        self.categories = {c.slug: c for c in Category.objects.all()}
        self.certifications = {c.code: c for c in Certification.objects.all()}
        self.languages = {language.code: language for language in Language.objects.all()}
        self.cities = {}

    def load_cities(self, matches):
        ids = {
            reason.detail[0]
            for match in matches
            for reason in match.reasons
            if reason.kind in {"reference_city", "reference_country"}
        }
        self.cities = City.objects.select_related("country").in_bulk(ids)


def _rows(matches, companies, solutions, demands):
    labels = Labels()
    labels.load_cities(matches)
    return [
        MatchRow(
            company=companies[match.company_id],
            solution=solutions[match.solution_id],
            demand=demands[match.demand_id],
            score=match.score,
            reasons=[describe(reason, labels) for reason in match.reasons],
        )
        for match in matches
    ]


def companies_for_demand(demand, k=10):
    """The best-fitting approved companies for an open listing, with their best solution and reasons."""
    return companies_for_demands([demand], k=k)[demand.pk]


def companies_for_demands(demands, k=10):
    """{listing id: its best-fitting companies' rows} for several listings, with one index lookup."""
    index = match_index()
    matches = {demand.pk: index.top_companies_for_demand(demand.pk, k=k) for demand in demands}
    found = [match for ranked in matches.values() for match in ranked]
    companies = Company.objects.in_bulk({match.company_id for match in found})
    solutions = Solution.objects.in_bulk({match.solution_id for match in found})
    rows = _rows(found, companies, solutions, {demand.pk: demand for demand in demands})
    by_demand = {demand.pk: [] for demand in demands}
    for row in rows:
        by_demand[row.demand.pk].append(row)
    return by_demand


def demands_for_company(company, k=10, matches=None):
    """The best-fitting open listings for a company, each with the company's best solution and reasons."""
    if matches is None:
        matches = match_index().top_demands_for_company(company.pk, k=k)
    demands = Demand.objects.select_related("buyer", "city__country").in_bulk({m.demand_id for m in matches})
    solutions = Solution.objects.in_bulk({match.solution_id for match in matches})
    return _rows(matches, {company.pk: company}, solutions, demands)


# A match scoring at least this much is worth a user's attention on their dashboard.
GOOD_FIT = 30
# How many of a company's best listings the dashboard counts good fits among.
DASHBOARD_HORIZON = 200


def dashboard_matches(user, k=3):
    """A member's dashboard: listings that fit their company, or companies that fit their listings."""
    if user.company_id and user.company.approval_status == ApprovalStatus.APPROVED:
        ranked = match_index().top_demands_for_company(user.company_id, k=DASHBOARD_HORIZON)
        good = [match for match in ranked if match.score >= GOOD_FIT]
        rows = demands_for_company(user.company, matches=good[:k])
        return {"fitting_demands": rows, "fitting_demand_count": len(good)}
    if user.buyer_organisation_id:
        listings = Demand.objects.open().filter(buyer_id=user.buyer_organisation_id).select_related("city")
        listings = list(listings[:5])
        rows = companies_for_demands(listings, k=k)
        return {"listing_matches": [(demand, rows[demand.pk]) for demand in listings]}
    return {}
