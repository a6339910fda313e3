"""Countries, cities (with their time zones) and spoken languages shared by every domain app."""

import re
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
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


# The language a city's local name is written in, told from the city's own columns: pages list many
# cities without loading their countries. Thai and Hangul letters are each one language's; a name in Latin
# letters is Turkish for a city on Turkey's time, which no other country keeps (Vietnam's north shares
# Bangkok's, so Thai is told by its letters, not by the zone).
_THAI_LETTERS = re.compile(r"[\u0e00-\u0e7f]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_ZONE_LANGUAGES = {"Europe/Istanbul": "tr"}


def local_name_language(name_local, time_zone):
    """The interface language a city's local name is written in ("th", "ko", "tr"), else ""."""
    if _THAI_LETTERS.search(name_local):
        return "th"
    if _HANGUL.search(name_local):
        return "ko"
    return _ZONE_LANGUAGES.get(time_zone, "")


def city_name(*, name_en, name_ko="", name_local="", time_zone="", language=None):
    """The name of a city on a page in `language` (default: the active one): its Korean name on a Korean
    page; its local name on a page in the language that name is written in (ขอนแก่น on a Thai page,
    İstanbul on a Turkish one, 서울 on a Korean one without a Korean name); else its English name."""
    language = (language or get_language() or "en").split("-")[0]
    if language == "ko" and name_ko:
        return name_ko
    if name_local and local_name_language(name_local, time_zone) == language:
        return name_local
    return name_en


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
        return self.name_in()

    def name_in(self, language=None):
        """The city's name on a page in `language` (default: the active one), see city_name."""
        return city_name(
            name_en=self.name_en,
            name_ko=self.name_ko,
            name_local=self.name_local,
            time_zone=self.time_zone,
            language=language,
        )


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
