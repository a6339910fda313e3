"""Who takes part in an event: staff register SMEs and buyers and approve self-registrations; members
register their own organisation; staff keep the event's interpreters and their availability."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from matching.consultations.events import selectors
from matching.consultations.events import services as event_services
from matching.consultations.events.forms import InterpreterForm, RegistrationForm
from matching.consultations.events.models import Registration
from matching.consultations.events.views import visible_event
from matching.kernel import permissions
from portal.common.forms import add_service_errors


def event_registration(request, pk, registration_pk):
    """The event (visible to the user) and its registration, or 404."""
    event = visible_event(request, pk)
    registration = get_object_or_404(
        Registration.objects.select_related("company", "buyer"), pk=registration_pk, event=event
    )
    return event, registration


def _save_registration(request, form, event, **kwargs):
    """The registration saved, or None with the reason on the form."""
    try:
        return event_services.registration_save(form=form, event=event, **kwargs)
    except ValidationError as error:
        add_service_errors(form, error)
    return None


@login_required
def registration_list(request, pk):
    event = visible_event(request, pk)
    registrations = selectors.event_registrations(event)
    context = {
        "event": event,
        "registrations": registrations,
        "pending": sum(1 for r in registrations if r.status == Registration.Status.PENDING),
    }
    return render(request, "consultations/registration_list.html", context)


@login_required
def registration_create(request, pk):
    event = visible_event(request, pk)
    form = RegistrationForm(request.POST or None, event=event, registered_by=request.user)
    if request.method == "POST" and form.is_valid():
        registration = _save_registration(request, form, event)
        if registration is not None:
            messages.success(request, _("%(name)s is registered.") % {"name": registration})
            return redirect("consultations:registrations", pk=event.pk)
    context = {"event": event, "form": form, "registration": None}
    return render(request, "consultations/registration_form.html", context)


@login_required
def registration_edit(request, pk, registration_pk):
    event, registration = event_registration(request, pk, registration_pk)
    form = RegistrationForm(request.POST or None, instance=registration, event=event)
    if request.method == "POST" and form.is_valid():
        if _save_registration(request, form, event) is not None:
            messages.success(request, _("%(name)s's registration is saved.") % {"name": registration})
            return redirect("consultations:registrations", pk=event.pk)
    context = {"event": event, "form": form, "registration": registration}
    return render(request, "consultations/registration_form.html", context)


@login_required
def interpreter_list(request, pk):
    event = visible_event(request, pk)
    interpreters = event.interpreters.prefetch_related("languages").order_by("name")
    form = InterpreterForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        interpreter = form.save()
        messages.success(request, _("%(name)s is added.") % {"name": interpreter})
        return redirect("consultations:interpreters", pk=event.pk)
    return render(
        request,
        "consultations/interpreter_list.html",
        {"event": event, "interpreters": interpreters, "form": form},
    )


@login_required
def interpreter_edit(request, pk, interpreter_pk):
    event = visible_event(request, pk)
    interpreter = get_object_or_404(event.interpreters, pk=interpreter_pk)
    form = InterpreterForm(request.POST or None, instance=interpreter, event=event)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("%(name)s is saved.") % {"name": interpreter})
        return redirect("consultations:interpreters", pk=event.pk)
    return render(
        request,
        "consultations/interpreter_form.html",
        {"event": event, "form": form, "interpreter": interpreter},
    )


# ---------------------------------------------------------------- members
def _member(request):
    if not (request.user.company_id or request.user.buyer_organisation_id):
        raise PermissionDenied
    if not permissions.may(request.user, "take_part_in_events"):
        raise PermissionDenied


@login_required
def events_to_join(request):
    """Upcoming events the member's organisation can take part in, with its registration's state."""
    _member(request)
    return render(
        request, "consultations/events_to_join.html", {"events": selectors.events_open_to(request.user)}
    )


@login_required
def event_join(request, pk):
    """A member registers their organisation for an event (pending until staff confirm it), or
    updates their details while it is pending."""
    _member(request)
    events = {event.pk: event for event in selectors.events_open_to(request.user)}
    event = events.get(pk)
    if event is None:
        raise Http404
    registration = event.own_registration
    if registration is not None and registration.status != Registration.Status.PENDING:
        messages.info(
            request,
            _("Your registration's state: %(status)s.") % {"status": registration.get_status_display()},
        )
        return redirect("consultations:join_list")
    form = RegistrationForm(request.POST or None, instance=registration, event=event)
    if request.method == "POST" and form.is_valid():
        form.instance.company_id = request.user.company_id
        form.instance.buyer_id = request.user.buyer_organisation_id
        if _save_registration(request, form, event, status=Registration.Status.PENDING) is not None:
            messages.success(request, _("Your registration is sent; the KOTRA centre will confirm it."))
            return redirect("consultations:join_list")
    return render(request, "consultations/event_join.html", {"event": event, "form": form})
