"""Writes on places: a country or city of the bundled data set becomes a portal row on first use."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from matching.geo import dataset
from matching.geo.models import City, Country

UNKNOWN_COUNTRY = _("“%(code)s” is not a country of the list: choose one from it.")
UNKNOWN_CITY = _("This is not a city of the list: choose your city from the list of its country.")
CITY_OF_ANOTHER_COUNTRY = _(
    "%(city)s is in %(its_country)s, not in %(country)s: choose a city of %(country)s."
)


def country_get_or_create_from_dataset(*, iso_code):
    """The portal's country of this ISO code, made from the data set if the portal has no row yet
    (English name; the Korean name is left to staff and pages fall back to the English one).

    Raises ValidationError for a code that neither the portal nor the data set knows.
    """
    code = str(iso_code).strip().upper()
    existing = Country.objects.filter(iso_code=code).first()
    if existing is not None:
        return existing
    known = dataset.countries().get(code)
    if known is None:
        raise ValidationError(UNKNOWN_COUNTRY, code="unknown_country", params={"code": str(iso_code)[:10]})
    country, _created = Country.objects.get_or_create(iso_code=code, defaults={"name_en": known.name_en})
    return country


def city_get_or_create_from_dataset(*, geonames_id, country_code=None):
    """The portal's city for the data set's city `geonames_id`, made on its first use.

    The new row gets the data set's English name, local name (where the data holds one) and time zone;
    the Korean name is left to staff. A portal city of that name in that country that is not linked
    yet (one made before the data set, or by staff) is that city: it is linked, not duplicated, and
    keeps its names and time zone. Two requests at once make one row: the unique GeoNames id and the
    unique name per country refuse the second insert, which then reads the first one's row.

    `country_code`, when given, is the country the person chose: a city of another country is refused.
    Raises ValidationError (an unknown city, a city of another country). Writes: at most one Country
    and one City row.
    """
    found = dataset.city(geonames_id)
    if found is None:
        raise ValidationError(UNKNOWN_CITY, code="unknown_city")
    if country_code and found.country_code != country_code:
        raise ValidationError(
            CITY_OF_ANOTHER_COUNTRY,
            code="city_of_another_country",
            params={
                "city": found.name_en,
                "its_country": country_name(found.country_code),
                "country": country_name(country_code),
            },
        )
    existing = City.objects.filter(geonames_id=found.geonames_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _city_create(found)
    except IntegrityError:
        # Another request made (or linked) the row between our read and our insert.
        return City.objects.get(geonames_id=found.geonames_id)


def _city_create(found):
    country = country_get_or_create_from_dataset(iso_code=found.country_code)
    unlinked = City.objects.select_for_update().filter(
        country=country, kind=City.Kind.CITY, geonames_id__isnull=True
    )
    for city in unlinked.order_by("pk"):
        if dataset.match(found.country_code, city.name_en) == found:
            city.geonames_id = found.geonames_id
            city.save(update_fields=["geonames_id"])
            return city
    fields = {"name_local": found.name_local, "time_zone": found.time_zone, "kind": City.Kind.CITY}
    city, _created = City.objects.get_or_create(
        country=country, name_en=found.name_en, defaults={"geonames_id": found.geonames_id, **fields}
    )
    if city.geonames_id != found.geonames_id:
        # The name is taken by another place (a province of that name): this city is told apart by its id.
        name = f"{found.name_en} ({found.geonames_id})"[:100]
        city, _created = City.objects.get_or_create(
            country=country, name_en=name, defaults={"geonames_id": found.geonames_id, **fields}
        )
    return city


def country_name(code):
    """The name pages show for a country code: the portal's row's, else the data set's."""
    country = Country.objects.filter(iso_code=code).first()
    if country is not None:
        return str(country)
    known = dataset.countries().get(code)
    return known.name_en if known is not None else str(code)[:10]
