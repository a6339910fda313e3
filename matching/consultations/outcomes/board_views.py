"""The staff's live board of an event day (htmx polls it and swaps in its table; HX-Request: the table
alone), and filling one of its freed places with a walk-in pair."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from matching.consultations.booking import services as booking_services
from matching.consultations.events.models import Table, TimeSlot
from matching.consultations.events.views import visible_event
from matching.consultations.outcomes.board import event_day_board
from matching.consultations.outcomes.forms import WalkInForm
from matching.consultations.outcomes.walk_ins import walk_in_panel
from portal.common.forms import add_service_errors

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


def _place(request, event):
    """The slot and table a walk-in page is about (?slot=&table=), both of the event, else 404."""
    try:
        slot_pk, table_pk = int(request.GET.get("slot", "")), int(request.GET.get("table", ""))
    except ValueError:
        raise Http404 from None
    slot = get_object_or_404(TimeSlot.objects.select_related("event"), pk=slot_pk, event=event)
    table = get_object_or_404(Table, pk=table_pk, event=event)
    return slot, table


def _board_url(event, day):
    return f"{reverse('consultations:board', args=[event.pk])}?day={day.isoformat()}"


@login_required
def walk_in(request, pk):
    """A freed place of the board (GET): who can fill it. POST books the pair chosen, as the grid books,
    and goes back to the board; a conflict re-renders the page with what stands in the way."""
    event = visible_event(request, pk)
    slot, table = _place(request, event)
    now = timezone.now()
    panel = walk_in_panel(event, slot, table, now)
    form = WalkInForm(request.POST or None, event=event, panel=panel)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = booking_services.walk_in_book(
                slot=slot,
                table=table,
                sme=data["sme"],
                buyer=data["buyer"],
                interpreter=data["interpreter"],
                booked_by=request.user,
                now=now,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            panel = walk_in_panel(event, slot, table, timezone.now())  # as it is now, after the conflict
        else:
            messages.success(
                request,
                _("Walk-in booked: %(sme)s and %(buyer)s at %(table)s, %(time)s. Both sides are told.")
                % {
                    "sme": meeting.sme,
                    "buyer": meeting.buyer,
                    "table": table,
                    "time": timezone.localtime(slot.starts_at, event.zone).strftime("%H:%M"),
                },
            )
            return redirect(_board_url(event, panel.day))
    context = {"event": event, "panel": panel, "form": form, "board_url": _board_url(event, panel.day)}
    return render(request, "consultations/walk_in.html", context)
