"""Reads of meeting requests, meetings, suggested pairs and the event's grid."""

import zoneinfo
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from matching.companies.models import Solution
from matching.consultations.booking.models import Meeting, MeetingRequest
from matching.consultations.events.models import Registration
from matching.consultations.events.selectors import (
    confirmed_registrations,
    events_visible_to,
    slots_by_local_day,
)
from matching.demands.models import Demand
from matching.recommendations.selectors import match_index

OPEN_REQUEST = [MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED]


def meeting_requests_for_member(user):
    """The open meeting requests involving the user's company or buyer organisation, newest first."""
    if user.company_id:
        involved = Q(sme__company_id=user.company_id)
    elif user.buyer_organisation_id:
        involved = Q(buyer__buyer_id=user.buyer_organisation_id)
    else:
        return MeetingRequest.objects.none()
    return (
        MeetingRequest.objects.filter(involved)
        .filter(status__in=OPEN_REQUEST)
        .select_related("event", "sme__company", "buyer__buyer")
        .order_by("-created_at")
    )


@dataclass
class SuggestedPair:
    sme: Registration
    buyer: Registration
    score: float
    demand: Demand
    solution_name: str


def event_suggestions(event, limit=40):
    """Pairs of the event's registered SMEs and buyers, best fit first, not yet requested or met.

    A pair's fit is the best match (matching.recommendations) between the SME's solutions and the
    buyer's open listings, so buyers without an open listing get no suggestion.
    """
    registrations = list(confirmed_registrations(event))
    smes = [r for r in registrations if r.company_id]
    buyers = [r for r in registrations if r.buyer_id]
    taken = set(
        MeetingRequest.objects.filter(event=event, status__in=OPEN_REQUEST).values_list("sme_id", "buyer_id")
    )
    taken |= set(
        Meeting.objects.filter(slot__event=event)
        .exclude(status=Meeting.Status.CANCELLED)
        .values_list("sme_id", "buyer_id")
    )
    solutions = {}
    for solution in Solution.objects.filter(company__in=[r.company_id for r in smes]).only(
        "pk", "company_id", "name_en", "name_ko"
    ):
        solutions.setdefault(solution.company_id, []).append(solution)
    demands = {}
    for demand in Demand.objects.open().filter(buyer__in=[r.buyer_id for r in buyers]):
        demands.setdefault(demand.buyer_id, []).append(demand)
    index = match_index()
    pairs = []
    for buyer in buyers:
        for sme in smes:
            if (sme.pk, buyer.pk) in taken:
                continue
            best = _best_match(index, solutions.get(sme.company_id, []), demands.get(buyer.buyer_id, []))
            if best is not None:
                score, demand, solution = best
                pairs.append(SuggestedPair(sme, buyer, score, demand, str(solution)))
    pairs.sort(key=lambda pair: (-pair.score, pair.sme.pk, pair.buyer.pk))
    return pairs[:limit]


def _best_match(index, solutions, demands):
    """(score, demand, solution) of the best-scoring pair, or None when nothing scores above zero."""
    best = None
    for demand in demands:
        for solution in solutions:
            try:
                match = index.score(solution.pk, demand.pk)
            except KeyError:  # not in the index: company not approved or listing not open
                continue
            # Only pairs that share a category or words: readiness or budget alone is no reason to meet.
            if match.relevant and (best is None or match.score > best[0]):
                best = (match.score, demand, solution)
    return best


def attach_shared_registrations(rows, buyer, user):
    """Give each recommended row the (event, SME registration, buyer registration) a meeting can be asked at.

    The event is one of the user's events where both the row's company and the buyer are confirmed;
    the latest such event is used. Rows without a shared event get None.
    """
    registrations = (
        Registration.objects.filter(
            event__in=events_visible_to(user),
            status=Registration.Status.CONFIRMED,
        )
        .filter(Q(buyer=buyer) | Q(company__in=[row.company.pk for row in rows]))
        .select_related("event")
        .order_by("-event__start_date")
    )
    buyer_at = {}
    sme_at = {}
    for registration in registrations:
        if registration.buyer_id:
            buyer_at.setdefault(registration.event_id, registration)
        else:
            sme_at.setdefault((registration.event_id, registration.company_id), registration)
    for row in rows:
        row.meeting_at = next(
            (
                (buyer_registration.event, sme_at[(event_id, row.company.pk)], buyer_registration)
                for event_id, buyer_registration in buyer_at.items()
                if (event_id, row.company.pk) in sme_at
            ),
            None,
        )


