"""Foreign buyers (city governments, public agencies, local firms) and the demands they publish."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.geo.models import City, Language
from matching.kernel.models import LONG_TEXT, ApprovalStatus, BudgetBand, Category, Certification
from portal.common.localised import translated
from portal.common.querysets import TextSearchQuerySet


class BuyerOrganisation(models.Model):
    class Kind(models.TextChoices):
        CITY_GOVERNMENT = "city", _("City or provincial government")
        PUBLIC_AGENCY = "agency", _("Public agency")
        LOCAL_FIRM = "firm", _("Local firm")

    name = models.CharField(_("name (English)"), max_length=200)
    name_local = models.CharField(_("name (local language)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="buyers", verbose_name=_("city"))
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)
    languages = models.ManyToManyField(
        Language, blank=True, related_name="+", verbose_name=_("working languages")
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    approval_status = models.CharField(
        _("approval status"), max_length=10, choices=ApprovalStatus, default=ApprovalStatus.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("buyer organisation")
        verbose_name_plural = _("buyer organisations")
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="buyer_name_unique_per_city"),
            models.CheckConstraint(
                condition=Q(approval_status__in=ApprovalStatus.values),
                name="buyer_approval_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(approval_status=ApprovalStatus.REJECTED) | ~Q(rejection_reason=""),
                name="buyer_rejection_has_reason",
                violation_error_message=_("Give the reason for the rejection; the buyer will see it."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def country(self):
        return self.city.country


class DemandStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class DemandQuerySet(TextSearchQuerySet):
    def open(self):
        """Open listings whose deadline for proposals has not passed.

        The daily task (demands.tasks.demands_expire) closes the others; until it runs they are already
        out of the directory and the matches, so no page offers a listing that stopped taking proposals.
        """
        deadline_ahead = Q(deadline__isnull=True) | Q(deadline__gte=timezone.localdate())
        return self.filter(deadline_ahead, status=DemandStatus.OPEN)

    def for_city(self, city):
        return self.filter(city=city)


class Demand(models.Model):
    """A city demand listing: a problem a buyer wants Korean solutions for."""

    Status = DemandStatus

    class Timeline(models.TextChoices):
        WITHIN_6_MONTHS = "lt6m", _("Within 6 months")
        WITHIN_A_YEAR = "6-12m", _("6–12 months")
        ONE_TO_TWO_YEARS = "1-2y", _("1–2 years")
        LONGER = "gt2y", _("More than 2 years")

    class ProcurementType(models.TextChoices):
        PILOT = "pilot", _("Pilot project")
        TENDER = "tender", _("Public tender")
        PPP = "ppp", _("Public–private partnership")
        ODA = "oda", _("ODA / K-City Network")
        PRIVATE = "private", _("Private purchase")

    buyer = models.ForeignKey(
        BuyerOrganisation, on_delete=models.CASCADE, related_name="demands", verbose_name=_("buyer")
    )
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="demands", verbose_name=_("city"))
    # The listing's text in English (required: the language every side of a roadshow reads) and, as
    # its author chooses, in Korean, Thai and Turkish; `title` and `problem` read the page's language.
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ko = models.CharField(_("title (Korean)"), max_length=200, blank=True)
    title_th = models.CharField(_("title (Thai)"), max_length=200, blank=True)
    title_tr = models.CharField(_("title (Turkish)"), max_length=200, blank=True)
    problem_en = models.TextField(_("problem statement (English)"), max_length=LONG_TEXT)
    problem_ko = models.TextField(_("problem statement (Korean)"), max_length=LONG_TEXT, blank=True)
    problem_th = models.TextField(_("problem statement (Thai)"), max_length=LONG_TEXT, blank=True)
    problem_tr = models.TextField(_("problem statement (Turkish)"), max_length=LONG_TEXT, blank=True)
    categories = models.ManyToManyField(Category, related_name="demands", verbose_name=_("categories"))
    required_certifications = models.ManyToManyField(
        Certification, blank=True, related_name="demands", verbose_name=_("required certifications")
    )
    budget_band = models.CharField(_("budget"), max_length=10, choices=BudgetBand, blank=True)
    timeline = models.CharField(_("timeline"), max_length=6, choices=Timeline, blank=True)
    procurement_type = models.CharField(
        _("procurement type"), max_length=10, choices=ProcurementType, default=ProcurementType.PILOT
    )
    deadline = models.DateField(_("deadline for proposals"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=6, choices=Status, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Folded text of the listing, its buyer and city (matching.search); rebuilt by services on every edit.
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DemandQuerySet.as_manager()

    title = translated("title")
    problem = translated("problem")

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("demand listing")
        verbose_name_plural = _("demand listings")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DemandStatus.values), name="demand_status_valid"),
            models.CheckConstraint(
                condition=Q(status=DemandStatus.DRAFT) | Q(published_at__isnull=False),
                name="demand_published_unless_draft",
                violation_error_message=_("An open or closed listing needs its publication date."),
            ),
            models.CheckConstraint(
                condition=~Q(title_en="") & ~Q(problem_en=""),
                name="demand_english_text_given",
                violation_error_message=_("Give the listing's title and problem statement in English."),
            ),
            *[
                models.CheckConstraint(
                    # A language is there with both its title and its problem statement, or not at all.
                    condition=Q(**{f"title_{code}": ""}, **{f"problem_{code}": ""})
                    | (~Q(**{f"title_{code}": ""}) & ~Q(**{f"problem_{code}": ""})),
                    name=f"demand_{code}_text_complete",
                )
                for code in ("ko", "th", "tr")
            ],
        ]

    def __str__(self):
        return self.title

    @property
    def deadline_passed(self):
        return self.deadline is not None and self.deadline < timezone.localdate()
