"""The shared vocabulary: roles, KOTRA trade centres, approval states, categories, certifications,
budget bands.

The models moved here from accounts and companies (migrations kernel 0001 and 0002) without touching
their rows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from matching.geo.models import City, Country
from portal.common.localised import localised


class TradeCentre(models.Model):
    """A KOTRA trade office with a smart-city cooperation centre (Bangkok, Istanbul, ...)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_ko = models.CharField(_("name (Korean)"), max_length=150)
    name_th = models.CharField(_("name (Thai)"), max_length=150, blank=True)
    name_tr = models.CharField(_("name (Turkish)"), max_length=150, blank=True)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    countries = models.ManyToManyField(
        Country,
        related_name="trade_centres",
        verbose_name=_("countries covered"),
        help_text=_("Staff of the centre approve organisations and run events in these countries."),
    )
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("KOTRA trade centre")
        verbose_name_plural = _("KOTRA trade centres")

    def __str__(self):
        return localised(self, "name")


class Role(models.TextChoices):
    SME_MEMBER = "sme", _("SME member")
    BUYER_MEMBER = "buyer", _("Buyer member")
    CENTRE_STAFF = "staff", _("Centre staff")
    ADMIN = "admin", _("Administrator")


# Longest free text a form accepts (the database column is unbounded).
LONG_TEXT = 5000


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class BudgetBand(models.TextChoices):
    """Shared by a solution's price and a demand listing's budget, so they can be compared."""

    UNDER_50K = "lt50k", _("Under USD 50,000")
    FROM_50K = "50k-250k", _("USD 50,000 – 250,000")
    FROM_250K = "250k-1m", _("USD 250,000 – 1 million")
    FROM_1M = "1m-5m", _("USD 1 – 5 million")
    OVER_5M = "gt5m", _("Over USD 5 million")


class Category(models.Model):
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_th = models.CharField(_("name (Thai)"), max_length=100, blank=True)
    name_tr = models.CharField(_("name (Turkish)"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name_en"]
        verbose_name = _("solution category")
        verbose_name_plural = _("solution categories")

    def __str__(self):
        return localised(self, "name")


def categories_in_order(categories):
    """Each category once, in the portal's display order (sort order, then English name)."""
    unique = {category.pk: category for category in categories}
    return sorted(unique.values(), key=lambda category: (category.sort_order, category.name_en))


class Certification(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_ko = models.CharField(_("name (Korean)"), max_length=150)
    name_th = models.CharField(_("name (Thai)"), max_length=150, blank=True)
    name_tr = models.CharField(_("name (Turkish)"), max_length=150, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self):
        return localised(self, "name")
