"""The results dashboard for centre staff (their centre's events) and admins (all events), and its CSV."""

import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from matching.consultations.booking.models import Meeting
from matching.consultations.events import selectors
from matching.consultations.reporting import dashboard, exports
from matching.kernel import permissions


def _chosen_event_id(request):
    """The ?event= id, or None when there is none or it is not an id."""
    event = request.GET.get("event", "")
    # Not str.isdigit(): it also passes "²" and a 5000-digit number, which int() refuses.
    return int(event) if re.fullmatch(r"[0-9]{1,18}", event) else None


def _scope(request):
    """(the events in view, all events the user may see, the chosen event or None)."""
    if not permissions.may(request.user, "run_events"):
        raise PermissionDenied
    visible = selectors.events_visible_to(request.user)
    event = _chosen_event_id(request)
    chosen = visible.filter(pk=event).first() if event is not None else None
    return (visible.filter(pk=chosen.pk) if chosen else visible), visible, chosen


@login_required
def results(request):
    """The figures of the events in view. They are cached per user, chosen event and language for
    PAGE_CACHE_SECONDS ({% cache %} in the template), and only computed when the cached content is missing."""
    events, visible, chosen = _scope(request)
    context = {
        "results": SimpleLazyObject(lambda: _figures(events)),
        "choices": visible.order_by("-start_date"),
        "chosen": chosen,
        "page_cache_seconds": settings.PAGE_CACHE_SECONDS,
    }
    return render(request, "consultations/dashboard.html", context)


def _figures(events):
    figures = dashboard.dashboard(events)
    figures["chart"] = {
        "events": [e.name for e in figures["events"]],
        "meetings": [e.figures.meetings for e in figures["events"]],
        "held": [e.figures.held for e in figures["events"]],
        "mous": [e.figures.mous for e in figures["events"]],
        "categories": [str(c) for c in figures["categories"]],
        "category_meetings": [c.meetings for c in figures["categories"]],
    }
    return figures


def _meetings_export(request, extension, respond):
    events, _, chosen = _scope(request)
    rows = exports.meeting_rows(Meeting.objects.filter(slot__event__in=events))
    name = f"meetings-{chosen.slug}.{extension}" if chosen else f"meetings.{extension}"
    return respond(rows, exports.MEETING_COLUMNS, name)


@login_required
def results_csv(request):
    return _meetings_export(request, "csv", exports.csv_response)


@login_required
def results_xlsx(request):
    return _meetings_export(request, "xlsx", exports.xlsx_response)
