"""The results dashboard for centre staff (their centre's events) and admins (all events), and its CSV."""

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.loader import render_to_string

from portal import caching

from . import dashboard, exports, selectors
from .models import Meeting


def _chosen_event_id(request):
    """The ?event= id, or None when there is none or it is not an id."""
    event = request.GET.get("event", "")
    # Not str.isdigit(): it also passes "²" and a 5000-digit number, which int() refuses.
    return int(event) if re.fullmatch(r"[0-9]{1,18}", event) else None


def _scope(request):
    """(the events in view, all events the user may see, the chosen event or None)."""
    if not selectors.can_run_events(request.user):
        raise PermissionDenied
    visible = selectors.events_visible_to(request.user)
    event = _chosen_event_id(request)
    chosen = visible.filter(pk=event).first() if event is not None else None
    return (visible.filter(pk=chosen.pk) if chosen else visible), visible, chosen


@login_required
def results(request):
    """The figures of the events in view. The page's content is kept (portal.caching) per user and chosen
    event until anything in an event, an organisation or a user changes."""
    if not selectors.can_run_events(request.user):
        raise PermissionDenied
    content = caching.kept(
        f"dashboard:{request.user.pk}:{_chosen_event_id(request)}",
        [caching.CONSULTATIONS, caching.DIRECTORIES, caching.IDENTITIES],
        lambda: (_results_content(request), None),
    )
    return render(request, "consultations/dashboard.html", {"content": content})


def _results_content(request):
    events, visible, chosen = _scope(request)
    context = dashboard.dashboard(events)
    chart = {
        "events": [e.name for e in context["events"]],
        "meetings": [e.figures.meetings for e in context["events"]],
        "held": [e.figures.held for e in context["events"]],
        "mous": [e.figures.mous for e in context["events"]],
        "categories": [str(c) for c in context["categories"]],
        "category_meetings": [c.meetings for c in context["categories"]],
    }
    context |= {
        "choices": visible.order_by("-start_date"),
        "chosen": chosen,
        "chart": chart,
    }
    return render_to_string("consultations/includes/dashboard_content.html", context, request=request)


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
