"""Reads of Korean companies for the directory and profile pages."""

from enum import StrEnum

from django.db.models import Prefetch

from matching.companies.filters import CompanyDirectoryFilter
from matching.companies.models import Company, ReferenceDeployment, Solution
from matching.kernel.models import ApprovalStatus, Role


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


class ContactAccess(StrEnum):
    """Whether a user sees a company's contact person, e-mail and phone, or why not (the page says which)."""

    SHOWN = "shown"
    LOG_IN = "log_in"  # a visitor: logging in as a buyer is the way
    UNDER_REVIEW = "under_review"  # a buyer whose organisation waits for review
    REJECTED = "rejected"  # a buyer whose organisation was rejected
    NOT_FOR_ROLE = "not_for_role"  # a member of another Korean company


def contact_access(user, company):
    """The one rule for a company's contact details, wherever they show.

    Members of approved buyer organisations, centre staff, admins and the company's own members see
    them; a visitor, a buyer whose organisation is pending or rejected, and other Korean companies do
    not (anyone can sign up as a buyer, so the details wait for the review).
    """
    if not user.is_authenticated:
        return ContactAccess.LOG_IN
    if user.role in {Role.CENTRE_STAFF, Role.ADMIN} or (user.company_id and user.company_id == company.pk):
        return ContactAccess.SHOWN
    if user.role == Role.BUYER_MEMBER and user.buyer_organisation_id:
        status = user.buyer_organisation.approval_status
        if status == ApprovalStatus.APPROVED:
            return ContactAccess.SHOWN
        return ContactAccess.REJECTED if status == ApprovalStatus.REJECTED else ContactAccess.UNDER_REVIEW
    return ContactAccess.NOT_FOR_ROLE


def can_see_contacts(user, company):
    """For any other place that would show contact details (an export, an e-mail): the same rule."""
    return contact_access(user, company) == ContactAccess.SHOWN


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
