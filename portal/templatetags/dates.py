"""The `date` filter, writing years in the Buddhist era on Thai pages (portal.common.dates); a template
builtin (settings.TEMPLATES), so every template's `|date` uses it."""

import datetime as dt

from django import template
from django.template import defaultfilters

from portal.common import dates

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's `date` filter; on a Thai page, the year in the Buddhist era unless the user turned it off."""
    if isinstance(value, dt.date) and dates.in_use():
        arg = dates.buddhist_format(dates.resolve_format(arg), value.year)
    return defaultfilters.date(value, arg)  # the same as dates.date_format, with the filter's edge cases
