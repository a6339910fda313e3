"""Forms of sign-up, invitations and organisation review."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from matching.companies.models import Company
from matching.demands.models import BuyerOrganisation
from matching.geo.forms import use_city_field
from portal.accounts import tasks
from portal.accounts.models import User
from portal.common.enqueue import after_commit
from portal.common.forms import https_formfield

SME, BUYER = "sme", "buyer"


class _OpensAtTheTop:
    """Django's UserCreationForm autofocuses the username, which these pages ask for below the fold: the
    browser would open them scrolled down to it, past their title and what the form is for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)


class AccountForm(_OpensAtTheTop, UserCreationForm):
    """The person signing up: which side they are on, their name, e-mail and password."""

    kind = forms.ChoiceField(
        label=_("I am signing up for"),
        choices=[
            (SME, _("a Korean smart-city company")),
            (BUYER, _("a city, public agency or local firm abroad")),
        ],
        widget=forms.RadioSelect,
        initial=SME,
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["kind", "first_name", "last_name", "email", "username"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["first_name", "last_name", "email"]:
            self.fields[name].required = True

    def account_fields(self):
        """What accounts.services needs to create the user."""
        data = self.cleaned_data
        fields = ["username", "email", "first_name", "last_name"]
        return {name: data[name] for name in fields} | {"password": data["password1"]}


class CompanySignupForm(forms.ModelForm):
    class Meta:
        model = Company
        fields = ["name_ko", "name_en", "business_registration_number", "website"]
        formfield_callback = https_formfield


class BuyerSignupForm(forms.ModelForm):
    class Meta:
        model = BuyerOrganisation
        fields = ["name", "name_local", "kind", "city", "website"]
        formfield_callback = https_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Buyers are abroad: any country but Korea, then a city of it.
        use_city_field(self, exclude={"KR"})


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail"))


class InvitationAcceptForm(_OpensAtTheTop, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["first_name", "last_name", "email", "username"]

    def account_fields(self):
        return AccountForm.account_fields(self)


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The organisation's members will read this."),
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, with its e-mail sent by the task queue (retried if the mail server fails). The task
    names the account only; the worker makes the link's token, so the broker never holds it."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        after_commit(
            tasks.password_reset_email,
            context["user"].pk,
            context["domain"],
            context["site_name"],
            context["protocol"] == "https",
        )
