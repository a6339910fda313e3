"""Event pages for staff: the list of events, creating and editing one, publishing and reopening it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching.consultations.events import selectors, services
from matching.consultations.events.forms import EventEditForm, EventForm, ReopenForm
from matching.kernel import permissions
from matching.kernel.models import TradeCentre
from portal.common.dates import date_format
from portal.common.forms import add_service_errors


def visible_event(request, pk):
    """The event if the user runs it (its centre's staff, admins), else 404."""
    return get_object_or_404(selectors.events_visible_to(request.user).select_related("city__country"), pk=pk)


@login_required
def event_list(request):
    if not permissions.may(request.user, "run_events"):
        raise PermissionDenied
    events = selectors.events_visible_to(request.user).select_related("city__country", "organising_centre")
    return render(request, "consultations/event_list.html", {"events": events})


@login_required
def event_create(request):
    if not permissions.may(request.user, "run_events"):
        raise PermissionDenied
    centre = request.user.trade_centre
    form = EventForm(request.POST or None, centre=centre)
    valid = request.method == "POST" and form.is_valid()
    # Looked up after validating: a first sending that committed meanwhile has taken the slug.
    earlier = selectors.event_made_by_form(request.user, request.POST.get("form_token"))
    if earlier is not None:  # this very form was sent before (a double click, a second tab)
        messages.info(request, _("This form was already sent: here is the event it created."))
        return redirect("consultations:detail", pk=earlier.pk)
    if valid:
        if centre is None:  # an admin: the centre covering the city organises it
            centre = TradeCentre.objects.filter(countries=form.cleaned_data["city"].country_id).first()
        if centre is None:
            form.add_error("city", _("No KOTRA trade centre covers this city's country."))
        else:
            try:
                event, created = services.event_create(
                    form=form, organising_centre=centre, **form.slot_plan()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if created:
                    messages.success(request, _("The event is set up with its slots and tables."))
                else:
                    messages.info(request, _("This form was already sent: here is the event it created."))
                return redirect("consultations:detail", pk=event.pk)
    return render(request, "consultations/event_form.html", {"form": form})


@login_required
def event_edit(request, pk):
    """Staff change an event's details; its slots and tables follow while no meeting stands in the way."""
    event = visible_event(request, pk)
    form = EventEditForm(
        request.POST or None, instance=event, centre=event.organising_centre,
        initial=services.event_schedule_initial(event),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(form=form, **form.slot_plan())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("consultations:detail", pk=event.pk)
    return render(request, "consultations/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
def event_publish(request, pk, action):
    """Publish the event (home page, members' registration) or take it back to draft."""
    event = services.event_publish(event=visible_event(request, pk), published=action == "publish")
    if event.is_published:
        messages.success(request, _("The event is published: members can see it and register."))
    else:
        messages.success(request, _("The event is a draft again: only its centre's staff see it."))
    return redirect("consultations:detail", pk=event.pk)


@login_required
@require_POST
def event_reopen(request, pk):
    """Reopen an event that is over, until a day staff choose, after they confirm it."""
    event = visible_event(request, pk)
    form = ReopenForm(request.POST, event=event)
    if form.is_valid():
        try:
            event = services.event_reopen(
                event=event, until=form.cleaned_data["until"], reopened_by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The event is open to changes until %(day)s.") % {"day": date_format(event.reopened_until)},
            )
            return redirect("consultations:detail", pk=event.pk)
    messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect("consultations:detail", pk=event.pk)


@login_required
@require_POST
def event_reopening_end(request, pk):
    services.event_reopening_end(event=visible_event(request, pk))
    messages.success(request, _("The event is read-only again."))
    return redirect("consultations:detail", pk=pk)
