"""Event pages for staff: the list of events and creating one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from matching.consultations.events import selectors, services
from matching.consultations.events.forms import EventForm
from matching.kernel import permissions
from matching.kernel.models import TradeCentre
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
                    form=form,
                    organising_centre=centre,
                    sessions=form.sessions(),
                    break_minutes=form.cleaned_data["break_minutes"],
                    table_count=form.cleaned_data["table_count"],
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
