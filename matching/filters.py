"""What the public directories' filter sets share: the free-text search box and its folding."""

import django_filters
from django.utils.translation import gettext_lazy as _

SEARCH_MAX_LENGTH = 200


class DirectoryFilterSet(django_filters.FilterSet):
    """A FilterSet with `q`, matched by the model QuerySet's `matching_text` (matching.querysets)."""

    search_placeholder = ""

    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=SEARCH_MAX_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].field.widget.attrs["placeholder"] = self.search_placeholder

    def search(self, queryset, name, value):
        return queryset.matching_text(value)
