"""Portal-wide pages: the home page and the health check."""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render

from portal import selectors

logger = logging.getLogger(__name__)


def home(request):
    context = {"figures": selectors.portal_figures(), "events": selectors.event_summaries()}
    return render(request, "home.html", context)


def healthz(request):
    """200 with {"status": "ok"} when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Health check: database unavailable: %s", error)
        return JsonResponse(
            {"status": "unavailable", "database": "down"},
            status=503,
            headers={"Retry-After": "10"},
        )
    return JsonResponse({"status": "ok", "database": "up"})
