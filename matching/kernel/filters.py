"""Directory filters on the shared vocabulary, for the companies' and the demands' directories."""

import django_filters
from django.utils.translation import gettext_lazy as _

from matching.geo.models import Country
from matching.kernel.models import Category


def category_filter(field_name, *, distinct=False):
    """Solutions' or listings' category, chosen by its slug in the URL."""
    return django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.all(),
        field_name=field_name,
        to_field_name="slug",
        distinct=distinct,
        empty_label=_("All categories"),
    )


def country_filter(field_name, *, label):
    """A country abroad (Korea is the sellers' side), chosen by its ISO code in the URL."""
    return django_filters.ModelChoiceFilter(
        label=label,
        queryset=Country.objects.exclude(iso_code="KR"),
        field_name=field_name,
        to_field_name="iso_code",
        empty_label=_("All countries"),
    )
