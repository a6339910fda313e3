"""Sentences a city official and an SME understand, from the scoring core's structured reasons: the problem
matched in its authors' words, and the score explained in one line (what it means, what would raise it)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.companies.models import Solution
from matching.demands.models import Demand
from matching.kernel.models import BudgetBand
from matching.scoring import WEIGHTS
from matching.scoring.features import best_sentence
from matching.scoring.weights import RELEVANCE_KINDS

# A match scoring at least this much is worth a user's attention: it is counted as a fit on the match
# pages and dashboards; below it, a weaker match.
GOOD_FIT = 30
# (lowest score, what it is called), best first.
BANDS = (
    (70, gettext_lazy("a strong fit")),
    (45, gettext_lazy("a good fit")),
    (GOOD_FIT, gettext_lazy("a fair fit")),
    (0, gettext_lazy("a weak fit")),
)
RELEVANCE_POINTS = sum(WEIGHTS[kind] for kind in RELEVANCE_KINDS)
FIT_POINTS = 100 - RELEVANCE_POINTS
# How many of the missing reasons the summary names.
SHORTFALL_NAMED = 2


def _names(codes, table):
    return ", ".join(str(table[code]) for code in codes if code in table)


def describe(reason, labels, demand, solution):
    """One translated sentence for a Reason (matching.scoring) of the pair (demand, solution), using names
    from `labels`."""
    kind, values = reason.kind, reason.detail
    if kind == "category":
        return _("Works in %(categories)s") % {"categories": _names(values, labels.categories)}
    if kind == "text":
        # The listing's title names the city's problem; a sentence of its statement when the title
        # shares none of the matched words.
        problem = best_sentence(demand.title, values) or best_sentence(demand.problem, values) or demand.title
        return _("Problem matched: “%(listing)s” ↔ “%(solution)s”") % {
            "listing": problem,
            "solution": solution,
        }
    if kind in {"reference_city", "reference_country"}:
        city_id, _country, year = values
        city = labels.cities.get(city_id)
        place = {"city": city, "country": city.country if city else "", "year": year}
        if kind == "reference_city":
            return _("Reference deployment in this city (%(city)s, %(year)s)") % place
        return _("Reference deployment in %(country)s (%(city)s, %(year)s)") % place
    if kind == "language":
        return _("Offers support in %(languages)s") % {"languages": _names(values, labels.languages)}
    if kind == "certification":
        return _("Holds the certification the buyer asks for: %(names)s") % {
            "names": _names(values, labels.certifications)
        }
    if kind == "budget":
        price_band, budget_band = values
        bands = {"price": BudgetBand(price_band).label, "budget": BudgetBand(budget_band).label}
        if price_band == budget_band:
            return _("Typical project size fits the budget (%(budget)s)") % bands
        return _("Typical project size (%(price)s) is close to the budget (%(budget)s)") % bands
    if kind == "readiness":
        readiness, procurement = values
        return _("Readiness (%(readiness)s) suits the procurement (%(procurement)s)") % {
            "readiness": Solution.Readiness(readiness).label,
            "procurement": Demand.ProcurementType(procurement).label,
        }
    return kind


def _missing(kind, demand):
    """What a pair lacks, as the end of 'It would rise with …'."""
    if kind == "text":
        return _("a solution described in the words of this problem")
    if kind == "category":
        return _("the listing's categories")
    if kind == "reference":
        return _("a reference deployment in %(country)s") % {"country": demand.city.country}
    if kind == "language":
        return _("support in the buyer's language")
    if kind == "certification":
        return _("the certifications the buyer asks for")
    if kind == "budget":
        return _("a typical project size within the budget")
    return _("a solution further along (deployed)")


def summary(match, shortfall, demand):
    """The score in one line: what it means (its band, the points for the problem and for the company's
    fit) and the reasons that would raise it most."""
    score = round(match.score)
    band = next(name for lowest, name in BANDS if score >= lowest)
    relevance = round(match.relevance)
    line = _(
        "%(score)s of 100, %(band)s: %(relevance)s of %(relevance_max)s points for answering the problem, "
        "%(fit)s of %(fit_max)s for suiting the buyer."
    ) % {
        "score": score,
        "band": band,
        "relevance": relevance,
        "relevance_max": round(RELEVANCE_POINTS),
        "fit": score - relevance,
        "fit_max": round(FIT_POINTS),
    }
    named = [
        _("%(what)s (+%(points)s)") % {"what": _missing(kind, demand), "points": round(points)}
        for kind, points in shortfall[:SHORTFALL_NAMED]
    ]
    if named:
        line += " " + _("It would rise with %(missing)s.") % {"missing": _("; ").join(named)}
    return line
