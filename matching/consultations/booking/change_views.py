"""Participants ask to reschedule or cancel a booked roadshow meeting (and withdraw it); the organising
centre's staff approve or refuse from the event's page.

A member who is not on the meeting's two sides gets 404 (nothing tells them it exists), staff and admins
403 on the participants' pages; on the event's pages other centres' staff and members get 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching.consultations.booking import agendas, change_requests
from matching.consultations.booking import change_request_selectors as selectors
from matching.consultations.booking.forms import MeetingChangeAnswerForm, MeetingChangeRequestForm
from matching.consultations.booking.models import Meeting, MeetingChangeRequest
from matching.consultations.events.views import visible_event
from matching.kernel import permissions
from portal.common.forms import add_service_errors


def _own_meeting(request, pk):
    """The meeting `pk` of the member's organisation with what its page shows; 403 for staff, 404 else."""
    if not permissions.is_member(request.user):
        raise PermissionDenied
    meetings = agendas.meetings_visible_to(request.user).select_related(
        "slot__event__city", "slot__event__organising_centre", "table", "sme__company", "buyer__buyer"
    )
    meeting = get_object_or_404(meetings, pk=pk)
    if not permissions.may(request.user, "ask_meeting_change", meeting):
        raise Http404
    return meeting


def _own_registration(user, meeting):
    return meeting.sme if user.company_id and user.company_id == meeting.sme.company_id else meeting.buyer


def can_ask_change(meeting):
    """Whether the meeting can still be asked to change (the service says why not, precisely)."""
    return (
        meeting.status == Meeting.Status.SCHEDULED
        and not meeting.has_started
        and not meeting.slot.event.is_read_only
    )


@login_required
def meeting_change_ask(request, pk):
    """GET: the meeting, its waiting change request (to withdraw) or the form to ask. POST: ask."""
    meeting = _own_meeting(request, pk)
    own = _own_registration(request.user, meeting)
    waiting = selectors.change_request_waiting(meeting)
    form = MeetingChangeRequestForm(request.POST or None)
    if request.method == "POST":
        if waiting is not None:  # a double submit, or a colleague asked meanwhile
            messages.info(request, _("A change of this meeting is already waiting for KOTRA's answer."))
            return redirect("consultations:meeting_change_ask", pk=meeting.pk)
        if form.is_valid():
            try:
                change_requests.meeting_change_request_create(
                    meeting=meeting, asked_by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                if selectors.change_request_waiting(meeting) is not None:
                    messages.info(request, " ".join(error.messages))
                    return redirect("consultations:meeting_change_ask", pk=meeting.pk)
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your request is sent to %(centre)s. The meeting stays as booked until they answer.")
                    % {"centre": meeting.slot.event.organising_centre},
                )
                return redirect("consultations:agenda", pk=own.pk)
    context = {
        "meeting": meeting,
        "event": meeting.slot.event,
        "own": own,
        "other_party": meeting.buyer if own == meeting.sme else meeting.sme,
        "times": agendas.meeting_times(meeting, request.user.time_zone),
        "waiting": waiting,
        "own_side_asked": waiting is not None
        and waiting.asking_side == ("sme" if own == meeting.sme else "buyer"),
        "can_ask": can_ask_change(meeting),
        "form": form,
    }
    return render(request, "consultations/meeting_change_ask.html", context)


@login_required
@require_POST
def meeting_change_withdraw(request, pk):
    """The asking side takes its waiting change request back."""
    if not permissions.is_member(request.user):
        raise PermissionDenied
    visible = MeetingChangeRequest.objects.filter(meeting__in=agendas.meetings_visible_to(request.user))
    change_request = get_object_or_404(visible.select_related("meeting__sme", "meeting__buyer"), pk=pk)
    try:
        change_requests.meeting_change_request_withdraw(
            change_request=change_request, withdrawn_by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your request is withdrawn: the meeting stays as booked."))
    return redirect("consultations:meeting_change_ask", pk=change_request.meeting_id)


def answer_form(change_request, data=None):
    """The approve-or-refuse form of a change request, with its event's slots and tables."""
    event = change_request.meeting.slot.event
    return MeetingChangeAnswerForm(
        data,
        change_request=change_request,
        slots=list(event.slots.all()),
        tables=list(event.tables.all()),
    )


@login_required
def meeting_change_answer(request, pk, request_pk):
    """GET: a change request with the approve-or-refuse form (the event's page has the same form).
    POST (decision=approve|refuse): answer it; a refused move (the slot is taken) shows the form again."""
    event = visible_event(request, pk)
    if not permissions.may(request.user, "answer_meeting_change", event):
        raise PermissionDenied
    change_request = get_object_or_404(selectors.change_requests_of_event(event), pk=request_pk)
    data = request.POST if request.method == "POST" else None
    form = answer_form(change_request, data)
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision not in ("approve", "refuse"):
            form.add_error(None, _("Choose to approve or to refuse."))
        elif change_request.status != MeetingChangeRequest.Status.PENDING:
            messages.info(
                request,
                _("This request was already answered: %(status)s.")
                % {"status": change_request.get_status_display()},
            )
            return redirect("consultations:detail", pk=event.pk)
        elif form.is_valid():
            try:
                change_requests.meeting_change_request_answer(
                    change_request=change_request,
                    answered_by=request.user,
                    approve=decision == "approve",
                    **form.cleaned_data,
                )
            except ValidationError as error:
                change_request.refresh_from_db(fields=["status"])
                if change_request.status != MeetingChangeRequest.Status.PENDING:  # a colleague was quicker
                    messages.info(request, " ".join(error.messages))
                    return redirect("consultations:detail", pk=event.pk)
                add_service_errors(form, error)
            else:
                messages.success(request, _answered_message(change_request, decision))
                return redirect("consultations:detail", pk=event.pk)
    context = {"event": event, "change_request": change_request, "form": form}
    return render(request, "consultations/meeting_change_answer.html", context)


def _answered_message(change_request, decision):
    if decision == "refuse":
        return _("The request is refused; both sides are told why.")
    if change_request.kind == MeetingChangeRequest.Kind.CANCEL:
        return _("The meeting is cancelled; both sides are told why.")
    return _("The meeting is moved and locked; both sides get the new time.")
