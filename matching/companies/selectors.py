"""Reads of Korean companies for the directory and profile pages."""

from enum import StrEnum

from django.db.models import Prefetch

from matching.companies.filters import CompanyDirectoryFilter
from matching.companies.models import Company, ReferenceDeployment, Solution
from matching.kernel import permissions
from matching.kernel.models import ApprovalStatus
from portal.privacy.selectors import shown_abroad


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
    queryset = shown_abroad(queryset, company="pk")  # not those who withdrew the transfer abroad
    return CompanyDirectoryFilter(params, queryset=queryset)


def companies_visible_to(user):
    """Approved companies for everyone, less those withheld from the other side (portal.privacy); members
    also see their own company in any state; admins and centre staff all."""
    if permissions.is_organiser(user):
        return Company.objects.all()
    queryset = shown_abroad(Company.objects.approved(), company="pk")
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
    NOT_YET_PARTNERS = "not_yet_partners"  # an approved buyer: shown once a request is accepted
    NOT_FOR_ROLE = "not_for_role"  # a member of another Korean company


def contact_access(user, company):
    """The one rule for a company's contact details, wherever they show.

    Centre staff, admins, the company's own members and the members of an approved buyer that is its
    partner (a request between them accepted, or a meeting at a roadshow) see them; a visitor, a buyer
    whose organisation is pending or rejected, a buyer the company has not accepted yet, and other
    Korean companies do not. Until they are partners, the two write through the portal.
    """
    if not user.is_authenticated:
        return ContactAccess.LOG_IN
    if permissions.may(user, "see_company_contacts", company):
        return ContactAccess.SHOWN
    if permissions.is_buyer_member(user) and user.buyer_organisation_id:
        status = user.buyer_organisation.approval_status
        if status == ApprovalStatus.APPROVED:
            return ContactAccess.NOT_YET_PARTNERS
        return ContactAccess.REJECTED if status == ApprovalStatus.REJECTED else ContactAccess.UNDER_REVIEW
    return ContactAccess.NOT_FOR_ROLE


def company_for_editing(user, pk):
    """The company this user may edit: their own (members) or any (admins); else Company.DoesNotExist."""
    if not user.is_authenticated:
        raise Company.DoesNotExist
    if permissions.is_admin(user):
        return Company.objects.get(pk=pk)
    return Company.objects.get(pk=pk, members=user)
