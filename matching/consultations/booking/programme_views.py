"""An event's programme: staff of its centre keep its sessions; anyone reads it on the event's public page.

Here in booking because saving a session warns staff of the booked meetings it now overlaps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching.consultations.booking import selectors as booking_selectors
from matching.consultations.events import programme, programme_selectors, selectors
from matching.consultations.events.forms import ProgrammeSessionForm
from matching.consultations.events.models import Event, ProgrammeSession
from matching.consultations.events.views import visible_event
from portal.common.forms import add_service_errors


def _event_session(request, pk, session_pk):
    event = visible_event(request, pk)
    session = get_object_or_404(event.programme.prefetch_related("languages", "roles"), pk=session_pk)
    session.event = event
    return event, session


def _busy_warning(request, session):
    """Staff are told which booked meetings now fall in the session (the scheduler moves unlocked ones on
    its next run; locked ones stay until staff move them)."""
    meetings = booking_selectors.meetings_during(session)
    if meetings:
        names = "; ".join(f"{meeting.sme} – {meeting.buyer}" for meeting in meetings)
        messages.warning(
            request,
            _("These booked meetings fall in the session, with a participant taking part in it: %(names)s. "
              "Move them on the meeting grid, or run the scheduler.") % {"names": names},
        )  # fmt: skip


def _programme_context(event, form):
    sessions = programme_selectors.event_programme(event)
    return {
        "event": event,
        "form": form,
        "days": programme_selectors.sessions_by_local_day(sessions, event.zone),
        "session_count": len(sessions),
    }


@login_required
def programme_sessions(request, pk):
    """The programme for staff, with the form to add a session."""
    event = visible_event(request, pk)
    form = ProgrammeSessionForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            session, created = programme.programme_session_create(
                event=event, data=form.session_data(), form_token=form.cleaned_data.get("form_token")
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if created:
                messages.success(request, _("“%(title)s” is on the programme.") % {"title": session.title})
                _busy_warning(request, session)
            else:
                messages.info(request, _("This form was already sent: the session is on the programme once."))
            return redirect("consultations:programme_sessions", pk=event.pk)
    return render(request, "consultations/programme_sessions.html", _programme_context(event, form))


@login_required
def programme_session_edit(request, pk, session_pk):
    event, session = _event_session(request, pk, session_pk)
    form = ProgrammeSessionForm(request.POST or None, event=event, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            session = programme.programme_session_update(session=session, data=form.session_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” is saved.") % {"title": session.title})
            _busy_warning(request, session)
            return redirect("consultations:programme_sessions", pk=event.pk)
    context = {"event": event, "form": form, "session": session}
    return render(request, "consultations/programme_session_form.html", context)


@login_required
@require_POST
def programme_session_delete(request, pk, session_pk):
    event = visible_event(request, pk)
    session = ProgrammeSession.objects.filter(event=event, pk=session_pk).first()
    if session is None:  # deleted already: a double submit, or a colleague's click
        messages.info(request, _("This session is no longer on the programme."))
        return redirect("consultations:programme_sessions", pk=event.pk)
    try:
        programme.programme_session_delete(session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(title)s” is taken off the programme.") % {"title": session.title})
    return redirect("consultations:programme_sessions", pk=event.pk)


def event_programme(request, pk):
    """The event's public page: where and when, and its programme. A draft is seen by its staff only."""
    event = Event.objects.select_related("city__country", "organising_centre").filter(pk=pk).first()
    if event is None:
        raise Http404
    runs_it = selectors.events_visible_to(request.user).filter(pk=pk).exists()
    if not event.is_published and not runs_it:
        raise Http404
    sessions = programme_selectors.event_programme(event)
    context = {
        "event": event,
        "days": programme_selectors.sessions_by_local_day(sessions, event.zone),
        "runs_it": runs_it,
    }
    return render(request, "consultations/event_programme.html", context)
