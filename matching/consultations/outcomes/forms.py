"""Forms of outcomes: a side's outcome of a meeting, a follow-up answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
