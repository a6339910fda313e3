"""The form buyers and centre staff use to write a city demand listing."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.demands.models import BuyerOrganisation, Demand
from matching.demands.services import PAST_DEADLINE
from matching.geo.forms import use_city_field
from matching.kernel import permissions


class DemandForm(forms.ModelForm):
    class Meta:
        model = Demand
        fields = [
            "buyer", "title", "city", "problem", "categories", "required_certifications",
            "budget_band", "timeline", "procurement_type", "deadline",
        ]  # fmt: skip
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 6}),
            "categories": forms.CheckboxSelectMultiple,
            "required_certifications": forms.CheckboxSelectMultiple,
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"problem": _("What the city faces today, in plain words; companies will read this.")}

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
        return cleaned
