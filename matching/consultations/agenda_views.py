"""Agendas of the participants of an event: a page to read and print, and .ics files to import.

A member sees their own organisation's registrations and meetings, centre staff those of their
centre's events, admins all; anyone else gets 404, so nothing tells them that a registration exists.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from portal import caching

from . import agendas, ics
from .models import Meeting, Registration


def _visible_registration(request, pk):
    registrations = agendas.with_agenda_relations(agendas.registrations_visible_to(request.user))
    try:
        return registrations.get(pk=pk)
    except Registration.DoesNotExist:
        raise Http404 from None


def _calendar_response(calendar, filename):
    response = HttpResponse(ics.to_bytes(calendar), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@login_required
def my_agenda(request):
    """The agendas of the member's company or buyer organisation, one per event it registered for."""
    if not agendas.has_own_agendas(request.user):
        raise PermissionDenied
    registrations = agendas.agendas_of_member(request.user)
    return render(request, "consultations/my_agendas.html", {"registrations": registrations})


@login_required
def registration_agenda(request, pk):
    """The agenda page. Its title and content are kept (portal.caching) per user until anything in an
    event, an organisation or a user changes, or its next meeting starts."""
    title, content = caching.kept(
        f"agenda:{pk}:{request.user.pk}",
        [caching.CONSULTATIONS, caching.DIRECTORIES, caching.IDENTITIES],
        lambda: _agenda_parts(request, pk),
    )
    return render(request, "consultations/agenda.html", {"title": title, "content": content})


def _agenda_parts(request, pk):
    """((title, content HTML), when they go old by the clock: the start of the next meeting, whose
    Outcome button then shows)."""
    registration = _visible_registration(request, pk)
    meetings = agendas.agenda_meetings(registration)
    viewer_zone = request.user.time_zone
    rows = [(meeting, agendas.meeting_times(meeting, viewer_zone)) for meeting in meetings]
    event_zone = registration.event.time_zone
    shown_zone = agendas.zone_or(viewer_zone, None)
    context = {
        "registration": registration,
        "event": registration.event,
        "rows": rows,
        "event_zone": event_zone,
        "viewer_zone": shown_zone.key if shown_zone else event_zone,
        # A second column only when it shows other wall-clock times than the first.
        "show_viewer_zone": any(not times.same_zone for _, times in rows),
        "own": agendas.has_own_agendas(request.user),
    }
    title = f"{_('Agenda')} · {registration} · {registration.event.name}"
    content = render_to_string("consultations/includes/agenda_content.html", context, request=request)
    now = timezone.now()
    next_start = min((m.slot.starts_at for m in meetings if m.slot.starts_at > now), default=None)
    return (title, content), next_start


@login_required
def registration_ics(request, pk):
    """The whole agenda as one .ics file (cancelled meetings included, marked CANCELLED)."""
    registration = _visible_registration(request, pk)
    meetings = agendas.agenda_meetings(registration, include_cancelled=True)
    calendar = ics.agenda_calendar(registration, meetings)
    return _calendar_response(calendar, f"agenda-{registration.event.slug}-{registration.pk}.ics")


@login_required
def meeting_ics(request, pk):
    try:
        meeting = agendas.meeting_with_relations(agendas.meetings_visible_to(request.user), pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    return _calendar_response(ics.meeting_calendar(meeting), f"meeting-{meeting.pk}.ics")
