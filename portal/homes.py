"""What a member's or a staff member's own page shows: their next meetings, what waits for them, and (staff)
their centre's events with what needs them today. Reads only; the top layer, since it combines apps."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from matching.consultations.booking.models import Meeting, MeetingChangeRequest, MeetingRequest
from matching.consultations.events.models import Event, Registration
from matching.partnering import selectors as partnering
from portal.accounts.selectors import review_queue

NEXT_MEETINGS = 5
WAITING_SHOWN = 5


@dataclass(frozen=True)
class NextMeeting:
    """One coming meeting as the home page lists it: when (in the viewer's and the meeting's own zone),
    with whom, where, and the page to open."""

    starts_at: dt.datetime
    viewer_start: dt.datetime
    local_start: dt.datetime | None  # in the event's zone, when it differs from the viewer's
    partner: object
    where: str
    url_name: str
    url_arg: int
    change_meeting: int | None = None  # a roadshow meeting's pk: its "reschedule or cancel" page
    change_waiting: bool = False  # a change of it waits for KOTRA's answer


def _zone(name):
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def next_meetings(user, now=None, limit=NEXT_MEETINGS):
    """The member's organisation's coming meetings, roadshow and online, soonest first (two queries)."""
    now = now or timezone.now()
    viewer = _zone(user.time_zone)
    if user.company_id:
        own, partner_side = Q(sme__company_id=user.company_id), "buyer"
    elif user.buyer_organisation_id:
        own, partner_side = Q(buyer__buyer_id=user.buyer_organisation_id), "sme"
    else:
        return []
    change_waiting = MeetingChangeRequest.objects.filter(
        meeting=OuterRef("pk"), status=MeetingChangeRequest.Status.PENDING
    )
    roadshow = (
        Meeting.objects.filter(own, slot__starts_at__gte=now)
        .exclude(status=Meeting.Status.CANCELLED)
        .annotate(change_waiting=Exists(change_waiting))
        .select_related("slot__event", "table", "sme__company", "buyer__buyer")
        .order_by("slot__starts_at")[:limit]
    )
    rows = []
    for meeting in roadshow:
        event_zone = _zone(meeting.slot.event.time_zone)
        start = meeting.slot.starts_at
        where = (
            f"{meeting.slot.event.name} · {meeting.table.name}"
            if meeting.table_id
            else meeting.slot.event.name
        )
        registration = getattr(meeting, partner_side)
        rows.append(
            NextMeeting(
                starts_at=start,
                viewer_start=timezone.localtime(start, viewer),
                local_start=timezone.localtime(start, event_zone) if event_zone.key != viewer.key else None,
                partner=registration.company or registration.buyer,
                where=where,
                url_name="consultations:agenda",
                url_arg=meeting.sme_id if partner_side == "buyer" else meeting.buyer_id,
                change_meeting=meeting.pk if meeting.status == Meeting.Status.SCHEDULED else None,
                change_waiting=meeting.change_waiting,
            )
        )
    online = partnering.requests_of(user).filter(agreed_start__gte=now).order_by("agreed_start")[:limit]
    for request in online:
        rows.append(
            NextMeeting(
                starts_at=request.agreed_start,
                viewer_start=timezone.localtime(request.agreed_start, viewer),
                local_start=None,
                partner=request.buyer if user.company_id else request.company,
                where="online",
                url_name="partnering:request",
                url_arg=request.pk,
            )
        )
    return sorted(rows, key=lambda row: row.starts_at)[:limit]


def waiting_for(user):
    """Requests waiting for the member's answer and conversations with unread messages (the first few of
    each, and how many there are). The roadshow meeting requests waiting come from the page's own list
    (meeting_requests_waiting)."""
    awaiting = partnering.requests_awaiting(user)
    unread = partnering.conversations_with_unread(user).filter(has_unread=True)
    return {
        "partner_requests_waiting": list(awaiting[:WAITING_SHOWN]),
        "partner_requests_waiting_count": awaiting.count(),
        "conversations_unread": list(unread[:WAITING_SHOWN]),
    }


def new_matches(user, dashboard):
    """The pks of the dashboard's matches that came after the member last opened their own page: listings
    published since (for a company), companies that joined since (for a buyer). The first visit only sets
    the mark: with nothing to compare with, nothing is called new."""
    seen = user.matches_seen_at
    if seen is None:
        return {"new_demand_ids": set(), "new_company_ids": set()}
    demands = {
        row.demand.pk
        for row in dashboard.get("fitting_demands", [])
        if row.demand.published_at and row.demand.published_at > seen
    }
    companies = {
        row.company.pk
        for _listing, rows, _count in dashboard.get("listing_matches", [])
        for row in rows
        if row.company.created_at > seen
    }
    return {"new_demand_ids": demands, "new_company_ids": companies}


def matches_seen(user, now=None):
    """Remember that the member saw their matches now (one UPDATE, without touching the rest of the row)."""
    now = now or timezone.now()
    get_user_model().objects.filter(pk=user.pk).update(matches_seen_at=now)
    user.matches_seen_at = now


def meeting_requests_waiting(meeting_requests, to_answer):
    """The first few of the page's roadshow meeting requests (read with_on_behalf) that wait for the
    member's answer: `to_answer` holds their pks. No query of its own."""
    return [request for request in meeting_requests if request.pk in to_answer][:WAITING_SHOWN]


def centre_today(user, today=None):
    """Staff: their centre's running and coming events, each with what needs them, and the organisations
    waiting for their review."""
    today = today or timezone.localdate()
    events = (
        Event.objects.filter(organising_centre_id=user.trade_centre_id, end_date__gte=today)
        .select_related("city")
        .annotate(
            registrations_pending=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.PENDING), distinct=True
            ),
            requests_pending=Count(
                "meeting_requests",
                filter=Q(meeting_requests__status=MeetingRequest.Status.PENDING),
                distinct=True,
            ),
            requests_accepted=Count(
                "meeting_requests",
                filter=Q(meeting_requests__status=MeetingRequest.Status.ACCEPTED),
                distinct=True,
            ),
        )
        .order_by("start_date")
    )
    queue = review_queue(user)
    return {
        "centre_events": list(events),
        "reviews_waiting": len(queue["companies"]) + len(queue["buyers"]),
        "today": today,
    }
