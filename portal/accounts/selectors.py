"""Reads about users' organisations and the organisations waiting for review."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from matching.companies.models import Company, Solution
from matching.companies.validators import is_valid_brn
from matching.demands.models import BuyerOrganisation
from matching.kernel import permissions
from matching.kernel.models import ApprovalStatus

User = get_user_model()


def reviewable_companies(user):
    """Korean companies this user may approve or reject: admins only (no centre covers Korea)."""
    if permissions.may(user, "review_companies"):
        return Company.objects.all()
    return Company.objects.none()


def reviewable_buyers(user):
    """Buyers this user may approve or reject: admins all; centre staff those in the centre's countries."""
    if permissions.is_admin(user):
        return BuyerOrganisation.objects.all()
    if permissions.is_centre_staff(user):
        return BuyerOrganisation.objects.filter(city__country__trade_centres=user.trade_centre_id)
    return BuyerOrganisation.objects.none()


def review_queue(user):
    """The pending companies and buyers this user reviews, oldest first, with what a reviewer judges:
    profile, solutions, website, brochure, languages, the members who signed up, and for a company
    whether its business registration number passes the National Tax Service check (`brn_valid`)."""
    pending = {"approval_status": ApprovalStatus.PENDING}
    members = Prefetch("members", queryset=User.objects.order_by("date_joined", "pk"))
    companies = list(
        reviewable_companies(user)
        .filter(**pending)
        .prefetch_related(
            members,
            "support_languages",
            "certifications",
            "export_countries",
            Prefetch("solutions", queryset=Solution.objects.prefetch_related("categories")),
        )
        .order_by("created_at")
    )
    for company in companies:
        company.brn_valid = is_valid_brn(company.business_registration_number)
    buyers = (
        reviewable_buyers(user)
        .filter(**pending)
        .select_related("city__country")
        .prefetch_related(members, "languages")
        .order_by("created_at")
    )
    return {"companies": companies, "buyers": buyers}
