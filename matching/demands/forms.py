"""The form buyers and centre staff use to write a city demand listing."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.demands.models import BuyerOrganisation, Demand
from matching.demands.services import PAST_DEADLINE
from matching.geo.forms import use_city_field
from matching.kernel import permissions
from portal.common.forms import TextsInLanguagesForm
from portal.common.localised import CONTENT_LANGUAGES, in_languages
from portal.common.notifications import LANGUAGE_BY_COUNTRY


class DemandForm(TextsInLanguagesForm, forms.ModelForm):
    texts = ("title", "problem")
    texts_together = ("title", "problem")
    text_labels = {"title": _("Title"), "problem": _("Problem statement")}

    class Meta:
        model = Demand
        fields = [
            "buyer", *in_languages("title", "problem"), "city", "categories", "required_certifications",
            "budget_band", "timeline", "procurement_type", "deadline",
        ]  # fmt: skip
        widgets = {
            **{f"problem_{code}": forms.Textarea(attrs={"rows": 6}) for code in CONTENT_LANGUAGES},
            "categories": forms.CheckboxSelectMultiple,
            "required_certifications": forms.CheckboxSelectMultiple,
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "problem_en": _("What the city faces today, in plain words; companies will read this."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        countries = None  # any country but Korea, then a city of it
        buyers = BuyerOrganisation.objects.select_related("city")
        if permissions.is_buyer_member(user):
            # A buyer writes for its own organisation, in cities of its own country.
            del self.fields["buyer"]
            countries = [user.buyer_organisation.city.country.iso_code]
            self.instance.buyer = user.buyer_organisation
            if self.instance.pk is None:
                self.initial["city"] = user.buyer_organisation.city_id
        elif permissions.is_centre_staff(user):
            countries = user.trade_centre.countries.values_list("iso_code", flat=True)
            buyers = buyers.filter(city__country__trade_centres=user.trade_centre_id)
        if "buyer" in self.fields:
            self.fields["buyer"].queryset = buyers
            self.fields["buyer"].help_text = _("The organisation this listing is published for.")
        use_city_field(self, countries=countries, exclude={"KR"})
        # The author's own language first: the buyer's country's, or the first of the centre's countries.
        own_countries = list(countries or [])
        self.own_language = LANGUAGE_BY_COUNTRY.get(own_countries[0]) if own_countries else None
        self.texts_prepare()

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        # An open listing stays open only with a deadline ahead; a draft may keep any (publishing checks).
        if self.instance.status == Demand.Status.OPEN and deadline and deadline < timezone.localdate():
            raise forms.ValidationError(PAST_DEADLINE, code="deadline_passed")
        return deadline

    def clean(self):
        cleaned = super().clean()
        buyer = cleaned.get("buyer") if "buyer" in self.fields else self.instance.buyer
        city = cleaned.get("city")
        if buyer and city and buyer.city.country_id != city.country_id:
            self.add_error("city", _("Choose a city in the buyer's country."))
        return self.texts_clean(cleaned)
