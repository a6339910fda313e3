"""The filters of the public company directory (/companies/)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from matching.companies.models import Company
from matching.geo.models import Country
from matching.kernel.models import Category, Certification
from portal.common.filters import DirectoryFilterSet


class CompanyDirectoryFilter(DirectoryFilterSet):
    search_placeholder = _("e.g. smart parking, 홍수, ขอนแก่น")

    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.all(),
        field_name="solutions__categories",
        to_field_name="slug",
        distinct=True,
        empty_label=_("All categories"),
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Exports to"),
        queryset=Country.objects.exclude(iso_code="KR"),
        field_name="export_countries",
        to_field_name="iso_code",
        empty_label=_("All countries"),
    )
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
