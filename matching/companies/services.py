"""Writes on Korean companies."""

from django.db import transaction

from matching.querysets import search_text_store
from matching.search import search_document

from .models import ApprovalStatus, Company


@transaction.atomic
def company_approve(*, company: Company) -> Company:
    """Approve a company so its public profile is listed. Side effects: none yet (e-mail comes later)."""
    company.approval_status = ApprovalStatus.APPROVED
    company.rejection_reason = ""
    company.save(update_fields=["approval_status", "rejection_reason", "updated_at"])
    return company


def company_search_text(company: Company) -> str:
    """The folded text a directory search looks in: names, descriptions, solutions, categories, cities."""
    parts = [company.name_ko, company.name_en, company.description_ko, company.description_en]
    solutions = company.solutions.prefetch_related("categories", "references__city")
    for solution in solutions:
        parts += [solution.name_ko, solution.name_en, solution.problem_solved, solution.description]
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
