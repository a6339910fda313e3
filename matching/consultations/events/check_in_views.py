"""The check-in page of an event: staff of its centre (and admins) type a participant's code or open the
URL of their QR code, and record their arrival."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
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


@login_required
def event_check_in(request, pk):
    """GET shows the form (filled in from a scanned QR code's ?code=); POST records the arrival."""
    event = visible_event(request, pk)
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
    today = check_in.local_day(event, timezone.now())
    context = {
        "event": event,
        "form": form,
        "today": today,
        "arrivals": check_in.recent_arrivals(event, today),
    }
    return render(request, "consultations/check_in.html", context)
