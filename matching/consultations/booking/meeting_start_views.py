"""The check-in page at one table: staff there scan or type a participant's code, which checks them in and
starts their meeting at this table (meeting_starts)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect

from matching.consultations.booking import meeting_starts, selectors
from matching.consultations.booking.meeting_starts import Started
from matching.consultations.events.check_in_views import CheckInForm, render_check_in
from matching.consultations.events.views import visible_event

LEVELS = {
    Started.STARTED: messages.SUCCESS,
    Started.ALREADY: messages.INFO,
    Started.WAITING: messages.INFO,
    Started.NOT_HERE: messages.WARNING,
}


@login_required
def table_check_in(request, pk, table_pk):
    """GET shows the form and the table's meetings today; POST checks in and starts the meeting."""
    event = visible_event(request, pk)
    table = get_object_or_404(event.tables, pk=table_pk)
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            outcome = meeting_starts.meeting_start_at_table(
                event=event, table=table, value=form.cleaned_data["code"], recorded_by=request.user
            )
            messages.add_message(request, LEVELS.get(outcome.status, messages.ERROR), outcome.message)
            return redirect("consultations:table_check_in", pk=event.pk, table_pk=table.pk)
    else:
        form = CheckInForm(initial={"code": request.GET.get("code", "")[:300]})
    return render_check_in(
        request, event, form, table=table, table_meetings=selectors.table_meetings_of_today(event, table)
    )
