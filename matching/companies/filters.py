"""The filters of the public company directory (/companies/)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from matching.companies.models import Company
from matching.kernel.filters import category_filter, country_filter
from matching.kernel.models import Certification
from portal.common.filters import DirectoryFilterSet


class CompanyDirectoryFilter(DirectoryFilterSet):
    search_placeholder = _("e.g. smart parking, 홍수, ขอนแก่น")

    category = category_filter("solutions__categories", distinct=True)
    country = country_filter("export_countries", label=_("Exports to"))
    certification = django_filters.ModelChoiceFilter(
        label=_("Certification"),
        queryset=Certification.objects.all(),
        field_name="certifications",
        to_field_name="code",
        empty_label=_("Any certification"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[("name", _("Name (A–Z)")), ("newest", _("Newest first"))],
        method="sort_by",
        empty_label=None,
    )

    class Meta:
        model = Company
        fields = ["q", "category", "country", "certification"]

    def sort_by(self, queryset, name, value):
        if value == "newest":
            return queryset.order_by("-created_at", "pk")
        return queryset.order_by("name_en", "pk")
