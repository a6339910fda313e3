"""Forms of outcomes and the day itself: a side's outcome of a meeting, a follow-up answer, a walk-in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.consultations.events.models import Interpreter, Registration
from matching.consultations.outcomes.models import FollowUp, Outcome
from matching.consultations.outcomes.services import RECORDED_FIELDS


class OutcomeForm(forms.ModelForm):
    """One side's record of a meeting: held or not, interest, next step, value, notes."""

    class Meta:
        model = Outcome
        fields = RECORDED_FIELDS
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2}),
            "mou_signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("mou_signed")
            and not cleaned.get("mou_signed_on")
            and not self.has_error("mou_signed_on")
        ):
            self.add_error("mou_signed_on", _("Give the date the MOU was signed."))
        if not cleaned.get("mou_signed") and cleaned.get("mou_signed_on"):
            self.add_error("mou_signed", _("Tick this for a signed MOU, or leave the date empty."))
        return cleaned


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["progress", "notes"]
        widgets = {"progress": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "progress": _("How has the deal moved?"),
            "notes": _("Anything the KOTRA centre should know"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["progress"].required = True
        self.fields["progress"].choices = FollowUp.Progress.choices


class WalkInForm(forms.Form):
    """A walk-in pair for a freed place of the live board, with an interpreter if they need one.

    The lists offer the participants free in the slot (the panel's); any registration of the event is
    accepted, so that one who was booked elsewhere meanwhile gets the booking's precise message rather
    than "not one of the available choices"."""

    sme = forms.ModelChoiceField(label=_("Korean company"), queryset=Registration.objects.none())
    buyer = forms.ModelChoiceField(label=_("Buyer"), queryset=Registration.objects.none())
    interpreter = forms.ModelChoiceField(
        label=_("Interpreter"), queryset=Interpreter.objects.none(), required=False, empty_label=_("None")
    )

    def __init__(self, *args, event, panel, **kwargs):
        super().__init__(*args, **kwargs)
        registrations = Registration.objects.filter(event=event).select_related("company", "buyer")
        self.fields["sme"].queryset = registrations.filter(company__isnull=False)
        self.fields["buyer"].queryset = registrations.filter(buyer__isnull=False)
        self.fields["interpreter"].queryset = Interpreter.objects.filter(event=event)
        choose = ("", _("Choose…"))
        self.fields["sme"].choices = [choose] + [(r.pk, str(r)) for r in panel.smes]
        self.fields["buyer"].choices = [choose] + [(r.pk, str(r)) for r in panel.buyers]
        self.fields["interpreter"].choices = [("", _("None"))] + [(i.pk, str(i)) for i in panel.interpreters]
