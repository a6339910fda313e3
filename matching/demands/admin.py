"""The admin of buyer organisations and their demand listings. An organisation's review and a listing's
status are written by their services (matching.approvals, services.demand_publish and demand_close), so
the admin shows them read-only and changes them only through actions that call those services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from matching.companies.admin import OrganisationReviewAdmin
from matching.demands import services
from matching.demands.models import BuyerOrganisation, Demand
from portal.common.admin_actions import ServiceActions
from portal.common.forms import HTTPS_URL_FIELDS
from portal.common.localised import in_languages


class DemandInline(admin.TabularInline):
    model = Demand
    extra = 0
    fields = ["title_en", "city", "procurement_type", "status", "deadline"]
    readonly_fields = ["status"]
    show_change_link = True


@admin.register(BuyerOrganisation)
class BuyerOrganisationAdmin(OrganisationReviewAdmin):
    review_kind = "buyer"
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
class DemandAdmin(ServiceActions):
    list_display = ["title", "buyer", "city", "procurement_type", "budget_band", "status", "deadline"]
    list_filter = ["status", "procurement_type", "budget_band", "categories", "city__country", "city"]
    search_fields = [*in_languages("title", "problem"), "buyer__name", "city__name_en"]
    list_select_related = ["buyer", "city"]
    autocomplete_fields = ["buyer", "city"]
    filter_horizontal = ["categories", "required_certifications"]
    date_hierarchy = "created_at"
    # Only an approved buyer's listing opens (services.demand_publish), so a new listing is a draft and
    # the status changes through the actions.
    readonly_fields = ["status", "published_at", "created_by", "created_at", "updated_at"]
    actions = ["publish_selected", "close_selected"]

    @admin.display(description=_("title"), ordering="title_en")
    def title(self, demand):
        # The listing's title in the admin's language (else English), under a translated header.
        return demand.title

    @admin.action(description=_("Publish the selected listings"), permissions=["manage"])
    def publish_selected(self, request, queryset):
        self.apply_service(
            request,
            queryset.exclude(status=Demand.Status.OPEN).select_related("buyer").order_by("pk"),
            lambda demand: services.demand_publish(demand=demand),
            lambda count: ngettext("%(count)d listing published.", "%(count)d listings published.", count),
            _("Published."),
        )

    @admin.action(description=_("Close the selected listings"), permissions=["manage"])
    def close_selected(self, request, queryset):
        self.apply_service(
            request,
            queryset.exclude(status=Demand.Status.CLOSED).order_by("pk"),
            lambda demand: services.demand_close(demand=demand),
            lambda count: ngettext("%(count)d listing closed.", "%(count)d listings closed.", count),
            _("Closed."),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.demand_search_refresh(demand=form.instance)
