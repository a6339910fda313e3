"""Forms of booking: a meeting on the grid, a member's meeting request, a scheduler run."""

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.consultations.booking.models import (
    CHANGE_NOTE_MAX_LENGTH,
    PREFERRED_TIME_MAX_LENGTH,
    Meeting,
    MeetingChangeRequest,
    MeetingRequest,
)
from matching.consultations.events.forms import SlotChoiceField
from matching.consultations.events.models import Registration, TimeSlot
from portal.common.forms import https_formfield


class ScheduleForm(forms.Form):
    time_limit_seconds = forms.IntegerField(
        label=_("Time limit (seconds)"),
        min_value=5,
        max_value=300,
        initial=30,
        help_text=_("The scheduler returns the best schedule found by then, and says whether it is optimal."),
    )


class MeetingForm(forms.ModelForm):
    """Staff book a meeting by hand (on both sides' behalf) or move one. The services refuse a slot,
    table or interpreter already taken, with the database constraint's own message."""

    slot = SlotChoiceField(queryset=TimeSlot.objects.none(), label=_("Slot"))
    locked = forms.BooleanField(
        label=_("Lock it"),
        required=False,
        initial=True,
        help_text=_("Confirmed with both parties: the auto-scheduler will not move it."),
    )
    # Shown (and needed) only when the pair shares no language and nobody interprets.
    without_interpreter = forms.BooleanField(
        label=_("Book it anyway: they will find a way to understand each other."),
        required=False,
    )

    class Meta:
        model = Meeting
        fields = ["sme", "buyer", "slot", "mode", "table", "online_link", "interpreter", "locked"]
        formfield_callback = https_formfield

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        confirmed = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
        self.fields["sme"].queryset = confirmed.filter(company__isnull=False).select_related("company")
        self.fields["buyer"].queryset = confirmed.filter(buyer__isnull=False).select_related("buyer")
        self.fields["slot"].queryset = event.slots.select_related("event")
        self.fields["table"].queryset = event.tables.all()
        self.fields["interpreter"].queryset = event.interpreters.all()
        if not event.online_meetings_allowed:
            del self.fields["mode"], self.fields["online_link"]
        if self.instance.pk:  # moving a meeting: the two parties stay
            for name in ["sme", "buyer"]:
                self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        online = cleaned.get("mode") == Meeting.Mode.ONLINE
        if online and not cleaned.get("online_link") and not self.has_error("online_link"):
            self.add_error("online_link", _("An online meeting needs its link."))
        if not online and not cleaned.get("table") and not self.has_error("table"):
            self.add_error("table", _("An in-person meeting needs a table."))
        self._check_common_language(cleaned)
        return cleaned

    def _check_common_language(self, cleaned):
        """Refuse, until confirmed, a pair that lists its languages, shares none, and has no interpreter."""
        sme, buyer = cleaned.get("sme"), cleaned.get("buyer")
        self.needs_language_confirmation = False
        if not sme or not buyer or cleaned.get("interpreter"):
            return
        sme_languages, buyer_languages = set(sme.languages.all()), set(buyer.languages.all())
        if not sme_languages or not buyer_languages or sme_languages & buyer_languages:
            return
        self.needs_language_confirmation = True
        if not cleaned.get("without_interpreter"):
            self.add_error(
                "without_interpreter",
                _(
                    "%(sme)s speaks %(sme_languages)s and %(buyer)s speaks %(buyer_languages)s: they share "
                    "no language. Choose an interpreter, or tick this box to book it anyway."
                )
                % {
                    "sme": sme,
                    "buyer": buyer,
                    "sme_languages": ", ".join(sorted(str(language) for language in sme_languages)),
                    "buyer_languages": ", ".join(sorted(str(language) for language in buyer_languages)),
                },
            )


class MeetingCancelForm(forms.Form):
    """Staff confirm a cancellation and say why: both sides read the reason (e-mail and agenda)."""

    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Both sides read this in the cancellation e-mail and on their agenda."),
        error_messages={"required": _("Say why the meeting is cancelled; both sides will read it.")},
    )


class MeetingRequestForm(forms.ModelForm):
    """A member asks a participant of the other side for a meeting."""

    class Meta:
        model = MeetingRequest
        fields = ["priority", "session_preference", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 2})}
        labels = {"message": _("Message to them (optional)")}


class MeetingChangeRequestForm(forms.Form):
    """A participant asks KOTRA to move or cancel a booked meeting, and says why."""

    kind = forms.ChoiceField(
        label=_("What would you like?"),
        choices=[
            (MeetingChangeRequest.Kind.RESCHEDULE, _("Another time for this meeting")),
            (MeetingChangeRequest.Kind.CANCEL, _("Cancel this meeting")),
        ],
        widget=forms.RadioSelect,
        initial=MeetingChangeRequest.Kind.RESCHEDULE,
    )
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", _("Choose a reason")), *MeetingChangeRequest.Reason.choices]
    )
    note = forms.CharField(
        label=_("A few words for KOTRA and the other side (optional)"),
        required=False,
        max_length=CHANGE_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the reason is “Another reason”. Links and HTML are shown as text."),
    )
    preferred_time = forms.CharField(
        label=_("When would suit you? (optional)"),
        required=False,
        max_length=PREFERRED_TIME_MAX_LENGTH,
        help_text=_("For another time, e.g. “the afternoon of the second day” or “after 14:00”."),
    )


class MeetingChangeAnswerForm(forms.Form):
    """Staff approve or refuse a change request; approving a new time names the slot (and the table).

    `slots` and `tables` are lists read once for every request on the event's page, so the page's query
    count does not grow with its requests. Each form has a prefix of its own (its ids are unique on it).
    """

    slot = forms.ChoiceField(label=_("New slot"), required=False)
    table = forms.ChoiceField(label=_("Table"), required=False)
    note = forms.CharField(
        label=_("Note to both sides"),
        required=False,
        max_length=CHANGE_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to refuse: both sides read it."),
    )

    def __init__(self, *args, change_request, slots, tables, **kwargs):
        kwargs.setdefault("prefix", f"change-{change_request.pk}")
        super().__init__(*args, **kwargs)
        self.change_request = change_request
        meeting = change_request.meeting
        self.slots = {str(slot.pk): slot for slot in slots}
        self.tables = {str(table.pk): table for table in tables}
        if change_request.kind == MeetingChangeRequest.Kind.CANCEL:
            del self.fields["slot"], self.fields["table"]
            return
        self.fields["slot"].choices = [("", _("Choose the new slot"))] + [
            (key, str(slot)) for key, slot in self.slots.items()
        ]
        if meeting.mode == Meeting.Mode.ONLINE:
            del self.fields["table"]
        else:
            self.fields["table"].choices = [(key, table.name) for key, table in self.tables.items()]
            self.fields["table"].initial = str(meeting.table_id)

    def clean_slot(self):
        return self.slots.get(self.cleaned_data["slot"])

    def clean_table(self):
        return self.tables.get(self.cleaned_data["table"])
