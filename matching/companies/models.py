"""Korean smart-city SMEs, the solutions they export, and the categories both sides search by."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matching.companies.validators import BusinessRegistrationNumberField, format_brn
from matching.geo.models import City, Country, Language
from matching.kernel.models import (
    LONG_TEXT,
    ApprovalStatus,
    BudgetBand,
    Category,
    Certification,
    categories_in_order,
)
from portal.common.localised import translated
from portal.common.querysets import TextSearchQuerySet


class CompanyQuerySet(TextSearchQuerySet):
    def approved(self):
        return self.filter(approval_status=ApprovalStatus.APPROVED)


class Company(models.Model):
    class Size(models.TextChoices):
        STARTUP = "startup", _("Start-up (under 10 staff)")
        SMALL = "small", _("Small (10–49 staff)")
        MEDIUM = "medium", _("Medium (50–299 staff)")
        MID_SIZED = "mid", _("Mid-sized (300+ staff)")

    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_th = models.CharField(_("name (Thai)"), max_length=200, blank=True)
    name_tr = models.CharField(_("name (Turkish)"), max_length=200, blank=True)
    business_registration_number = BusinessRegistrationNumberField(
        _("business registration number"),
        unique=True,
        help_text=_("사업자등록번호, 10 digits, e.g. 123-45-67891."),
    )
    website = models.URLField(_("website"), blank=True)
    size = models.CharField(_("size"), max_length=10, choices=Size, default=Size.SMALL)
    founded_year = models.PositiveSmallIntegerField(_("founded"), null=True, blank=True)
    headquarters = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("headquarters"),
    )
    export_countries = models.ManyToManyField(
        Country, blank=True, related_name="exporting_companies", verbose_name=_("export countries")
    )
    certifications = models.ManyToManyField(
        Certification, blank=True, related_name="companies", verbose_name=_("certifications")
    )
    support_languages = models.ManyToManyField(
        Language,
        blank=True,
        related_name="+",
        verbose_name=_("support languages"),
        help_text=_("Languages in which the company offers sales and technical support."),
    )
    description_ko = models.TextField(_("description (Korean)"), max_length=LONG_TEXT, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=LONG_TEXT, blank=True)
    description_th = models.TextField(_("description (Thai)"), max_length=LONG_TEXT, blank=True)
    description_tr = models.TextField(_("description (Turkish)"), max_length=LONG_TEXT, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    logo = models.ImageField(
        _("logo"), upload_to="logos/", blank=True, help_text=_("PNG, JPEG or WebP, up to 2 MB.")
    )
    brochure = models.FileField(
        _("brochure (PDF)"), upload_to="brochures/", blank=True, help_text=_("PDF, up to 10 MB.")
    )
    approval_status = models.CharField(
        _("approval status"), max_length=10, choices=ApprovalStatus, default=ApprovalStatus.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # Folded text of the profile and its solutions (matching.search); rebuilt by services on every edit.
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("Korean company")
        verbose_name_plural = _("Korean companies")
        indexes = [
            # The directory's page: approved companies by name (selectors.company_directory), read from
            # the index instead of sorting the whole table; its count is an index-only scan.
            models.Index(fields=["approval_status", "name_en", "id"], name="company_directory_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(approval_status__in=ApprovalStatus.values),
                name="company_approval_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(approval_status=ApprovalStatus.REJECTED) | ~Q(rejection_reason=""),
                name="company_rejection_has_reason",
                violation_error_message=_("Give the reason for the rejection; the company will see it."),
            ),
            models.CheckConstraint(
                condition=Q(founded_year__isnull=True) | Q(founded_year__range=(1900, 2100)),
                name="company_founded_year_range",
                violation_error_message=_("The founding year must be between 1900 and 2100."),
            ),
        ]

    def __str__(self):
        return str(self.name)

    @property
    def formatted_brn(self):
        return format_brn(self.business_registration_number)

    name = translated("name")
    description = translated("description")

    @property
    def solution_categories(self):
        """The categories of all its solutions, each once (uses prefetched solutions and categories)."""
        return categories_in_order(
            category for solution in self.solutions.all() for category in solution.categories.all()
        )


class Solution(models.Model):
    class Readiness(models.TextChoices):
        PROTOTYPE = "prototype", _("Prototype")
        PILOT = "pilot", _("Piloted")
        COMMERCIAL = "commercial", _("Commercially deployed in Korea")
        EXPORTED = "exported", _("Deployed abroad")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="solutions", verbose_name=_("company")
    )
    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_th = models.CharField(_("name (Thai)"), max_length=200, blank=True)
    name_tr = models.CharField(_("name (Turkish)"), max_length=200, blank=True)
    categories = models.ManyToManyField(Category, related_name="solutions", verbose_name=_("categories"))
    # English is required (every buyer and KOTRA staff read it); Korean, Thai and Turkish as the company
    # chooses. `problem_solved` and `description` read the page's language.
    problem_solved_en = models.TextField(
        _("problem solved (English)"),
        max_length=LONG_TEXT,
        help_text=_("The city problem this solution addresses, in a few sentences."),
    )
    problem_solved_ko = models.TextField(_("problem solved (Korean)"), max_length=LONG_TEXT, blank=True)
    problem_solved_th = models.TextField(_("problem solved (Thai)"), max_length=LONG_TEXT, blank=True)
    problem_solved_tr = models.TextField(_("problem solved (Turkish)"), max_length=LONG_TEXT, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=LONG_TEXT, blank=True)
    description_ko = models.TextField(_("description (Korean)"), max_length=LONG_TEXT, blank=True)
    description_th = models.TextField(_("description (Thai)"), max_length=LONG_TEXT, blank=True)
    description_tr = models.TextField(_("description (Turkish)"), max_length=LONG_TEXT, blank=True)
    readiness = models.CharField(
        _("readiness"), max_length=12, choices=Readiness, default=Readiness.COMMERCIAL
    )
    price_band = models.CharField(_("typical project size"), max_length=10, choices=BudgetBand, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    name = translated("name")
    problem_solved = translated("problem_solved")
    description = translated("description")

    class Meta:
        ordering = ["company", "name_en"]
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")
        constraints = [
            models.UniqueConstraint(fields=["company", "name_en"], name="solution_name_unique_per_company"),
            models.CheckConstraint(
                condition=~Q(problem_solved_en=""),
                name="solution_problem_solved_in_english",
                violation_error_message=_("Say in English which city problem the solution solves."),
            ),
        ]

    def __str__(self):
        return str(self.name)


class ReferenceDeployment(models.Model):
    solution = models.ForeignKey(
        Solution, on_delete=models.CASCADE, related_name="references", verbose_name=_("solution")
    )
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    year = models.PositiveSmallIntegerField(_("year"))
    client = models.CharField(_("client"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("reference deployment")
        verbose_name_plural = _("reference deployments")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__range=(1990, 2100)),
                name="reference_year_range",
                violation_error_message=_("The year must be between 1990 and 2100."),
            ),
        ]

    def __str__(self):
        return f"{self.city} ({self.year})"
