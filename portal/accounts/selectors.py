"""Reads about users' organisations and the organisations waiting for review."""

from matching.companies.models import Company
from matching.demands.models import BuyerOrganisation
from matching.kernel import permissions
from matching.kernel.models import ApprovalStatus


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
