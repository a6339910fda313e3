"""Forms of booking: a meeting on the grid, a member's meeting request, a scheduler run."""

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.consultations.booking.models import Meeting, MeetingRequest
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
