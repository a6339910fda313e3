"""Agendas of the participants of an event: a page to read and print, and .ics files to import.

A member sees their own organisation's registrations and meetings, centre staff those of their
centre's events, admins all; anyone else gets 404, so nothing tells them that a registration exists.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header

from matching.consultations.booking import agendas, ics
from matching.consultations.booking.models import Meeting, MeetingChangeRequest
from matching.consultations.events import check_in, programme_selectors
from matching.kernel import permissions


def _visible_registration(request, pk):
    registrations = agendas.with_agenda_relations(agendas.registrations_visible_to(request.user))
    return get_object_or_404(registrations, pk=pk)


def _calendar_response(calendar, filename):
    response = HttpResponse(ics.to_bytes(calendar), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@login_required
def my_agenda(request):
    """The agendas of the member's company or buyer organisation, one per event it registered for."""
    if not permissions.may(request.user, "have_own_agendas"):
        raise PermissionDenied
    registrations = agendas.agendas_of_member(request.user)
    return render(request, "consultations/my_agendas.html", {"registrations": registrations})


@login_required
def registration_agenda(request, pk):
    """The agenda page. Its content is cached per user and language ({% cache %} in the template) under
    the participant's and the event's names and the state of its meetings (`_meetings_state`): a moved,
    cancelled or new meeting, or one that starts (its Outcome button), is shown at once; other names (the
    other party's, a table's) within PAGE_CACHE_SECONDS. The meetings, and the event's city, are only read
    when the cached content is missing."""
    registrations = agendas.registrations_visible_to(request.user).select_related("event", "company", "buyer")
    registration = get_object_or_404(registrations, pk=pk)
    viewer_zone = request.user.time_zone
    event_zone = registration.event.time_zone
    shown_zone = agendas.zone_or(viewer_zone, None)
    meetings_state = _meetings_state(registration)
    changes_waiting = {row[0]: row[-1] for row in meetings_state if row[-1] is not None}

    def agenda_rows():
        rows = []
        # Cancelled ones too, with their reason: a participant learns why a meeting went away.
        for meeting in agendas.agenda_meetings(registration, include_cancelled=True):
            meeting.change_waiting = changes_waiting.get(meeting.pk)  # the kind asked, or None
            rows.append((meeting, agendas.meeting_times(meeting, viewer_zone)))
        return rows

    rows = SimpleLazyObject(agenda_rows)

    def programme_rows():
        # Outside the cached content: a session staff change shows at once, in three small queries.
        return [
            (session, agendas.times_between(session.starts_at, session.ends_at, event_zone, viewer_zone))
            for session in programme_selectors.registration_programme(registration)
        ]

    programme = SimpleLazyObject(programme_rows)
    context = {
        "registration": registration,
        "event": registration.event,
        "rows": rows,
        "event_zone": event_zone,
        "viewer_zone": shown_zone.key if shown_zone else event_zone,
        # A second column only when it shows other wall-clock times than the first.
        "show_viewer_zone": SimpleLazyObject(lambda: any(not times.same_zone for _, times in rows)),
        "programme": programme,
        "programme_viewer_zone": SimpleLazyObject(lambda: any(not times.same_zone for _, times in programme)),
        "own": permissions.may(request.user, "have_own_agendas"),
        "meetings_state": meetings_state,
        "page_cache_seconds": settings.PAGE_CACHE_SECONDS,
    }
    if registration.status == registration.Status.CONFIRMED:
        context["check_in_qr"] = check_in.qr_svg(registration, request)
        context["check_in_code"] = check_in.display_code(registration.check_in_code)
    return render(request, "consultations/agenda.html", context)


def _meetings_state(registration):
    """What the agenda shows of its meetings but names, in one small query: the cached content's key.
    Each row ends with the kind of change waiting for the meeting (reschedule, cancel) or None."""
    now = timezone.now()
    waiting = MeetingChangeRequest.objects.filter(
        meeting=OuterRef("pk"), status=MeetingChangeRequest.Status.PENDING
    ).values("kind")[:1]
    meetings = (
        Meeting.objects.filter(Q(sme=registration) | Q(buyer=registration))
        .annotate(change_waiting=Subquery(waiting))
        .order_by("pk")
    )
    fields = (
        "pk",
        "status",
        "mode",
        "online_link",
        "table_id",
        "interpreter_id",
        "slot_id",
        "slot__starts_at",
    )
    rows = meetings.values_list(*fields, "change_waiting")
    return [(*row[:-2], row[-2] <= now, row[-1]) for row in rows]


@login_required
def registration_ics(request, pk):
    """The whole agenda as one .ics file (cancelled meetings included, marked CANCELLED), with the
    programme sessions the participant speaks in, must attend, or may join (open to all)."""
    registration = _visible_registration(request, pk)
    meetings = agendas.agenda_meetings(registration, include_cancelled=True)
    sessions = programme_selectors.registration_programme(registration)
    calendar = ics.agenda_calendar(registration, meetings, sessions=sessions)
    return _calendar_response(calendar, f"agenda-{registration.event.slug}-{registration.pk}.ics")


@login_required
def meeting_ics(request, pk):
    meeting = agendas.visible_meeting_or_404(request.user, pk)
    return _calendar_response(ics.meeting_calendar(meeting), f"meeting-{meeting.pk}.ics")
