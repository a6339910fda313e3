"""The admin of Korean companies, their solutions and what describes them; and the review of an
organisation (a company or a buyer), which the admin decides only through matching.approvals."""

from django.contrib import admin
from django.contrib.admin.utils import model_ngettext
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from matching.companies import services
from matching.companies.models import Company, ReferenceDeployment, Solution
from matching.kernel import permissions
from matching.kernel.approvals import organisation_review
from matching.kernel.models import ApprovalStatus
from portal.common.admin_actions import ServiceActions
from portal.common.forms import HTTPS_URL_FIELDS
from portal.common.localised import in_languages
from portal.common.uploads import DeletesUploadsWithRow


class OrganisationReviewAdmin(ServiceActions):
    """A company's or buyer's review is decided by organisation_review, which records it and e-mails the
    members after the commit, so the admin shows it read-only and approves through the action. A rejection
    needs its own reason for each organisation: the review queue asks for it, and the change page of a
    pending organisation links to its place there."""

    review_kind = ""  # how the review queue names the kind: "company" or "buyer"
    review_rule = "review_organisations"  # who may approve (matching.kernel.permissions)
    readonly_fields = ["approval_status", "rejection_reason", "review"]
    actions = ["approve_selected"]

    def approved_message(self, count):
        """The confirmation for `count` approved organisations, with a %(count)d placeholder."""
        message = ngettext(
            "%(count)d %(items)s approved; its members are e-mailed.",
            "%(count)d %(items)s approved; their members are e-mailed.",
            count,
        )
        # The kind now; apply_service fills in %(count)d.
        return message.replace("%(items)s", str(model_ngettext(self.opts, count)))

    def has_review_permission(self, request):
        """The model's change permission, and the portal's rule on who reviews this kind."""
        return self.has_manage_permission(request) and permissions.may(request.user, self.review_rule)

    @admin.action(
        description=_("Approve the selected %(verbose_name_plural)s (e-mails their members)"),
        permissions=["review"],
    )
    def approve_selected(self, request, queryset):
        self.apply_service(
            request,
            queryset.exclude(approval_status=ApprovalStatus.APPROVED).order_by("pk"),
            lambda organisation: organisation_review(organisation=organisation, approve=True),
            self.approved_message,
            _("Approved; its members are e-mailed."),
        )

    @admin.display(description=_("review"))
    def review(self, organisation):
        if organisation.pk is None:
            return _("Once saved, it waits for review.")
        if organisation.approval_status == ApprovalStatus.PENDING:
            # The review card's reason field has this id (accounts/includes/review_card.html).
            return format_html(
                '<a href="{}#{}-{}-reason">{}</a>',
                reverse("accounts:review_queue"),
                self.review_kind,
                organisation.pk,
                _("Approve or reject it in the review queue"),
            )
        if organisation.approval_status == ApprovalStatus.REJECTED:
            return _("To approve it after all, select it in the list and choose the Approve action.")
        return None


class SolutionInline(admin.StackedInline):
    model = Solution
    extra = 0
    fields = ["name_ko", "name_en", "categories", "problem_solved_en", "readiness", "price_band"]
    filter_horizontal = ["categories"]
    show_change_link = True


@admin.register(Company)
class CompanyAdmin(DeletesUploadsWithRow, OrganisationReviewAdmin):
    review_kind = "company"
    review_rule = "review_companies"
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name_en", "name_ko", "formatted_brn", "size", "approval_status", "created_at"]
    list_filter = ["approval_status", "size", "export_countries", "certifications", "solutions__categories"]
    search_fields = [*in_languages("name", "description"), "business_registration_number"]
    filter_horizontal = ["export_countries", "certifications", "support_languages"]
    autocomplete_fields = ["headquarters"]
    inlines = [SolutionInline]
    date_hierarchy = "created_at"
    upload_fields = services.UPLOADS
    fieldsets = [
        (
            None,
            {
                "fields": [
                    *in_languages("name"),
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
                    *in_languages("description"),
                    "export_countries",
                    "certifications",
                    "support_languages",
                ]
            },
        ),
        (_("Contact"), {"fields": ["contact_name", "contact_email", "contact_phone"]}),
        (_("Review"), {"fields": ["approval_status", "rejection_reason", "review"]}),
    ]

    @admin.display(description=_("business registration number"), ordering="business_registration_number")
    def formatted_brn(self, company):
        return company.formatted_brn

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
    search_fields = [*in_languages("name", "problem_solved"), "company__name_en", "company__name_ko"]
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
