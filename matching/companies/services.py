"""Writes on Korean companies: profile, solutions, reference deployments, and their search text."""

from django.db import transaction

from matching.companies.models import Company, Solution
from matching.search import search_document
from portal.common.localised import texts_in_every_language
from portal.common.querysets import search_text_store
from portal.common.uploads import discard_replaced_files, stored_file_names


def company_search_text(company: Company) -> str:
    """The folded text a directory search looks in: names, descriptions and solutions in every language
    they are written in, categories, cities."""
    parts = texts_in_every_language(company, "name", "description")
    solutions = company.solutions.prefetch_related("categories", "references__city")
    for solution in solutions:
        parts += texts_in_every_language(solution, "name", "problem_solved", "description")
        for category in solution.categories.all():
            parts += [category.name_en, category.name_ko]
        for reference in solution.references.all():
            city = reference.city
            parts += [city.name_en, city.name_ko, city.name_local, reference.client]
    return search_document(*parts)


def company_search_refresh(*, company: Company) -> None:
    """Rebuild the company's search text after any edit of it or its solutions.

    Side effects: one UPDATE when the text changed, none otherwise.
    """
    search_text_store(company, company_search_text(company))


UPLOADS = ["logo", "brochure"]


@transaction.atomic
def company_profile_save(*, form) -> Company:
    """Save a CompanyProfileForm (logo re-encoded, brochure checked by the form) and refresh search text.

    Side effects: after the commit, a logo or brochure that was replaced or cleared is deleted from the
    upload storage.
    """
    previous = stored_file_names(form.instance, UPLOADS)
    company = form.save()
    discard_replaced_files(company, previous)
    company_search_refresh(company=company)
    return company


@transaction.atomic
def company_solutions_save(*, company: Company, formset) -> None:
    """Save a company's solutions formset (added, changed, deleted) and refresh its search text."""
    formset.save()
    company_search_refresh(company=company)


@transaction.atomic
def solution_references_save(*, solution: Solution, formset) -> None:
    """Save a solution's reference deployments formset and refresh the company's search text."""
    formset.save()
    company_search_refresh(company=solution.company)
