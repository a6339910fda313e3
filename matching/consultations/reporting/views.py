"""The results dashboard for centre staff (their centre's events) and admins (all events), and its CSV."""

import logging
import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header

from matching.consultations.booking.models import Meeting
from matching.consultations.events import selectors
from matching.consultations.events.models import Event
from matching.consultations.reporting import dashboard, exports, ministry, ministry_render
from matching.kernel import permissions

logger = logging.getLogger(__name__)


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
        # The roadshow years of the events in view, for their ministry's reports (newest first).
        "report_years": SimpleLazyObject(
            lambda: [day.year for day in events.dates("start_date", "year", order="DESC")]
        ),
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


# ---------------------------------------------------------------- the ministry's report (PDF and XLSX)


def _report_response(report, name, language, extension):
    """The report rendered in `language` as a download; refused clearly (503) when its fonts are missing."""
    with translation.override(language):
        try:
            content = (
                ministry_render.render_pdf(report)
                if extension == "pdf"
                else ministry_render.render_xlsx(report)
            )
        except ministry_render.ReportFontMissing as error:
            logger.error("Ministry report not made: %s", error)
            return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    content_type = "application/pdf" if extension == "pdf" else exports.XLSX_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    filename = f"ministry-report-{name}-{language}.{extension}"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@login_required
def ministry_report_event(request, pk, language, extension):
    """One event's report: staff of its centre and admins (others on staff: 404; members: 403)."""
    if not permissions.may(request.user, "run_events"):
        raise PermissionDenied
    event = get_object_or_404(selectors.events_visible_to(request.user), pk=pk)
    report = ministry.ministry_report(Event.objects.filter(pk=event.pk))
    return _report_response(report, event.slug, language, extension)


@login_required
def ministry_report_year(request, year, language, extension):
    """A roadshow year's report: admins all events of the year, staff their centre's (404 if none)."""
    if not permissions.may(request.user, "run_events"):
        raise PermissionDenied
    events = selectors.events_visible_to(request.user).filter(start_date__year=int(year))
    if not events.exists():
        raise Http404
    report = ministry.ministry_report(events, year=int(year))
    return _report_response(report, str(year), language, extension)
