"""The ministry's report: the figures of the press release after a roadshow, computed once from the
official records (the staff's consultation log and the MOU records, never the members' own outcome
records), for one event or for a roadshow year. The PDF and the XLSX (ministry_render) are two
renderings of the same MinistryReport.

"Consultations" are the meetings the staff's log records as held or as a no-show (the press release's
"about 80 and 70"); of these, `held` took place. A cancelled meeting has no staff record and is not
counted. Nine queries, however many events, meetings, MOUs or follow-ups there are.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from matching.consultations.events.models import Registration
from matching.consultations.outcomes.models import FollowUp, Mou, Outcome
from matching.kernel.models import Category

STAFF = Outcome.Side.STAFF
HELD = Outcome.Attendance.HELD
NO_SHOW = Outcome.Attendance.NO_SHOW


@dataclass
class EventFigures:
    event: object
    smes: int = 0
    buyers: int = 0
    consultations: int = 0
    held: int = 0
    no_shows: int = 0
    mous: int = 0
    value_usd: Decimal = field(default_factory=Decimal)


@dataclass
class FollowUpStatus:
    """One follow-up mark (1, 3 or 6 months): how the held meetings' deals moved, as far as answered."""

    months: int
    planned: int = 0
    asked: int = 0
    answered: int = 0
    progress: dict = field(default_factory=dict)  # FollowUp.Progress value: count


@dataclass
class MinistryReport:
    events: list  # [EventFigures], oldest first
    totals: EventFigures
    mous: list  # [Mou] signed, with event, company and buyer
    company_mous: list
    association_mous: list
    by_city: list  # [(city, consultations, held)], most consultations first
    by_category: list  # [(category, consultations, held)], most consultations first
    follow_ups: list  # [FollowUpStatus] for 1, 3, 6 months
    year: int | None = None


def ministry_report(events, year=None):
    """The report of `events` (a queryset): nine queries whatever their size."""
    rows = list(events.select_related("city__country", "organising_centre").order_by("start_date", "pk"))
    figures = {event.pk: EventFigures(event) for event in rows}
    for row in (
        Registration.objects.filter(event__in=events, status=Registration.Status.CONFIRMED)
        .values("event")
        .annotate(
            smes=Count("pk", filter=Q(company__isnull=False)),
            buyers=Count("pk", filter=Q(buyer__isnull=False)),
        )
        .order_by()
    ):
        figures[row["event"]].smes, figures[row["event"]].buyers = row["smes"], row["buyers"]
    official = Outcome.objects.filter(side=STAFF, meeting__slot__event__in=events)
    for row in (
        official.values("meeting__slot__event")
        .annotate(
            n=Count("pk"),
            held=Count("pk", filter=Q(attendance=HELD)),
            no_shows=Count("pk", filter=Q(attendance=NO_SHOW)),
            value=Sum("estimated_value_usd"),
        )
        .order_by()
    ):
        each = figures[row["meeting__slot__event"]]
        each.consultations, each.held, each.no_shows = row["n"], row["held"], row["no_shows"]
        each.value_usd = row["value"] or Decimal()
    mous = list(
        Mou.objects.filter(event__in=events, status=Mou.Status.SIGNED)
        .select_related("event", "company", "buyer__city")
        .order_by("signed_on", "pk")
    )
    for mou in mous:
        figures[mou.event_id].mous += 1
    totals = EventFigures(None)
    for each in figures.values():
        for name in ("smes", "buyers", "consultations", "held", "no_shows", "mous", "value_usd"):
            setattr(totals, name, getattr(totals, name) + getattr(each, name))
    return MinistryReport(
        events=[figures[event.pk] for event in rows],
        totals=totals,
        mous=mous,
        company_mous=[mou for mou in mous if mou.kind == Mou.Kind.COMPANY],
        association_mous=[mou for mou in mous if mou.kind == Mou.Kind.ASSOCIATION],
        by_city=_by_city(official),
        by_category=_by_category(official),
        follow_ups=_follow_ups(events),
        year=year,
    )


def _by_city(official):
    """Consultations by the buyer's city (one query, the city's names read with it)."""
    city = "meeting__buyer__buyer__city"
    rows = (
        official.values(city, f"{city}__name_en", f"{city}__name_ko", f"{city}__name_local")
        .annotate(n=Count("pk"), held=Count("pk", filter=Q(attendance=HELD)))
        .order_by("-n", f"{city}__name_en")
    )
    return [
        (
            {
                "name_en": row[f"{city}__name_en"],
                "name_ko": row[f"{city}__name_ko"] or row[f"{city}__name_en"],
                "name_local": row[f"{city}__name_local"],
            },
            row["n"],
            row["held"],
        )
        for row in rows
    ]


def _by_category(official):
    """Consultations by the Korean company's solution categories (a company with solutions in two
    categories counts in both, so the rows may add up to more than the total)."""
    counts = {
        row["category"]: (row["n"], row["held"])
        for row in official.values(category=F("meeting__sme__company__solutions__categories"))
        .annotate(n=Count("pk", distinct=True), held=Count("pk", distinct=True, filter=Q(attendance=HELD)))
        .order_by()
        if row["category"] is not None
    }
    categories = Category.objects.filter(pk__in=counts)
    rows = [(category, *counts[category.pk]) for category in categories]
    return sorted(rows, key=lambda row: (-row[1], row[0].sort_order, row[0].name_en))


def _follow_ups(events):
    """Per mark (1, 3, 6 months): planned, asked, answered, and the answers' progress (one query)."""
    status = {months: FollowUpStatus(months) for months in FollowUp.MONTHS}
    counts = defaultdict(int)
    for row in (
        FollowUp.objects.filter(meeting__slot__event__in=events)
        .values("months", "progress")
        .annotate(
            n=Count("pk"),
            asked=Count("pk", filter=Q(sent_at__isnull=False)),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
        )
        .order_by()
    ):
        each = status[row["months"]]
        each.planned += row["n"]
        each.asked += row["asked"]
        each.answered += row["answered"]
        if row["progress"]:
            counts[row["months"], row["progress"]] += row["n"]
    for (months, progress), n in counts.items():
        status[months].progress[progress] = n
    return [status[months] for months in FollowUp.MONTHS]
