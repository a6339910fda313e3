"""Reads of meeting requests, meetings, shared registrations and the event's grid.

Suggested pairs are in catalogue.py, with the participant cards they are shown as.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from matching.consultations.booking.models import Meeting, MeetingRequest
from matching.consultations.events.models import Registration
from matching.consultations.events.selectors import (
    events_visible_to,
    slots_by_local_day,
)

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


def meetings_during(session):
    """The scheduled meetings overlapping a programme session, of a participant who speaks in it or must
    attend it (staff are warned of them when they save the session)."""
    people = session.roles.values("registration_id")
    return list(
        Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED,
            slot__starts_at__lt=session.ends_at,
            slot__ends_at__gt=session.starts_at,
        )
        .filter(Q(sme__in=people) | Q(buyer__in=people))
        .select_related("sme__company", "buyer__buyer")
        .order_by("slot__starts_at", "pk")
    )


def table_meetings_of_today(event, table, now=None):
    """The table's meetings (not cancelled) on the event's local day of `now`, by time, with both sides."""
    now = now or timezone.now()
    day = timezone.localtime(now, event.zone).date()
    starts = dt.datetime.combine(day, dt.time(), event.zone)
    return list(
        Meeting.objects.filter(table=table, slot__starts_at__gte=starts)
        .filter(slot__starts_at__lt=starts + dt.timedelta(days=1))
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("slot", "sme__company", "buyer__buyer")
        .order_by("slot__starts_at")
    )
