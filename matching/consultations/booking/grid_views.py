"""The staff's grid of an event (tables x slots) and booking, moving and cancelling meetings by hand."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from matching.consultations.booking import selectors, services
from matching.consultations.booking.forms import MeetingCancelForm, MeetingForm
from matching.consultations.booking.models import Meeting
from matching.consultations.events.views import visible_event
from portal.common.forms import add_service_errors


def _event_meeting(request, pk, meeting_pk):
    event = visible_event(request, pk)
    meeting = get_object_or_404(
        Meeting.objects.select_related("slot__event", "sme__company", "buyer__buyer"),
        pk=meeting_pk,
        slot__event=event,
    )
    return event, meeting


def _grid_url(event, slot):
    day = slot.starts_at.astimezone(event.zone).date() if slot else None
    url = reverse("consultations:grid", args=[event.pk])
    return f"{url}?day={day.isoformat()}" if day else url


@login_required
def event_grid(request, pk):
    event = visible_event(request, pk)
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = None
    days, day, tables, rows = selectors.event_grid(event, day)
    context = {"event": event, "days": days, "day": day, "tables": tables, "rows": rows}
    return render(request, "consultations/event_grid.html", context)


@login_required
def meeting_create(request, pk):
    """Book a meeting by hand on both sides' behalf (the pair's accepted request, if any, is booked)."""
    event = visible_event(request, pk)
    initial = {key: request.GET[key] for key in ("slot", "table", "sme", "buyer") if request.GET.get(key)}
    form = MeetingForm(request.POST or None, event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_book(
                slot=data["slot"],
                sme=data["sme"],
                buyer=data["buyer"],
                booked_by=request.user,
                table=data.get("table"),
                mode=data.get("mode") or Meeting.Mode.IN_PERSON,
                online_link=data.get("online_link", ""),
                interpreter=data.get("interpreter"),
                locked=data["locked"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Booked: %(sme)s and %(buyer)s, %(slot)s.")
                % {"sme": meeting.sme, "buyer": meeting.buyer, "slot": meeting.slot},
            )
            return redirect(_grid_url(event, meeting.slot))
    context = {"event": event, "form": form, "meeting": None}
    return render(request, "consultations/meeting_form.html", context)


@login_required
def meeting_edit(request, pk, meeting_pk):
    event, meeting = _event_meeting(request, pk, meeting_pk)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise Http404
    form = MeetingForm(request.POST or None, instance=meeting, event=event)
    if request.method == "POST" and form.is_valid():
        changes = {
            name: form.cleaned_data[name] for name in services.MOVABLE_FIELDS if name in form.cleaned_data
        }
        try:
            services.meeting_change(meeting=meeting, changed_by=request.user, **changes)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting is changed; both sides are told."))
            return redirect(_grid_url(event, meeting.slot))
    context = {"event": event, "form": form, "meeting": meeting}
    return render(request, "consultations/meeting_form.html", context)


@login_required
def meeting_cancel(request, pk, meeting_pk):
    """GET: confirm the cancellation and give its reason. POST: cancel; both sides are told why."""
    event, meeting = _event_meeting(request, pk, meeting_pk)
    if meeting.status != Meeting.Status.SCHEDULED:  # a second click, or a colleague was quicker
        messages.info(request, _("This meeting is already cancelled."))
        return redirect(_grid_url(event, meeting.slot))
    form = MeetingCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                meeting=meeting, cancelled_by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The meeting is cancelled; both sides are told why."))
        return redirect(_grid_url(event, meeting.slot))
    context = {"event": event, "meeting": meeting, "form": form}
    return render(request, "consultations/meeting_cancel.html", context)


@login_required
@require_POST
def meetings_lock(request, pk, action):
    event = visible_event(request, pk)
    count = services.meetings_lock(event=event, locked=action == "lock")
    if action == "lock":
        message = ngettext("%(count)d meeting locked.", "%(count)d meetings locked.", count)
    else:
        message = ngettext("%(count)d meeting unlocked.", "%(count)d meetings unlocked.", count)
    messages.success(request, message % {"count": count})
    return redirect("consultations:grid", pk=event.pk)
