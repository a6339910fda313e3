"""Reads of Korean companies for the directory and profile pages."""

from django.db.models import Prefetch

from portal.accounts.models import Role

from .filters import CompanyDirectoryFilter
from .models import Company, ReferenceDeployment, Solution


def company_directory(*, params):
    """The approved companies filtered by the directory's query parameters (a FilterSet)."""
    queryset = (
        Company.objects.approved()
        .order_by("name_en", "pk")
        .prefetch_related(
            "export_countries",
            "certifications",
            Prefetch("solutions", queryset=Solution.objects.prefetch_related("categories")),
        )
    )
    return CompanyDirectoryFilter(params, queryset=queryset)


def companies_visible_to(user):
    """Approved companies for everyone; members also see their own company in any state; admins all."""
    if user.is_authenticated and user.role in {Role.ADMIN, Role.CENTRE_STAFF}:
        return Company.objects.all()
    queryset = Company.objects.approved()
    if user.is_authenticated and user.company_id:
        queryset = queryset | Company.objects.filter(pk=user.company_id)
    return queryset


def company_profile(*, user, pk):
    """One company with everything its profile page shows, or Company.DoesNotExist."""
    references = ReferenceDeployment.objects.select_related("city__country")
    solutions = Solution.objects.prefetch_related("categories", Prefetch("references", queryset=references))
    return (
        companies_visible_to(user)
        .prefetch_related(
            "export_countries",
            "certifications",
            "support_languages",
            Prefetch("solutions", queryset=solutions),
        )
        .select_related("headquarters")
        .get(pk=pk)
    )


def can_see_contacts(user, company):
    """Contact details are for logged-in buyers, centre staff, admins and the company's own members."""
    if not user.is_authenticated:
        return False
    return user.role in {Role.BUYER_MEMBER, Role.CENTRE_STAFF, Role.ADMIN} or user.company_id == company.pk


def can_edit_company(user, company):
    """The company's own members and admins edit its profile."""
    return user.is_authenticated and (user.role == Role.ADMIN or user.company_id == company.pk)


def company_for_editing(user, pk):
    """The company this user may edit: their own (members) or any (admins); else Company.DoesNotExist."""
    if not user.is_authenticated:
        raise Company.DoesNotExist
    if user.role == Role.ADMIN:
        return Company.objects.get(pk=pk)
    return Company.objects.get(pk=pk, members=user)


def can_see_matches(user, company):
    """Recommended listings are for the company's members, centre staff and admins."""
    if not user.is_authenticated:
        return False
    return user.role in {Role.CENTRE_STAFF, Role.ADMIN} or user.company_id == company.pk
