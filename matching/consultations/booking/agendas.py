"""Participants' agendas: who may see which registration and meeting, and meeting times in two zones."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import dateformat, formats

from matching.consultations.booking.models import Meeting, MeetingChangeRequest
from matching.consultations.events.models import Registration
from matching.kernel import permissions
from portal.common import dates

CANCELLED = Meeting.Status.CANCELLED


# ---------------------------------------------------------------- who sees what
def _visible_to(user, queryset, *, centre, company, buyer):
    """`queryset` narrowed to the user's: `centre`, `company` and `buyer` are the lookups to filter on."""
    if not user.is_authenticated:
        return queryset.none()
    if permissions.is_admin(user):
        return queryset
    if permissions.is_centre_staff(user):
        return queryset.filter(**{centre: user.trade_centre_id})
    if user.company_id:
        return queryset.filter(**{company: user.company_id})
    if user.buyer_organisation_id:
        return queryset.filter(**{buyer: user.buyer_organisation_id})
    return queryset.none()


def registrations_visible_to(user):
    """Registrations whose agenda the user may see: their organisation's, their centre's events', or all."""
    return _visible_to(
        user,
        Registration.objects.all(),
        centre="event__organising_centre_id",
        company="company_id",
        buyer="buyer_id",
    )


def meetings_visible_to(user):
    """Meetings the user may download: either party's members, the organising centre's staff, admins."""
    return _visible_to(
        user,
        Meeting.objects.all(),
        centre="slot__event__organising_centre_id",
        company="sme__company_id",
        buyer="buyer__buyer_id",
    )


# ---------------------------------------------------------------- reads
def with_agenda_relations(registrations):
    """What an agenda page shows of its registration, in the same query."""
    return registrations.select_related(
        "event__city__country", "event__organising_centre", "company", "buyer"
    )


def agendas_of_member(user):
    """The user's organisation's registrations across events, latest event first, with meeting counts."""
    if user.company_id:
        registrations = Registration.objects.filter(company_id=user.company_id)
        booked = Count("sme_meetings", filter=~Q(sme_meetings__status=CANCELLED))
        side = "sme"
    elif user.buyer_organisation_id:
        registrations = Registration.objects.filter(buyer_id=user.buyer_organisation_id)
        booked = Count("buyer_meetings", filter=~Q(buyer_meetings__status=CANCELLED))
        side = "buyer"
    else:
        return Registration.objects.none()
    return (
        with_agenda_relations(registrations)
        .annotate(meeting_count=booked, changes_waiting=_changes_waiting(side))
        .order_by("-event__start_date", "event__name", "pk")
    )


def _changes_waiting(side):
    """How many change requests of the registration's meetings wait for KOTRA (a subquery: joined, it
    would multiply the meeting count)."""
    waiting = (
        MeetingChangeRequest.objects.filter(
            **{f"meeting__{side}": OuterRef("pk")}, status=MeetingChangeRequest.Status.PENDING
        )
        .order_by()
        .values(f"meeting__{side}")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(waiting), 0)


def _meetings_of(registration):
    side = "sme" if registration.company_id else "buyer"
    return Meeting.objects.filter(**{side: registration})


def agenda_meetings(registration, *, include_cancelled=False):
    """The registration's meetings in time order, each with `other_party` (a Registration) set.

    One query whatever the number of meetings: slot, table, interpreter and both parties come joined.
    Cancelled meetings are left out unless asked for (a calendar file lists them to remove them).
    """
    meetings = _meetings_of(registration).select_related(
        "slot__event__city", "table", "interpreter", "sme__company", "buyer__buyer"
    )
    if not include_cancelled:
        meetings = meetings.exclude(status=CANCELLED)
    meetings = list(meetings.order_by("slot__starts_at", "pk"))
    for meeting in meetings:
        meeting.other_party = meeting.buyer if registration.company_id else meeting.sme
    return meetings


def meeting_with_relations(meetings, pk):
    """One meeting of `meetings` (a QuerySet) with everything its .ics and e-mails name; DoesNotExist else."""
    return _with_relations(meetings).get(pk=pk)


def visible_meeting_or_404(user, pk):
    """The meeting `pk` with its relations if `user` may see it (meetings_visible_to), else Http404."""
    return get_object_or_404(_with_relations(meetings_visible_to(user)), pk=pk)


def meetings_with_relations(meetings):
    """`meetings` (a QuerySet) joined with everything their .ics and e-mails name."""
    return _with_relations(meetings)


def _with_relations(meetings):
    return meetings.select_related(
        "slot__event__city__country",
        "slot__event__organising_centre",
        "table",
        "interpreter",
        "sme__company",
        "buyer__buyer",
    )


# ---------------------------------------------------------------- times in two zones
def zone_or(name, fallback):
    """The ZoneInfo called `name`, or `fallback` when the name is empty or unknown."""
    try:
        return zoneinfo.ZoneInfo(name) if name else fallback
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return fallback


def utc_offset(moment):
    """'UTC+07:00', 'UTC+03:00', 'UTC−03:30' for an aware datetime."""
    minutes = int(moment.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


@dataclass(frozen=True)
class ZonedSpan:
    """A meeting's start and end in one time zone, with what a page or an e-mail prints of them."""

    starts: dt.datetime
    ends: dt.datetime
    zone: str

    @property
    def date(self):
        """The local date in the active language's format, e.g. 'Oct. 6, 2022' or '2022년 10월 6일'."""
        return dates.date_format(self.starts, "DATE_FORMAT")

    @property
    def weekday(self):
        return formats.date_format(self.starts, "l")

    @property
    def time_range(self):
        """'09:30–10:00' (24-hour clock everywhere: agendas are read across countries)."""
        return f"{dateformat.format(self.starts, 'H:i')}–{dateformat.format(self.ends, 'H:i')}"

    @property
    def offset(self):
        return utc_offset(self.starts)

    def __str__(self):
        return f"{self.date} {self.time_range} ({self.zone}, {self.offset})"


@dataclass(frozen=True)
class MeetingTimes:
    """A meeting's times in the event's zone and in the viewer's."""

    event: ZonedSpan
    viewer: ZonedSpan

    @property
    def same_zone(self):
        """True when both zones show the same wall-clock times (nothing to print twice)."""
        return self.event.starts.replace(tzinfo=None) == self.viewer.starts.replace(tzinfo=None)


def _span(starts_at, ends_at, zone):
    return ZonedSpan(starts=starts_at.astimezone(zone), ends=ends_at.astimezone(zone), zone=zone.key)


def meeting_times(meeting, viewer_time_zone=""):
    """The meeting's start and end in its event's zone and in `viewer_time_zone` (a zone name).

    Without a (valid) viewer zone, both are the event's: e.g. an interpreter without an account.
    """
    slot = meeting.slot
    return times_between(slot.starts_at, slot.ends_at, slot.event.time_zone, viewer_time_zone)


def times_between(starts_at, ends_at, event_time_zone, viewer_time_zone=""):
    """Any span's (a programme session's) MeetingTimes: in the event's zone and in the viewer's."""
    event_zone = zoneinfo.ZoneInfo(event_time_zone)
    viewer_zone = zone_or(viewer_time_zone, event_zone)
    return MeetingTimes(
        event=_span(starts_at, ends_at, event_zone), viewer=_span(starts_at, ends_at, viewer_zone)
    )
