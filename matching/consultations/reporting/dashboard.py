"""What the roadshows achieved, for staff (their centre's events) and admins (all): figures per event,
by solution category and by buyer city, in a fixed number of queries however many events there are."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from matching.consultations.booking.models import Meeting, MeetingRequest
from matching.consultations.events.models import Registration
from matching.consultations.outcomes.models import Mou, Outcome
from matching.geo.models import City
from matching.kernel.models import Category

CONFIRMED = Registration.Status.CONFIRMED
SIGNED = Mou.Status.SIGNED


@dataclass
class Figures:
    smes: int = 0
    buyers: int = 0
    requests: int = 0
    meetings: int = 0
    held: int = 0
    no_shows: int = 0
    mous: int = 0
    value_usd: Decimal = field(default_factory=Decimal)

    def add(self, other):
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def figures_by_event(events):
    """{event id: Figures} for the events (a queryset), in five grouped queries."""
    figures = defaultdict(Figures)
    for row in (
        Registration.objects.filter(event__in=events, status=CONFIRMED)
        .values("event")
        .annotate(
            smes=Count("pk", filter=Q(company__isnull=False)),
            buyers=Count("pk", filter=Q(buyer__isnull=False)),
        )
    ):
        figures[row["event"]].smes, figures[row["event"]].buyers = row["smes"], row["buyers"]
    for row in MeetingRequest.objects.filter(event__in=events).values("event").annotate(n=Count("pk")):
        figures[row["event"]].requests = row["n"]
    for row in (
        Meeting.objects.filter(slot__event__in=events)
        .exclude(status=Meeting.Status.CANCELLED)
        .values("slot__event")
        .annotate(
            n=Count("pk"),
            held=Count("pk", filter=Q(status=Meeting.Status.HELD)),
            no_shows=Count("pk", filter=Q(status=Meeting.Status.NO_SHOW)),
        )
    ):
        each = figures[row["slot__event"]]
        each.meetings, each.held, each.no_shows = row["n"], row["held"], row["no_shows"]
    for row in Mou.objects.filter(event__in=events, status=SIGNED).values("event").annotate(n=Count("pk")):
        figures[row["event"]].mous = row["n"]
    # The staff's record is the official one: its estimated values are summed.
    for row in (
        Outcome.objects.filter(side=Outcome.Side.STAFF, meeting__slot__event__in=events)
        .values("meeting__slot__event")
        .annotate(value=Sum("estimated_value_usd"))
    ):
        figures[row["meeting__slot__event"]].value_usd = row["value"] or Decimal()
    return figures


def _categories(events, booked):
    """Solution categories with their companies' booked meetings and signed MOUs at these events, most
    meetings first (categories without meetings left out), each with `meetings` and `mous` set.

    Counted from the events' meetings and MOUs towards the categories, not from every category through
    every company's solutions: with 10 000 companies the other way round joins 40 000 rows per call.
    """
    meetings = dict(
        Meeting.objects.filter(sme__event__in=events, status__in=booked)
        .values_list("sme__company__solutions__categories")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    mous = dict(
        Mou.objects.filter(event__in=events, status=SIGNED)
        .values_list("company__solutions__categories")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    categories = list(Category.objects.filter(pk__in=[pk for pk in meetings if pk is not None]))
    for category in categories:
        category.meetings, category.mous = meetings[category.pk], mous.get(category.pk, 0)
    return sorted(categories, key=lambda category: (-category.meetings, category.sort_order))


def dashboard(events):
    """Everything the dashboard shows for these events (a queryset), in a fixed number of queries."""
    rows = list(events.select_related("city__country", "organising_centre").order_by("-start_date"))
    by_event = figures_by_event(events)
    totals = Figures()
    by_centre = {}
    for event in rows:
        event.figures = by_event[event.pk]
        totals.add(event.figures)
        by_centre.setdefault(event.organising_centre, Figures()).add(event.figures)
    booked = [Meeting.Status.SCHEDULED, Meeting.Status.HELD, Meeting.Status.NO_SHOW]
    categories = _categories(events, booked)
    cities = (
        City.objects.annotate(
            meetings=Count(
                "buyers__registrations__buyer_meetings",
                filter=Q(
                    buyers__registrations__event__in=events,
                    buyers__registrations__buyer_meetings__status__in=booked,
                ),
                distinct=True,
            ),
            mous=Count(
                "buyers__mous",
                filter=Q(buyers__mous__event__in=events, buyers__mous__status=SIGNED),
                distinct=True,
            ),
        )
        .filter(meetings__gt=0)
        .select_related("country")
        .order_by("-meetings", "name_en")
    )
    return {
        "events": rows,
        "totals": totals,
        "centres": sorted(by_centre.items(), key=lambda item: str(item[0])),
        "categories": categories,
        "cities": list(cities),
    }
