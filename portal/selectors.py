"""Reads that portal-wide pages share."""

from django.db.models import Count, Q

from matching.companies.models import Company
from matching.consultations.booking.models import Meeting
from matching.consultations.events.models import Event
from matching.consultations.outcomes.models import Mou
from matching.demands.models import Demand

ACTIVE = ~Q(status=Meeting.Status.CANCELLED)


def portal_figures():
    """Headline numbers for the home page: what the portal holds today."""
    return {
        "companies": Company.objects.approved().count(),
        "open_demands": Demand.objects.open().count(),
        "meetings": Meeting.objects.filter(ACTIVE).count(),
        "mous": Mou.objects.filter(status=Mou.Status.SIGNED).count(),
    }


def event_summaries(limit=6):
    """The latest roadshow events with their participant, meeting and MOU counts, in one query."""
    return (
        Event.objects.published()
        .select_related("city__country", "organising_centre")
        .annotate(
            sme_count=Count("registrations", filter=Q(registrations__company__isnull=False), distinct=True),
            buyer_count=Count("registrations", filter=Q(registrations__buyer__isnull=False), distinct=True),
            meeting_count=Count(
                "slots__meetings", filter=~Q(slots__meetings__status=Meeting.Status.CANCELLED), distinct=True
            ),
            mou_count=Count("mous", filter=Q(mous__status=Mou.Status.SIGNED), distinct=True),
        )
        .order_by("-start_date")[:limit]
    )
