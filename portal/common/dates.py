"""Dates in the Buddhist era (พุทธศักราช, the Gregorian year + 543) on Thai pages, as Thai readers expect.

Only how a year is written changes: dates are stored and computed as usual. The `date` template filter
(portal.templatetags.dates, a builtin) writes the year this way when the page is in Thai and the user
has not turned it off (portal.accounts.middleware sets `buddhist_era` per request)."""

import re
from contextvars import ContextVar

from django.utils import dateformat, formats, translation

BUDDHIST_ERA_OFFSET = 543
THAI = "th"

# Whether this request shows Buddhist-era years on Thai pages (the user's setting; visitors: yes).
buddhist_era = ContextVar("buddhist_era", default=True)

# An unescaped Y (four-digit year) or y (two digits) in a Django date format.
_YEAR = re.compile(r"(?<!\\)((?:\\\\)*)([Yy])")


def in_use():
    return translation.get_language() == THAI and buddhist_era.get()


def _escaped(text):
    return "".join(f"\\{char}" for char in text)


def buddhist_format(format_string, year):
    """`format_string` (a Django date format) with its year written in the Buddhist era, as literal text."""
    era_year = str(year + BUDDHIST_ERA_OFFSET)

    def replace(match):
        return match.group(1) + _escaped(era_year if match.group(2) == "Y" else era_year[-2:])

    return _YEAR.sub(replace, format_string)


def resolve_format(name):
    """A format name (DATE_FORMAT, SHORT_DATETIME_FORMAT, ...) as the active language writes it, or the
    format string itself."""
    name = name or "DATE_FORMAT"
    return formats.get_format(name) if name.isupper() and name.endswith("FORMAT") else name


def date_format(value, format_name="DATE_FORMAT"):
    """django.utils.formats.date_format for Python code (agendas, e-mails, messages), with the year in the
    Buddhist era on Thai text as the `date` filter writes it."""
    format_string = resolve_format(format_name)
    if in_use():
        format_string = buddhist_format(format_string, value.year)
    return dateformat.format(value, format_string)
