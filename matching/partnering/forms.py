"""Forms of partner requests, their answers and conversation messages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.partnering.models import MAX_PROPOSED_TIMES, MESSAGE_MAX_LENGTH, PartnerRequest

DATETIME_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME_FIELDS = [f"time_{n}" for n in range(1, MAX_PROPOSED_TIMES + 1)]


class PartnerRequestForm(forms.Form):
    """Times are read in the asker's own time zone (the view activates it)."""

    kind = forms.ChoiceField(
        label=_("What would you like?"), choices=PartnerRequest.Kind.choices, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say who you are and what you would like to discuss. Links and HTML are shown as text."),
    )
    event = forms.ModelChoiceField(
        label=_("Roadshow"),
        queryset=None,
        required=False,
        empty_label=_("Choose a roadshow"),
        help_text=_(
            "For a meeting in person: the KOTRA centre books it into a slot once both of you are "
            "confirmed there."
        ),
    )
    video_link = forms.URLField(
        label=_("Video call link"),
        required=False,
        assume_scheme="https",
        help_text=_("For an online meeting: your Zoom, Teams or Meet link (you can also send it later)."),
    )
    time_1 = forms.DateTimeField(label=_("Proposed time 1"), required=False, widget=DATETIME_LOCAL)
    time_2 = forms.DateTimeField(label=_("Proposed time 2"), required=False, widget=DATETIME_LOCAL)
    time_3 = forms.DateTimeField(label=_("Proposed time 3"), required=False, widget=DATETIME_LOCAL)

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if (
            kind == PartnerRequest.Kind.MEETING_IN_PERSON
            and not data.get("event")
            and "event" not in self.errors
        ):
            self.add_error("event", _("Choose the roadshow where you would like to meet."))
        if kind == PartnerRequest.Kind.MEETING_ONLINE and not any(data.get(name) for name in TIME_FIELDS):
            self.add_error("time_1", _("Propose at least one time for the online meeting."))
        return data

    @property
    def proposed_times(self):
        return [self.cleaned_data[name] for name in TIME_FIELDS if self.cleaned_data.get(name)]


class MoveForm(forms.Form):
    """New times for an agreed online meeting, in the proposer's time zone (the view activates it)."""

    time_1 = forms.DateTimeField(label=_("New time 1"), widget=DATETIME_LOCAL)
    time_2 = forms.DateTimeField(label=_("New time 2"), required=False, widget=DATETIME_LOCAL)
    time_3 = forms.DateTimeField(label=_("New time 3"), required=False, widget=DATETIME_LOCAL)

    @property
    def proposed_times(self):
        return [self.cleaned_data[name] for name in TIME_FIELDS if self.cleaned_data.get(name)]


class MoveAnswerForm(forms.Form):
    """Pick one of the proposed new times, or keep the agreed one (an empty choice)."""

    start = forms.ChoiceField(label=_("New time"), widget=forms.RadioSelect, required=False)

    def __init__(self, *args, time_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.times = {value.isoformat(): value for value, _label in time_choices}
        keep = [("", _("Keep the agreed time"))]
        self.fields["start"].choices = [(value.isoformat(), label) for value, label in time_choices] + keep

    @property
    def chosen_start(self):
        return self.times.get(self.cleaned_data.get("start") or "")


class AnswerForm(forms.Form):
    """Accept (picking a proposed time for an online meeting) or decline with a reason."""

    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    start = forms.ChoiceField(label=_("Time"), required=False, widget=forms.RadioSelect)
    reason = forms.ChoiceField(
        label=_("Reason for declining"),
        required=False,
        choices=[("", "—"), *PartnerRequest.DeclineReason.choices],
    )
    note = forms.CharField(
        label=_("Note to them (optional)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, time_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.times = {value.isoformat(): value for value, _label in time_choices}
        self.fields["start"].choices = [(value.isoformat(), label) for value, label in time_choices]
        if not time_choices:
            del self.fields["start"]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("reason"):
            self.add_error("reason", _("Choose a reason for declining."))
        if data.get("decision") == "accept" and "start" in self.fields and not data.get("start"):
            self.add_error("start", _("Pick one of the proposed times."))
        return data

    @property
    def chosen_start(self):
        return self.times.get(self.cleaned_data.get("start") or "")


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
