"""The check-in page of an event: staff of its centre (and admins) scan a participant's QR code with the
camera, type its code or open its URL, and record their arrival. The page at a table (booking's
meeting_start_views) is the same page, which also starts the meeting."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.consultations.events import check_in
from matching.consultations.events.views import visible_event


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=300,
        help_text=_("The 8 characters under the participant's QR code, with or without the hyphen."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}
        ),
    )


def render_check_in(request, event, form, **context):
    """The check-in page, at the door or (with `table` and its `table_meetings`) at a table."""
    today = check_in.local_day(event, timezone.now())
    context = {
        "event": event,
        "form": form,
        "today": today,
        "tables": list(event.tables.order_by("name")),
        **context,
    }
    if "table" not in context:
        context["arrivals"] = check_in.recent_arrivals(event, today)
    return render(request, "consultations/check_in.html", context)


@login_required
def event_check_in(request, pk):
    """GET shows the form (filled in from a scanned QR code's ?code=), or with ?table= goes to that table's
    check-in page; POST records the arrival."""
    event = visible_event(request, pk)
    if request.method == "GET" and request.GET.get("table"):
        table = get_object_or_404(event.tables, pk=_int_or_none(request.GET["table"]))
        return redirect("consultations:table_check_in", pk=event.pk, table_pk=table.pk)
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            outcome = check_in.arrival_record(
                event=event, value=form.cleaned_data["code"], recorded_by=request.user
            )
            level = {
                check_in.Result.RECORDED: messages.SUCCESS,
                check_in.Result.ALREADY: messages.INFO,
            }.get(outcome.status, messages.ERROR)
            messages.add_message(request, level, outcome.message)
            return redirect("consultations:check_in", pk=event.pk)
    else:
        form = CheckInForm(initial={"code": request.GET.get("code", "")[:300]})
    return render_check_in(request, event, form)


def _int_or_none(value):
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None
