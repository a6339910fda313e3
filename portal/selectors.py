"""Reads that portal-wide pages share."""

from django.db.models import Count, Q

from matching.companies.models import Company
from matching.consultations.models import Event, Meeting, Outcome
from matching.demands.models import Demand


def portal_figures():
    """Headline numbers for the home page: what the portal holds today."""
    meetings = Meeting.objects.aggregate(
        total=Count("id", filter=~Q(status=Meeting.Status.CANCELLED)),
    )
    return {
        "companies": Company.objects.approved().count(),
        "open_demands": Demand.objects.open().count(),
        "events": Event.objects.count(),
        "meetings": meetings["total"],
        "mous": Outcome.objects.filter(mou_signed=True).count(),
    }
