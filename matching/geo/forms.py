"""A city field for any form: a country select, then that country's cities from the portal and the data set.

The posted value is the pair (`<name>_country`, `<name>`): the city is a portal city's id, or `g` and the
data set's id for a city the portal has no row of yet. Cleaning makes that row (geo.services), so the
field gives a `City` like the foreign-key field it replaces and the forms' `save()` stay as they were.
Without JavaScript, the country's cities come with the next page: a button under the country select
sends the form, and a city of another country is refused with a message that says so.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from matching.geo import dataset
from matching.geo.models import City, Country, city_name
from matching.geo.services import (
    CITY_OF_ANOTHER_COUNTRY,
    UNKNOWN_CITY,
    UNKNOWN_COUNTRY,
    city_get_or_create_from_dataset,
    country_name,
)

DATASET_PREFIX = "g"
COUNTRY_SUFFIX = "_country"
SHOW_SUFFIX = "_show"
NOT_OFFERED = _("%(country)s is not one of the countries offered here: choose one from the list.")
CHOOSE_COUNTRY_FIRST = _("Choose a country, then its city.")
CHOOSE_CITY_OF = _("Choose a city of %(country)s.")


def country_choices(codes=None, exclude=()):
    """[(iso code, name)] of these countries (every country of the portal and the data set if None),
    in the order of their names."""
    rows = Country.objects.all() if codes is None else Country.objects.filter(iso_code__in=codes)
    names = {row.iso_code: str(row) for row in rows}
    known = dataset.countries()
    for code in known if codes is None else codes:
        if code in known:
            names.setdefault(code, known[code].name_en)
    choices = [(code, name) for code, name in names.items() if code not in exclude]
    return sorted(choices, key=lambda choice: name_sort_key(choice[1]))


def city_choices(country_code):
    """[(value, name)] of a country's cities: the portal's (their id) and the data set's that the portal
    has no row of yet (`g<id>`), in the order of their names. A portal city not linked to the data set
    yet stands for the data-set city of its name."""
    rows = list(City.objects.filter(country__iso_code=country_code).order_by("name_en"))
    linked = {row.geonames_id for row in rows if row.geonames_id is not None}
    for row in rows:
        if row.geonames_id is None and row.kind == City.Kind.CITY:
            found = dataset.match(country_code, row.name_en)
            if found is not None:
                linked.add(found.geonames_id)
    choices = [(str(row.pk), str(row)) for row in rows]
    choices += [
        (
            f"{DATASET_PREFIX}{city.geonames_id}",
            city_name(name_en=city.name_en, name_local=city.name_local, time_zone=city.time_zone),
        )
        for city in dataset.cities_of(country_code)
        if city.geonames_id not in linked
    ]
    return sorted(choices, key=lambda choice: name_sort_key(choice[1]))


# A Thai vowel written before its consonant (เ แ โ ใ ไ) is sorted after it, as Thai dictionaries do.
_THAI_LEADING_VOWEL = re.compile(r"([\u0e40-\u0e44])([\u0e01-\u0e2e])")


def name_sort_key(name):
    """`Đà Nẵng` among the D's, `เชียงใหม่` among the ช's: names in the order a reader of them expects."""
    return _THAI_LEADING_VOWEL.sub(r"\2\1", dataset.ascii_fold(name).casefold())


class CityWidget(forms.Widget):
    """Two selects, the country's and the city's; the city's options follow the country chosen
    (static/js/city-picker.js asks geo:city_options; without script, the next page shows them)."""

    template_name = "geo/widgets/city.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.field = None

    def value_from_datadict(self, data, files, name):
        return (data.get(name + COUNTRY_SUFFIX, ""), data.get(name, ""))

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + COUNTRY_SUFFIX not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        country, city = self.field.split(value)
        countries = self.field.country_choices()
        if len(countries) == 1:
            country = countries[0][0]
        if country and self.field.offers(country):
            cities = city_choices(country)
        else:
            cities = [(str(row.pk), str(row)) for row in self.field.queryset.order_by("name_en")]
        context["widget"].update(
            {
                "country": country,
                "city": city,
                "countries": countries,
                "cities": cities,
                "country_name": name + COUNTRY_SUFFIX,
                "show_name": name + SHOW_SUFFIX,
                "invalid": "is-invalid" in (attrs or {}).get("class", ""),
                "options_url": reverse("geo:city_options"),
            }
        )
        return context


class CityField(forms.Field):
    """A city of one of the countries offered: `countries` (ISO codes; every country if None) less
    `exclude`. Cleans to a `City`, made from the data set on first use."""

    widget = CityWidget
    default_error_messages = {"required": CHOOSE_COUNTRY_FIRST}

    def __init__(self, *, countries=None, exclude=(), **kwargs):
        super().__init__(**kwargs)
        self.countries = None if countries is None else list(countries)
        self.exclude = set(exclude)
        self.widget.field = self
        self._choices = None

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.field = result
        return result

    @property
    def queryset(self):
        """The portal's cities this field accepts."""
        cities = City.objects.select_related("country").exclude(country__iso_code__in=self.exclude)
        if self.countries is not None:
            cities = cities.filter(country__iso_code__in=self.countries)
        return cities

    def country_choices(self):
        if self._choices is None:
            self._choices = country_choices(self.countries, self.exclude)
        return self._choices

    def offers(self, code):
        return any(choice == code for choice, _name in self.country_choices())

    def split(self, value):
        """(country code, city value) of a posted pair, or of an initial City or its id."""
        if isinstance(value, (tuple, list)):
            country, city = (str(part or "").strip() for part in value)
            if not country:
                country = self._country_of(city)
            return country, city
        if isinstance(value, City):
            return value.country.iso_code, str(value.pk)
        chosen = getattr(self, "initial_country", "")
        if value in (None, ""):
            return chosen, ""
        return chosen or self._country_of(str(value)), str(value)

    def _country_of(self, city):
        if city.startswith(DATASET_PREFIX):
            found = dataset.city(city[len(DATASET_PREFIX) :]) if len(city) < 20 else None
            return found.country_code if found is not None else ""
        if city.isascii() and city.isdigit() and len(city) < 20:
            return City.objects.filter(pk=city).values_list("country__iso_code", flat=True).first() or ""
        return ""

    def prepare_value(self, value):
        return value

    def has_changed(self, initial, data):
        return self.split(initial)[1] != self.split(data)[1]

    def clean(self, value):
        chosen, city = (
            (str(part or "").strip() for part in value) if isinstance(value, (tuple, list)) else ("", "")
        )
        offered = self.country_choices()
        if not chosen and len(offered) == 1:
            chosen = offered[0][0]  # the only country offered, shown as text
        if chosen:
            self._check_country(chosen)
        if not city:
            if self.required:
                if chosen:
                    raise ValidationError(
                        CHOOSE_CITY_OF, code="required", params={"country": country_name(chosen)}
                    )
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if len(city) > 20:
            raise ValidationError(UNKNOWN_CITY, code="unknown_city")
        if (
            city.startswith(DATASET_PREFIX)
            and city[len(DATASET_PREFIX) :].isascii()
            and city[len(DATASET_PREFIX) :].isdigit()
        ):
            found = dataset.city(city[len(DATASET_PREFIX) :])
            if found is None:
                raise ValidationError(UNKNOWN_CITY, code="unknown_city")
            if not chosen:
                self._check_country(found.country_code)
            return city_get_or_create_from_dataset(geonames_id=found.geonames_id, country_code=chosen or None)
        row = (
            City.objects.select_related("country").filter(pk=city).first()
            if city.isascii() and city.isdigit()
            else None
        )
        if row is None:
            raise ValidationError(UNKNOWN_CITY, code="unknown_city")
        if chosen and row.country.iso_code != chosen:
            raise ValidationError(
                CITY_OF_ANOTHER_COUNTRY,
                code="city_of_another_country",
                params={"city": str(row), "its_country": str(row.country), "country": country_name(chosen)},
            )
        if not chosen:
            self._check_country(row.country.iso_code)
        return row

    def _check_country(self, code):
        if self.offers(code):
            return
        if len(code) == 2 and (code in dataset.countries() or Country.objects.filter(iso_code=code).exists()):
            raise ValidationError(
                NOT_OFFERED, code="country_not_offered", params={"country": country_name(code)}
            )
        raise ValidationError(UNKNOWN_COUNTRY, code="unknown_country", params={"code": code[:10]})


def use_city_field(form, name="city", *, countries=None, exclude=(), initial_country=""):
    """Put a CityField in place of the form's `name` field (a City foreign key), keeping its label, help
    text and whether it is required. Initial values typed on an earlier page (`<name>_country`) are kept."""
    old = form.fields[name]
    field = CityField(
        countries=countries,
        exclude=exclude,
        required=old.required,
        label=old.label,
        help_text=old.help_text,
    )
    field.initial_country = form.initial.get(name + COUNTRY_SUFFIX) or initial_country
    form.fields[name] = field
    return field
