"""The filters of the public list of city demands (/demands/)."""

import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from matching.demands.models import Demand
from matching.geo.models import City
from matching.kernel.filters import category_filter, country_filter
from matching.kernel.models import BudgetBand
from portal.common.filters import DirectoryFilterSet


class DemandDirectoryFilter(DirectoryFilterSet):
    search_placeholder = _("e.g. flood, 교통 혼잡, น้ำท่วม, deprem")

    category = category_filter("categories")
    country = country_filter("city__country", label=_("Country"))
    city = django_filters.ModelChoiceFilter(
        label=_("City"),
        queryset=City.objects.exclude(country__iso_code="KR").select_related("country"),
        empty_label=_("All cities"),
    )
    procurement_type = django_filters.ChoiceFilter(
        label=_("Procurement"), choices=Demand.ProcurementType.choices, empty_label=_("Any procurement")
    )
    budget_band = django_filters.ChoiceFilter(
        label=_("Budget"), choices=BudgetBand.choices, empty_label=_("Any budget")
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[("newest", _("Newest first")), ("deadline", _("Deadline soonest"))],
        method="sort_by",
        empty_label=None,
    )

    class Meta:
        model = Demand
        fields = ["q", "category", "country", "city", "procurement_type", "budget_band"]

    def sort_by(self, queryset, name, value):
        if value == "deadline":
            return queryset.order_by(F("deadline").asc(nulls_last=True), "pk")
        return queryset.order_by("-published_at", "-pk")
