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
from matching.recommendations.reasons import GOOD_FIT, describe, summary
from portal.privacy.selectors import shown_abroad


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
    """One recommendation ready for a template: the objects, the score, the reasons' sentences and the
    score explained in one line."""

    company: Company
    solution: Solution
    demand: Demand
    score: float
    reasons: list
    summary: str = ""
    # (event, SME registration, buyer registration) where staff can ask for this meeting, if any.
    meeting_at: tuple | None = None


@dataclass
class Matches:
    """A page's matches: the fits (score at least GOOD_FIT), all of them up to FIT_LIMIT, and the best
    few weaker ones. `count` is the number of fits, the one every page and dashboard shows."""

    fits: list
    weaker: list

    @property
    def count(self):
        return len(self.fits)


def page_context(matches):
    """What layouts/matches.html reads of a page's matches."""
    return {"rows": matches.fits, "weaker_rows": matches.weaker, "good_fit": GOOD_FIT}


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


# Fits listed on a match page, counted on the dashboards; weaker matches shown below them.
FIT_LIMIT = 100
WEAKER_SHOWN = 5


def _rows(index, matches, companies, solutions, demands):
    labels = Labels()
    labels.load_cities(matches)
    rows = []
    for match in matches:
        demand, solution = demands[match.demand_id], solutions[match.solution_id]
        rows.append(
            MatchRow(
                company=companies[match.company_id],
                solution=solution,
                demand=demand,
                score=match.score,
                reasons=[describe(reason, labels, demand, solution) for reason in match.reasons],
                summary=summary(match, index.shortfall(match), demand),
            )
        )
    return rows


def _fits(ranked):
    """(fits, weaker) of a ranking, best first."""
    fits = [match for match in ranked if match.score >= GOOD_FIT]
    return fits, [match for match in ranked if match.score < GOOD_FIT][:WEAKER_SHOWN]


def _demands(ids):
    """The listings of `ids` that may be shown: not those of a buyer withheld from the other side (its
    members withdrew their consent to the transfer abroad, portal.privacy); the index may still hold them."""
    listings = Demand.objects.select_related("buyer", "city__country")
    return shown_abroad(listings, buyer="buyer").in_bulk(ids)


def _companies(ids):
    """The companies of `ids` that may be shown (not withheld from the other side, as _demands)."""
    return shown_abroad(Company.objects.all(), company="pk").in_bulk(ids)


def _kept(matches, *, companies=None, demands=None):
    """The matches whose company and listing are among those that may be shown."""
    return [
        match
        for match in matches
        if (companies is None or match.company_id in companies)
        and (demands is None or match.demand_id in demands)
    ]


def companies_for_demand(demand):
    """The approved companies that fit an open listing (and the weaker matches), with their best solution,
    reasons and summaries. `demand` comes with its city and country."""
    index = match_index()
    fits, weaker = _fits(index.top_companies_for_demand(demand.pk, k=FIT_LIMIT + WEAKER_SHOWN))
    companies = _companies({match.company_id for match in fits + weaker})
    fits, weaker = _kept(fits, companies=companies), _kept(weaker, companies=companies)
    found = fits + weaker
    solutions = Solution.objects.in_bulk({match.solution_id for match in found})
    rows = _rows(index, found, companies, solutions, {demand.pk: demand})
    return Matches(fits=rows[: len(fits)], weaker=rows[len(fits) :])


def demands_for_company(company):
    """The open listings a company fits (and the weaker matches), each with its best solution, reasons and
    summaries."""
    index = match_index()
    fits, weaker = _fits(index.top_demands_for_company(company.pk, k=FIT_LIMIT + WEAKER_SHOWN))
    demands = _demands({match.demand_id for match in fits + weaker})
    fits, weaker = _kept(fits, demands=demands), _kept(weaker, demands=demands)
    found = fits + weaker
    solutions = Solution.objects.in_bulk({match.solution_id for match in found})
    rows = _rows(index, found, {company.pk: company}, solutions, demands)
    return Matches(fits=rows[: len(fits)], weaker=rows[len(fits) :])


# The fits a dashboard names; the rest are counted and a link leads to all of them.
DASHBOARD_SHOWN = 3
# The buyer's listings a dashboard shows the fits of.
DASHBOARD_LISTINGS = 5


def dashboard_matches(user):
    """A member's dashboard: the listings that fit their company, or the companies that fit their listings,
    counted as their match pages count them (all fits, up to FIT_LIMIT), the best DASHBOARD_SHOWN named."""
    index = match_index()
    if user.company_id and user.company.approval_status == ApprovalStatus.APPROVED:
        fits, _weaker = _fits(index.top_demands_for_company(user.company_id, k=FIT_LIMIT))
        demands = _demands({match.demand_id for match in fits})
        fits = _kept(fits, demands=demands)
        shown = fits[:DASHBOARD_SHOWN]
        solutions = Solution.objects.in_bulk({match.solution_id for match in shown})
        rows = _rows(index, shown, {user.company.pk: user.company}, solutions, demands)
        return {"fitting_demands": rows, "fitting_demand_count": len(fits), "good_fit": GOOD_FIT}
    if user.buyer_organisation_id:
        listings = (
            Demand.objects.open().filter(buyer_id=user.buyer_organisation_id).select_related("city__country")
        )
        listings = list(listings[:DASHBOARD_LISTINGS])
        ranked = {
            demand.pk: _fits(index.top_companies_for_demand(demand.pk, k=FIT_LIMIT))[0] for demand in listings
        }
        companies = _companies({match.company_id for fits in ranked.values() for match in fits})
        ranked = {pk: _kept(fits, companies=companies) for pk, fits in ranked.items()}
        shown = [match for fits in ranked.values() for match in fits[:DASHBOARD_SHOWN]]
        solutions = Solution.objects.in_bulk({match.solution_id for match in shown})
        rows = _rows(index, shown, companies, solutions, {demand.pk: demand for demand in listings})
        by_demand = {demand.pk: [] for demand in listings}
        for row in rows:
            by_demand[row.demand.pk].append(row)
        fits = [(demand, by_demand[demand.pk], len(ranked[demand.pk])) for demand in listings]
        return {"listing_matches": fits, "good_fit": GOOD_FIT}
    return {}
