"""Forms centre staff use to set up an event."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.geo.models import City

from .models import Event, TimeSlot
from .services import Session

MAX_TABLES = 60


class EventForm(forms.ModelForm):
    """The event itself plus how its days are cut into slots (slots are generated, never typed)."""

    morning_starts = forms.TimeField(label=_("Morning session starts"), initial=dt.time(9, 30))
    morning_ends = forms.TimeField(label=_("Morning session ends"), initial=dt.time(12, 0))
    afternoon_starts = forms.TimeField(label=_("Afternoon session starts"), initial=dt.time(13, 30))
    afternoon_ends = forms.TimeField(label=_("Afternoon session ends"), initial=dt.time(17, 0))
    break_minutes = forms.IntegerField(
        label=_("Break between slots (minutes)"), min_value=0, max_value=60, initial=0
    )
    table_count = forms.IntegerField(
        label=_("Number of tables"), min_value=1, max_value=MAX_TABLES, initial=12
    )

    class Meta:
        model = Event
        fields = [
            "name", "slug", "city", "venue", "start_date", "end_date", "time_zone", "slot_minutes",
            "online_meetings_allowed", "request_deadline", "description",
        ]  # fmt: skip
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "request_deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        cities = City.objects.select_related("country")
        if centre is not None:
            cities = cities.filter(country__trade_centres=centre)
        self.fields["city"].queryset = cities

    def clean(self):
        cleaned = super().clean()
        for session in ["morning", "afternoon"]:
            starts, ends = cleaned.get(f"{session}_starts"), cleaned.get(f"{session}_ends")
            if starts and ends and ends <= starts:
                self.add_error(f"{session}_ends", _("A session must end after it starts."))
        if cleaned.get("morning_ends") and cleaned.get("afternoon_starts"):
            if cleaned["afternoon_starts"] < cleaned["morning_ends"]:
                self.add_error("afternoon_starts", _("The afternoon starts after the morning ends."))
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and (end - start).days > 6:
            self.add_error("end_date", _("An event lasts at most a week."))
        return cleaned

    def sessions(self):
        data = self.cleaned_data
        return [
            Session(TimeSlot.Session.MORNING, data["morning_starts"], data["morning_ends"]),
            Session(TimeSlot.Session.AFTERNOON, data["afternoon_starts"], data["afternoon_ends"]),
        ]


class ScheduleForm(forms.Form):
    time_limit_seconds = forms.IntegerField(
        label=_("Time limit (seconds)"),
        min_value=5,
        max_value=300,
        initial=30,
        help_text=_("The scheduler returns the best schedule found by then, and says whether it is optimal."),
    )
