"""The staff's live board of an event day; htmx polls it and swaps in its table (HX-Request: the table
alone)."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from matching.consultations.events.views import visible_event
from matching.consultations.outcomes.board import event_day_board

POLL_SECONDS = 20


@login_required
def event_board(request, pk):
    event = visible_event(request, pk)
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = None
    now = timezone.now()
    board = event_day_board(event, day, now)
    context = {"event": event, "board": board, "now": now, "poll_seconds": POLL_SECONDS}
    partial = request.headers.get("HX-Request") == "true"
    template = "consultations/includes/board_table.html" if partial else "consultations/board.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
