"""Reference vocabulary of the demo: countries, languages, cities, categories, certifications, centres.

No service writes these (staff edit them in the admin), so rows are inserted directly, and only the
ones missing: a second run writes nothing.
"""

from dataclasses import dataclass, field

from matching.demo.data import load
from matching.geo.models import City, Country, Language
from matching.kernel.models import Category, Certification, TradeCentre


def create_missing(queryset, objs, key):
    """Insert the objs whose natural key (`key(obj)`) is not in queryset yet; return {key: stored row}."""
    stored = {key(row): row for row in queryset}
    missing = [obj for obj in objs if key(obj) not in stored]
    queryset.model.objects.bulk_create(missing)
    stored.update((key(obj), obj) for obj in missing)
    return stored


def names_fill(stored, rows, key, fields=("name_th", "name_tr")):
    """Fill the blank `fields` of stored rows from the data (names added after a database was seeded),
    in one UPDATE per model; names someone typed are kept."""
    changed = []
    for row in rows:
        obj = stored[row[key]]
        blank = [name for name in fields if not getattr(obj, name) and row.get(name)]
        for name in blank:
            setattr(obj, name, row[name])
        if blank:
            changed.append(obj)
    if changed:
        type(changed[0]).objects.bulk_update(changed, fields)


def link(descriptor, pairs):
    """Add the missing (owner, target) links of a many-to-many field in one insert."""
    through = descriptor.through
    source, target = descriptor.field.m2m_field_name(), descriptor.field.m2m_reverse_field_name()
    rows = [through(**{f"{source}_id": owner.pk, f"{target}_id": other.pk}) for owner, other in pairs]
    owners = {owner.pk for owner, _ in pairs}
    create_missing(
        through.objects.filter(**{f"{source}_id__in": owners}),
        rows,
        lambda row: (getattr(row, f"{source}_id"), getattr(row, f"{target}_id")),
    )


@dataclass
class Vocabulary:
    """The reference rows, by the codes and names the data files use."""

    countries: dict = field(default_factory=dict)
    languages: dict = field(default_factory=dict)
    cities: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    certifications: dict = field(default_factory=dict)
    centres: dict = field(default_factory=dict)


def seed_reference() -> Vocabulary:
    geo, kernel = load("geo.json"), load("kernel.json")
    vocab = Vocabulary()
    vocab.countries = create_missing(
        Country.objects.all(), [Country(**row) for row in geo["countries"]], lambda c: c.iso_code
    )
    vocab.languages = create_missing(
        Language.objects.all(), [Language(**row) for row in geo["languages"]], lambda lang: lang.code
    )
    names_fill(vocab.countries, geo["countries"], "iso_code")
    names_fill(vocab.languages, geo["languages"], "code")
    cities = [City(**{**row, "country": vocab.countries[row["country"]]}) for row in geo["cities"]]
    stored = create_missing(City.objects.all(), cities, lambda c: (c.country_id, c.name_en))
    vocab.cities = {city.name_en: city for city in stored.values()}
    # Categories are listed in display order.
    categories = [Category(**row, sort_order=10 * n) for n, row in enumerate(kernel["categories"], start=1)]
    vocab.categories = create_missing(Category.objects.all(), categories, lambda c: c.slug)
    names_fill(vocab.categories, kernel["categories"], "slug")
    certifications = [Certification(**row) for row in kernel["certifications"]]
    vocab.certifications = create_missing(Certification.objects.all(), certifications, lambda c: c.code)
    names_fill(vocab.certifications, kernel["certifications"], "code")
    centres = [
        TradeCentre(
            code=row["code"],
            name_en=row["name_en"],
            name_ko=row["name_ko"],
            name_th=row["name_th"],
            name_tr=row["name_tr"],
            city=vocab.cities[row["city"]],
            email=row["email"],
        )
        for row in kernel["trade_centres"]
    ]
    vocab.centres = create_missing(TradeCentre.objects.all(), centres, lambda c: c.code)
    names_fill(vocab.centres, kernel["trade_centres"], "code")
    link(
        TradeCentre.countries,
        [
            (vocab.centres[row["code"]], vocab.countries[iso])
            for row in kernel["trade_centres"]
            for iso in row["countries"]
        ],
    )
    return vocab
