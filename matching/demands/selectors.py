"""Reads of city demand listings for the public list and detail pages."""

from django.db.models import Count, Q

from matching.companies.models import Company
from matching.demands.filters import DemandDirectoryFilter
from matching.demands.models import Demand
from matching.kernel import permissions
from portal.privacy.selectors import shown_abroad

RELATED_COMPANIES = 6


def demand_directory(*, params):
    """Open listings filtered by the list's query parameters (a FilterSet)."""
    queryset = Demand.objects.open().select_related("buyer", "city__country").prefetch_related("categories")
    queryset = shown_abroad(queryset, buyer="buyer")  # not those who withdrew the transfer abroad
    return DemandDirectoryFilter(params, queryset=queryset)


def demands_visible_to(user):
    """Open listings for everyone, less those of buyers withheld from the other side (portal.privacy), plus
    the listings this user may edit, in any state."""
    return shown_abroad(Demand.objects.open(), buyer="buyer") | demands_editable_by(user)


def demand_detail(*, user, pk):
    """One listing with its buyer, city and categories, or Demand.DoesNotExist."""
    return (
        demands_visible_to(user)
        .select_related("buyer", "city__country")
        .prefetch_related("categories", "required_certifications")
        .distinct()
        .get(pk=pk)
    )


def companies_for_demand(demand, limit=RELATED_COMPANIES):
    """Approved companies with solutions in the listing's categories, most shared categories first."""
    category_ids = [category.pk for category in demand.categories.all()]
    return (
        shown_abroad(Company.objects.approved(), company="pk")
        .filter(solutions__categories__in=category_ids)
        .annotate(shared=Count("solutions__categories", filter=Q(solutions__categories__in=category_ids)))
        .order_by("-shared", "name_en")[:limit]
    )


def demands_editable_by(user):
    """Listings this user may edit: a buyer its own, centre staff their centre's countries', admins all."""
    if permissions.is_admin(user):
        return Demand.objects.all()
    if permissions.is_buyer_member(user):
        return Demand.objects.filter(buyer_id=user.buyer_organisation_id)
    if permissions.is_centre_staff(user):
        return Demand.objects.filter(city__country__trade_centres=user.trade_centre_id)
    return Demand.objects.none()
