"""A member's own settings: the interface language, the time zone their agendas use, Buddhist-era years,
meeting reminders."""

import zoneinfo

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts import services
from portal.accounts.models import User

TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


class LanguageSelect(forms.Select):
    """Each language named in itself, its option marked with its code (`lang`): "English" on a Thai page is
    the language's own name, read out in English."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


class PreferencesForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"), choices=[(zone, zone) for zone in TIME_ZONES]
    )

    class Meta:
        model = User
        fields = ["language", "time_zone", "buddhist_era", "meeting_reminders"]
        widgets = {"language": LanguageSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("The language of my browser"))] + [
            (code, translation.get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]
        self.fields["time_zone"].help_text = User._meta.get_field("time_zone").help_text


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_preferences_save(user=request.user, **form.cleaned_data)
        if request.user.language:
            translation.activate(request.user.language)
        messages.success(request, _("Your settings are saved."))
        return redirect("accounts:preferences")
    return render(request, "accounts/preferences.html", {"form": form})
