"""The event's page for staff, scheduler runs, suggestions, and answering meeting requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching.consultations.booking import catalogue, change_request_selectors, scheduler_runs, services
from matching.consultations.booking import selectors as booking_selectors
from matching.consultations.booking.forms import MeetingChangeAnswerForm, ScheduleForm
from matching.consultations.events import selectors as event_selectors
from matching.consultations.events.forms import ReopenForm
from matching.consultations.events.models import Registration
from matching.consultations.events.registration_views import event_registration
from matching.consultations.events.views import visible_event
from portal.common.pages import path_on_this_site


@login_required
def event_detail(request, pk):
    event = visible_event(request, pk)
    context = booking_selectors.event_overview(event) | {
        "schedule_form": ScheduleForm(initial=_last_time_limit(event)),
        "reopen_form": ReopenForm(event=event),
        "change_requests": _change_requests_with_forms(event),
    }
    context["figures"]["change_requests"] = len(context["change_requests"])
    return render(request, "consultations/event_detail.html", context)


def _change_requests_with_forms(event):
    """The event's waiting change requests, each with its approve-or-refuse form (slots and tables read
    once for all of them)."""
    waiting = list(change_request_selectors.change_requests_waiting(event))
    if not waiting:
        return []
    slots, tables = list(event.slots.all()), list(event.tables.all())
    return [
        (change_request, MeetingChangeAnswerForm(change_request=change_request, slots=slots, tables=tables))
        for change_request in waiting
    ]


def _last_time_limit(event):
    """The time limit of the event's last run, so staff re-run with what they chose before."""
    last = event.scheduler_runs.first()
    return {"time_limit_seconds": last.time_limit_seconds} if last else {}


@login_required
@require_POST
def schedule_run(request, pk):
    """Start the auto-scheduler on the event in the background; the event page shows its progress."""
    event = visible_event(request, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["time_limit_seconds"]))
    else:
        try:
            scheduler_runs.schedule_event_enqueue(
                event=event,
                time_limit_seconds=form.cleaned_data["time_limit_seconds"],
                started_by=request.user,
            )
        except ValidationError as error:  # already running, maybe started from another app server
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The scheduler has started; this page shows its progress."))
    return redirect("consultations:detail", pk=event.pk)


@login_required
@require_POST
def meeting_request_answer(request, pk, answer):
    """The asked side's member accepts or declines a request (from their organisation page)."""
    meeting_request = booking_selectors.requests_to_answer(request.user).filter(pk=pk).first()
    if meeting_request is None:
        raise Http404
    try:
        services.meeting_request_answer(
            request=meeting_request, accept=answer == "accept", answered_by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your answer is sent."))
    return redirect("member_home")


@login_required
def event_suggestions(request, pk):
    event = visible_event(request, pk)
    context = {"event": event, "pairs": catalogue.suggestions(event)}
    return render(request, "consultations/event_suggestions.html", context)


@login_required
@require_POST
def meeting_request_create(request, pk):
    """Staff ask for a suggested meeting on both sides' behalf."""
    event = visible_event(request, pk)
    registrations = event_selectors.confirmed_registrations(event)
    try:
        sme = registrations.get(pk=request.POST.get("sme"), company__isnull=False)
        buyer = registrations.get(pk=request.POST.get("buyer"), buyer__isnull=False)
    except (Registration.DoesNotExist, ValueError):
        raise Http404 from None
    try:
        services.meeting_request_create(event=event, sme=sme, buyer=buyer, requested_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Meeting requested: %(sme)s and %(buyer)s.") % {"sme": sme, "buyer": buyer}
        )
    suggestions = reverse("consultations:suggestions", args=[event.pk])
    return HttpResponseRedirect(path_on_this_site(request, request.POST.get("next", ""), suggestions))


DECISIONS = {"confirm": Registration.Status.CONFIRMED, "withdraw": Registration.Status.WITHDRAWN}


@login_required
@require_POST
def registration_decide(request, pk, registration_pk, decision):
    """Confirm or withdraw a registration; withdrawing cancels its meetings (hence here, in booking)."""
    event, registration = event_registration(request, pk, registration_pk)
    services.registration_decide(
        registration=registration, status=DECISIONS[decision], decided_by=request.user
    )
    if decision == "confirm":
        messages.success(request, _("%(name)s's registration is confirmed.") % {"name": registration})
    else:
        messages.success(
            request, _("%(name)s is withdrawn; their meetings are cancelled.") % {"name": registration}
        )
    return redirect("consultations:registrations", pk=event.pk)
