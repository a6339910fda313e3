"""Forms a Korean company's members use to edit its profile, solutions and reference deployments."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from matching.companies.models import Company, ReferenceDeployment, Solution
from matching.geo.forms import use_city_field
from matching.geo.models import City, Country
from portal.common.forms import TextsInLanguagesForm, https_formfield
from portal.common.localised import CONTENT_LANGUAGES, in_languages
from portal.common.uploads import clean_brochure, clean_logo

MAX_SOLUTIONS = 20


class CompanyProfileForm(TextsInLanguagesForm, forms.ModelForm):
    texts = ("name", "description")
    text_labels = {"name": _("Company name"), "description": _("Description")}
    required_languages = ("ko", "en")
    own_language = "ko"

    class Meta:
        model = Company
        fields = [
            *in_languages("name", "description"), "website", "size", "founded_year", "headquarters",
            "export_countries", "certifications", "support_languages",
            "contact_name", "contact_email", "contact_phone", "logo", "brochure",
        ]  # fmt: skip
        widgets = {
            **{f"description_{code}": forms.Textarea(attrs={"rows": 5}) for code in CONTENT_LANGUAGES},
            "export_countries": forms.CheckboxSelectMultiple,
            "certifications": forms.CheckboxSelectMultiple,
            "support_languages": forms.CheckboxSelectMultiple,
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
            "brochure": forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        }
        formfield_callback = https_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_city_field(self, "headquarters", countries=["KR"])
        self.fields["export_countries"].queryset = Country.objects.exclude(iso_code="KR")
        self.texts_prepare()

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        return clean_logo(logo) if isinstance(logo, UploadedFile) else logo

    def clean_brochure(self):
        brochure = self.cleaned_data.get("brochure")
        return clean_brochure(brochure) if isinstance(brochure, UploadedFile) else brochure


class SolutionForm(TextsInLanguagesForm, forms.ModelForm):
    texts = ("name", "problem_solved", "description")
    text_labels = {"name": _("Name"), "problem_solved": _("Problem solved"), "description": _("Description")}
    required_languages = ("ko", "en")
    own_language = "ko"

    class Meta:
        model = Solution
        fields = [
            *in_languages("name", "problem_solved", "description"), "categories", "readiness", "price_band",
        ]  # fmt: skip
        widgets = {
            "categories": forms.CheckboxSelectMultiple,
            **{f"problem_solved_{code}": forms.Textarea(attrs={"rows": 3}) for code in CONTENT_LANGUAGES},
            **{f"description_{code}": forms.Textarea(attrs={"rows": 3}) for code in CONTENT_LANGUAGES},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.texts_prepare()


SolutionFormSet = inlineformset_factory(
    Company,
    Solution,
    form=SolutionForm,
    extra=1,
    can_delete=True,
    max_num=MAX_SOLUTIONS,
    validate_max=True,
)


class ReferenceDeploymentForm(forms.ModelForm):
    class Meta:
        model = ReferenceDeployment
        fields = ["city", "year", "client", "result"]
        labels = {"result": _("Short result")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.select_related("country")


ReferenceDeploymentFormSet = inlineformset_factory(
    Solution,
    ReferenceDeployment,
    form=ReferenceDeploymentForm,
    extra=2,
    can_delete=True,
    max_num=30,
    validate_max=True,
)