def requests_to_answer(user):
    """Pending requests the user's organisation was asked (the side that did not ask answers)."""
    if user.company_id:
        asked = Q(sme__company_id=user.company_id, requested_by_sme=False)
    elif user.buyer_organisation_id:
        asked = Q(buyer__buyer_id=user.buyer_organisation_id, requested_by_sme=True)
    else:
        return MeetingRequest.objects.none()
    still_open = Q(event__request_deadline__isnull=True) | Q(event__request_deadline__gte=timezone.now())
    return MeetingRequest.objects.filter(asked, still_open, status=MeetingRequest.Status.PENDING)


def event_overview(event):
    """What an event's page shows: its figures, slots by day and tables."""
    registrations = Registration.objects.filter(event=event)
    meetings = Meeting.objects.filter(slot__event=event)
    return {
        "event": event,
        "figures": {
            "smes": registrations.filter(company__isnull=False).count(),
            "buyers": registrations.filter(buyer__isnull=False).count(),
            # Asked and not answered yet, or accepted and waiting for a slot.
            "requests": MeetingRequest.objects.filter(
                event=event, status__in=OPEN_REQUEST, meeting=None
            ).count(),
            "meetings": meetings.exclude(status=Meeting.Status.CANCELLED).count(),
        },
        "slots_by_day": slots_by_local_day(event),
        "latest_run": event.scheduler_runs.first(),
        "slot_count": event.slots.count(),
        "tables": list(event.tables.all()),
    }


@dataclass
class GridRow:
    slot: object
    starts: object  # local time in the event's zone
    ends: object
    cells: list  # (table, Meeting or None) for each table, in the order of the grid's tables
    online: list  # online meetings in the slot


def event_grid(event, day=None):
    """The staff's grid for one local day: (days, day, tables, rows), in three queries whatever the size.

    `day` defaults to the first day of the event with slots; an unknown day gives the first one.
    """
    zone = zoneinfo.ZoneInfo(event.time_zone)
    slots = list(event.slots.all())
    days = sorted({slot.starts_at.astimezone(zone).date() for slot in slots})
    if day not in days:
        day = days[0] if days else None
    slots = [slot for slot in slots if slot.starts_at.astimezone(zone).date() == day]
    tables = list(event.tables.all())
    column = {table.pk: i for i, table in enumerate(tables)}
    meetings = (
        Meeting.objects.filter(slot__in=slots)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("sme__company", "buyer__buyer", "interpreter", "table")
    )
    rows = {slot.pk: GridRow(slot, slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone),
                             [None] * len(tables), []) for slot in slots}  # fmt: skip
    for meeting in meetings:
        row = rows[meeting.slot_id]
        if meeting.table_id is None:
            row.online.append(meeting)
        else:
            row.cells[column[meeting.table_id]] = meeting
    for row in rows.values():
        row.cells = list(zip(tables, row.cells, strict=True))
    return days, day, tables, list(rows.values())


@dataclass
class Counterpart:
    registration: Registration
    request: MeetingRequest | None  # the open or answered request between the two, newest
    meeting: Meeting | None  # their booked meeting


def counterparts(own: Registration):
    """The other side's confirmed registrations at `own`'s event, with the request or meeting between them.

    Three queries whatever the number of participants.
    """
    event_id = own.event_id
    mine, theirs = ("sme", "buyer") if own.company_id else ("buyer", "sme")
    others = Registration.objects.filter(event_id=event_id, status=Registration.Status.CONFIRMED)
    others = others.filter(company__isnull=own.company_id is not None).select_related(
        "company__headquarters", "buyer__city__country"
    )
    latest_request = {}
    for request in MeetingRequest.objects.filter(event_id=event_id, **{mine: own}).order_by("created_at"):
        latest_request[getattr(request, f"{theirs}_id")] = request
    meetings = {
        getattr(meeting, f"{theirs}_id"): meeting
        for meeting in Meeting.objects.filter(slot__event_id=event_id, **{mine: own}).exclude(
            status=Meeting.Status.CANCELLED
        )
    }
    return [Counterpart(other, latest_request.get(other.pk), meetings.get(other.pk)) for other in others]
