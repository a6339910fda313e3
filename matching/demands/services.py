"""Writes on buyers and demand listings."""

from matching.querysets import search_text_store
from matching.search import search_document

from .models import Demand


def demand_search_text(demand: Demand) -> str:
    """The folded text a directory search looks in: title, problem, buyer, city, categories."""
    city, buyer = demand.city, demand.buyer
    parts = [demand.title, demand.problem, buyer.name, buyer.name_local]
    parts += [city.name_en, city.name_ko, city.name_local, city.country.name_en, city.country.name_ko]
    for category in demand.categories.all():
        parts += [category.name_en, category.name_ko]
    return search_document(*parts)


def demand_search_refresh(*, demand: Demand) -> None:
    """Rebuild the listing's search text after an edit of it, its buyer or city.

    Side effects: one UPDATE when the text changed, none otherwise.
    """
    search_text_store(demand, demand_search_text(demand))
