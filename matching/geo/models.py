"""Countries, cities (with their time zones) and spoken languages shared by every domain app."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.common.localised import localised


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not an IANA time zone such as Asia/Bangkok."),
            params={"value": value},
        )


class Country(models.Model):
    iso_code = models.CharField(_("ISO code"), max_length=2, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    # A country first chosen from the data set starts without one; pages fall back to the English name.
    name_ko = models.CharField(_("name (Korean)"), max_length=100, blank=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100, blank=True)
    name_tr = models.CharField(_("name (Turkish)"), max_length=100, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(iso_code__regex=r"^[A-Z]{2}$"),
                name="country_iso_code_two_capitals",
                violation_error_message=_("The ISO code is two capital letters, e.g. TH."),
            ),
        ]

    def __str__(self):
        return localised(self, "name")


class City(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("City")
        PROVINCE = "province", _("Province")
        REGION = "region", _("Economic region")

    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="cities", verbose_name=_("country")
    )
    name_en = models.CharField(_("name (English)"), max_length=100)
    # A city chosen from the data set starts without one; pages fall back to the English name.
    name_ko = models.CharField(_("name (Korean)"), max_length=100, blank=True)
    name_local = models.CharField(
        _("name (local language)"),
        max_length=100,
        blank=True,
        help_text=_("As written locally, e.g. ขอนแก่น or Gaziantep."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.CITY)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("IANA name, e.g. Asia/Bangkok."),
    )
    geonames_id = models.PositiveIntegerField(
        _("GeoNames id"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("The city in the bundled GeoNames data set; empty for a province or a region."),
    )

    class Meta:
        ordering = ["country__name_en", "name_en"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = [
            models.UniqueConstraint(fields=["country", "name_en"], name="city_unique_per_country"),
        ]

    def __str__(self):
        return localised(self, "name")


class Language(models.Model):
    """A language a participant speaks, for matching and interpreter planning."""

    code = models.CharField(_("code"), max_length=8, unique=True, help_text=_("ISO 639-1, e.g. th."))
    name_en = models.CharField(_("name (English)"), max_length=50)
    name_ko = models.CharField(_("name (Korean)"), max_length=50)
    name_th = models.CharField(_("name (Thai)"), max_length=50, blank=True)
    name_tr = models.CharField(_("name (Turkish)"), max_length=50, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        return localised(self, "name")
