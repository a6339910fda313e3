"""Sentences a city official and an SME understand, from the scoring core's structured reasons."""

from django.utils.translation import gettext as _

from matching.companies.models import Solution
from matching.demands.models import Demand
from matching.kernel.models import BudgetBand


def _names(codes, table):
    return ", ".join(str(table[code]) for code in codes if code in table)


def describe(reason, labels):
    """One translated sentence for a Reason (matching.scoring), using names from `labels`."""
    kind, values = reason.kind, reason.detail
    if kind == "category":
        return _("Works in %(categories)s") % {"categories": _names(values, labels.categories)}
    if kind == "text":
        return _("Solves: %(words)s") % {"words": ", ".join(values)}
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
