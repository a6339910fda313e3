"""A member's side of an event: the participants of the other side, and meeting requests to them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching.consultations.booking import catalogue, services
from matching.consultations.booking import selectors as booking_selectors
from matching.consultations.booking.forms import MeetingRequestForm
from matching.consultations.booking.models import MeetingRequest
from matching.consultations.events import selectors as event_selectors
from matching.consultations.events import services as event_services
from matching.consultations.events.models import Event, Registration, TimeSlot


def _own_confirmed_registration(request, pk):
    """The member's organisation's confirmed registration for the event, else 404."""
    event = Event.objects.filter(pk=pk).select_related("city__country").first()
    own = event_selectors.own_registration(request.user, event) if event else None
    if own is None or own.status != Registration.Status.CONFIRMED:
        raise Http404
    return event, own


@login_required
def event_meet(request, pk):
    """GET: the other side's participants, with the state of each pair. POST: request a meeting."""
    event, own = _own_confirmed_registration(request, pk)
    form = MeetingRequestForm(request.POST or None)
    if request.method == "POST":
        other = _counterpart(own, request.POST.get("with"))
        if form.is_valid():
            sme, buyer = (own, other) if own.company_id else (other, own)
            try:
                services.meeting_request_create(
                    event=event, sme=sme, buyer=buyer, requested_by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Your request is sent to %(name)s; they will accept or decline.") % {"name": other},
                )
                return redirect(_back_to_catalogue(request, event, other))
        else:
            messages.error(
                request, _("The request could not be sent: %(errors)s") % {"errors": _errors(form)}
            )
    filterset, cards = catalogue.catalogue(own, request.user, request.GET)
    context = {
        "event": event,
        "own": own,
        "filter": filterset,
        "cards": cards,
        "filtered": any(value for name, value in request.GET.items() if name != "sort"),
        "answerable": set(booking_selectors.requests_to_answer(request.user).values_list("pk", flat=True)),
        "priorities": MeetingRequest.Priority.choices,
        "sessions": TimeSlot.Session.choices,
    }
    return render(request, "consultations/event_meet.html", context)


@login_required
@require_POST
def shortlist_change(request, pk, action):
    """Add a participant of the other side to the member's shortlist for the event, or take it off."""
    event, own = _own_confirmed_registration(request, pk)
    other = _counterpart(own, request.POST.get("with"))
    if action == "add":
        try:
            event_services.shortlist_entry_add(user=request.user, registration=other)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s is on your shortlist.") % {"name": other})
    else:
        event_services.shortlist_entry_remove(user=request.user, registration=other)
        messages.success(request, _("%(name)s is off your shortlist.") % {"name": other})
    return redirect(_back_to_catalogue(request, event, other))


def _back_to_catalogue(request, event, other):
    """The catalogue page the form was sent from, its filters kept, at the participant's card."""
    url = reverse("consultations:meet", args=[event.pk])
    query = QueryDict(request.POST.get("filters", "")).urlencode()
    return f"{url}?{query}#p{other.pk}" if query else f"{url}#p{other.pk}"


def _counterpart(own, pk):
    try:
        return Registration.objects.get(
            pk=pk,
            event_id=own.event_id,
            status=Registration.Status.CONFIRMED,
            company__isnull=own.company_id is not None,
        )
    except (Registration.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _errors(form):
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)
