from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from matching.approvals import organisation_review
from portal.forms import HTTPS_URL_FIELDS
from portal.uploads import DeletesUploadsWithRow

from . import services
from .models import Category, Certification, Company, ReferenceDeployment, Solution


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ko", "slug", "sort_order"]
    search_fields = ["name_en", "name_ko", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ko", "code"]
    search_fields = ["name_en", "name_ko", "code"]


class SolutionInline(admin.StackedInline):
    model = Solution
    extra = 0
    fields = ["name_ko", "name_en", "categories", "problem_solved", "readiness", "price_band"]
    filter_horizontal = ["categories"]
    show_change_link = True


@admin.register(Company)
class CompanyAdmin(DeletesUploadsWithRow, admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name_en", "name_ko", "formatted_brn", "size", "approval_status", "created_at"]
    list_filter = ["approval_status", "size", "export_countries", "certifications", "solutions__categories"]
    search_fields = ["name_en", "name_ko", "business_registration_number", "description_en", "description_ko"]
    filter_horizontal = ["export_countries", "certifications", "support_languages"]
    autocomplete_fields = ["headquarters"]
    inlines = [SolutionInline]
    date_hierarchy = "created_at"
    actions = ["approve_selected"]
    upload_fields = services.UPLOADS
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name_ko",
                    "name_en",
                    "business_registration_number",
                    "website",
                    "size",
                    "founded_year",
                    "headquarters",
                ]
            },
        ),
        (
            _("Profile"),
            {
                "fields": [
                    "description_ko",
                    "description_en",
                    "export_countries",
                    "certifications",
                    "support_languages",
                ]
            },
        ),
        (_("Contact"), {"fields": ["contact_name", "contact_email", "contact_phone"]}),
        (_("Review"), {"fields": ["approval_status", "rejection_reason"]}),
    ]

    @admin.action(description=_("Approve selected companies"))
    def approve_selected(self, request, queryset):
        companies = list(queryset)
        for company in companies:
            organisation_review(organisation=company, approve=True)
        count = len(companies)
        message = ngettext("%(count)d company approved.", "%(count)d companies approved.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.company_search_refresh(company=form.instance)

    def get_queryset(self, request):
        # The category filter joins solutions; distinct keeps one row per company.
        return super().get_queryset(request).distinct()


class ReferenceDeploymentInline(admin.TabularInline):
    model = ReferenceDeployment
    extra = 0
    autocomplete_fields = ["city"]


@admin.register(Solution)
class SolutionAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ko", "company", "readiness", "price_band"]
    list_filter = ["readiness", "categories", "price_band"]
    search_fields = ["name_en", "name_ko", "problem_solved", "company__name_en", "company__name_ko"]
    list_select_related = ["company"]
    filter_horizontal = ["categories"]
    autocomplete_fields = ["company"]
    inlines = [ReferenceDeploymentInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.company_search_refresh(company=form.instance.company)


@admin.register(ReferenceDeployment)
class ReferenceDeploymentAdmin(admin.ModelAdmin):
    list_display = ["solution", "city", "year", "client"]
    list_filter = ["year", "city__country"]
    search_fields = ["solution__name_en", "client", "city__name_en"]
    list_select_related = ["solution", "city"]
    autocomplete_fields = ["solution", "city"]
