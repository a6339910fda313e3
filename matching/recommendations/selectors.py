"""Match recommendations from the database: the latest built index, labelled rows for the templates.

The index is built by a task after the writes that change it (signals.py, tasks.py, services.py) and
stored in the database. A page reads which build is the latest (one query on a table of one or two
rows) and loads its index only when this process holds another one; a request never rebuilds it,
except on a database where no build has finished yet (a fresh one), where the first page builds it.
"""

import pickle  # nosec B403: only our own builds are unpickled (services.match_index_rebuild)
from dataclasses import dataclass

from matching.companies.models import Company, Solution
from matching.demands.models import Demand
from matching.geo.models import City, Language
from matching.kernel.models import ApprovalStatus, Category, Certification
from matching.recommendations import services
from matching.recommendations.models import MatchIndexBuild
from matching.recommendations.reasons import describe


class _Held:
    """The build this process last loaded: (its key, its MatchIndex). Replaced whole, so threads that
    read it while another loads a newer one see either, never half of one."""

    build = (None, None)


def _finished_builds():
    return MatchIndexBuild.objects.filter(finished_at__isnull=False).order_by("-pk")


def match_index():
    """The MatchIndex of approved companies' solutions and open listings, as of the latest build."""
    key = _finished_builds().values_list("key", flat=True).first()
    held_key, index = _Held.build
    if key is not None and key == held_key:
        return index
    latest = _finished_builds().values_list("key", "index").first() if key is not None else None
    if latest is None:
        # Nothing built yet (a fresh database, or `make run` before its worker ran): build here, once.
        build, index = services.match_index_rebuild()
        key = build.key
    else:
        key, payload = latest
        index = pickle.loads(payload)  # noqa: S301  # nosec B301: only services.match_index_rebuild writes it
    _Held.build = (key, index)
    return index


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
