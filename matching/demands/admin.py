from django.contrib import admin

from portal.forms import HTTPS_URL_FIELDS

from . import services
from .models import BuyerOrganisation, Demand


class DemandInline(admin.TabularInline):
    model = Demand
    extra = 0
    fields = ["title", "city", "procurement_type", "status", "deadline"]
    show_change_link = True


@admin.register(BuyerOrganisation)
class BuyerOrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "name_local", "kind", "city", "approval_status"]
    list_filter = ["kind", "approval_status", "city__country", "city"]
    search_fields = ["name", "name_local", "city__name_en"]
    list_select_related = ["city", "city__country"]
    autocomplete_fields = ["city"]
    filter_horizontal = ["languages"]
    inlines = [DemandInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for demand in form.instance.demands.all():
            services.demand_search_refresh(demand=demand)


@admin.register(Demand)
class DemandAdmin(admin.ModelAdmin):
    list_display = ["title", "buyer", "city", "procurement_type", "budget_band", "status", "deadline"]
    list_filter = ["status", "procurement_type", "budget_band", "categories", "city__country", "city"]
    search_fields = ["title", "problem", "buyer__name", "city__name_en"]
    list_select_related = ["buyer", "city"]
    autocomplete_fields = ["buyer", "city"]
    filter_horizontal = ["categories", "required_certifications"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_by", "created_at", "updated_at"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.demand_search_refresh(demand=form.instance)
