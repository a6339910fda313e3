"""Reads about users' organisations and the organisations waiting for review."""

from matching.companies.models import Company
from matching.demands.models import BuyerOrganisation
from matching.kernel.models import ApprovalStatus, Role


def reviewable_companies(user):
    """Korean companies this user may approve or reject: admins only (no centre covers Korea)."""
    if user.role == Role.ADMIN:
        return Company.objects.all()
    return Company.objects.none()


def reviewable_buyers(user):
    """Buyers this user may approve or reject: admins all; centre staff those in the centre's countries."""
    if user.role == Role.ADMIN:
        return BuyerOrganisation.objects.all()
    if user.role == Role.CENTRE_STAFF:
        return BuyerOrganisation.objects.filter(city__country__trade_centres=user.trade_centre_id)
    return BuyerOrganisation.objects.none()


def review_queue(user):
    """The pending companies and buyers this user reviews, oldest first."""
    pending = {"approval_status": ApprovalStatus.PENDING}
    companies = (
        reviewable_companies(user).filter(**pending).prefetch_related("members").order_by("created_at")
    )
    buyers = (
        reviewable_buyers(user)
        .filter(**pending)
        .select_related("city__country")
        .prefetch_related("members")
        .order_by("created_at")
    )
    return {"companies": companies, "buyers": buyers}


def can_review(user):
    return user.is_authenticated and user.role in {Role.ADMIN, Role.CENTRE_STAFF}


def can_invite(user):
    """SME and buyer members invite colleagues; staff accounts are created by admins."""
    return user.is_authenticated and user.role in {Role.SME_MEMBER, Role.BUYER_MEMBER}
