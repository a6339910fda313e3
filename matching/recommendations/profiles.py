"""What the scoring core ranks, read from the database: approved companies' solutions and open listings."""

from django.db.models import Prefetch

from matching.companies.models import ReferenceDeployment, Solution
from matching.demands.models import Demand
from matching.kernel.models import ApprovalStatus
from matching.scoring import DemandProfile, Reference, SolutionProfile


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
                [solution.name_en, solution.name_ko, solution.problem_solved_en, solution.description_en]
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
            # Scored on the English text every listing has (the thesaurus relates it to any language).
            text=f"{demand.title_en}\n{demand.problem_en}",
            city_id=demand.city_id,
            country=demand.city.country.iso_code,
            languages=frozenset(language.code for language in demand.buyer.languages.all()),
            required_certifications=frozenset(cert.code for cert in demand.required_certifications.all()),
            budget_band=demand.budget_band,
            procurement_type=demand.procurement_type,
        )
