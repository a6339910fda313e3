"""The consent boxes of sign-up and invitation pages, and the privacy page's give/withdraw form."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.privacy.models import COUNTRY_LAWS, REQUIRED_KINDS, ConsentKind, Law
from portal.privacy.notices import notices

LAW_FIELD = "law"  # posted beside the boxes: the law whose notices the page showed
NOTICE_CHANGED = _(
    "The privacy notice for your organisation's country is shown now: read it and tick the consents again."
)
LABELS = {
    ConsentKind.PROCESSING: _("I agree to the processing of my personal data as described (required)."),
    ConsentKind.TRANSFER: _(
        "I agree to my personal data being sent abroad to the other side, as described (required for "
        "matchmaking)."
    ),
    ConsentKind.MARKETING: _("I agree to receive marketing e-mails (optional)."),
}
MISSING = {
    ConsentKind.PROCESSING: _("The portal cannot open an account without your consent to processing."),
    ConsentKind.TRANSFER: _(
        "Matchmaking sends your details to the other side abroad: the portal cannot open an account "
        "without this consent."
    ),
}


class ConsentForm(forms.Form):
    """One unticked box per consent; `law` is the law whose notices the page shows.

    A posted form whose page showed another law's notices (a buyer changed country meanwhile) is refused
    and its boxes are emptied: a consent counts only for the words that were read.
    """

    def __init__(self, *args, law, every_law=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.law = Law(law)
        self.every_law = every_law
        for kind in ConsentKind.values:
            required = kind in REQUIRED_KINDS
            self.fields[kind] = forms.BooleanField(
                label=LABELS[kind],
                required=required,
                initial=False,
                error_messages={"required": MISSING[kind]} if required else {},
            )

    def boxes(self):
        """[(bound field, [notice])] per kind, in the page's language: the notice under the form's law, or
        under every law (the sign-up page shows the one of the country chosen, script switching them)."""
        laws = Law.values if self.every_law else [self.law]
        by_law = [notices(law) for law in laws]
        return [
            (self[kind], [kinds[index] for kinds in by_law]) for index, kind in enumerate(ConsentKind.values)
        ]

    def country_laws(self):
        """{country: law} for the page's script, as JSON."""
        return json.dumps({country: str(law) for country, law in COUNTRY_LAWS.items()})

    def clean(self):
        shown = self.data.get(self.add_prefix(LAW_FIELD))
        if shown != self.law:
            self.data = self.data.copy()
            for kind in ConsentKind.values:
                self.data.pop(self.add_prefix(kind), None)
            raise forms.ValidationError(NOTICE_CHANGED, code="notice_changed")
        return super().clean()

    def given(self):
        return {kind for kind in ConsentKind.values if self.cleaned_data.get(kind)}


class ConsentChangeForm(forms.Form):
    """The privacy page's buttons: give or withdraw one consent."""

    kind = forms.ChoiceField(choices=ConsentKind.choices)
    decision = forms.ChoiceField(choices=[("give", _("Give")), ("withdraw", _("Withdraw"))])


class DeletionRequestForm(forms.Form):
    """The member confirms the request for their account's deletion with their password."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="password")
        return password
