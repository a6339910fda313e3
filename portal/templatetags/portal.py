"""Template helpers shared by every page."""

from django import template

from portal.common.localised import localised as pick_localised

register = template.Library()


@register.simple_tag(takes_context=True)
def url_with(context, **changes):
    """The current query string with some parameters replaced, for pagination and sort links.

    `{% url_with page=3 %}` keeps the filters of the page so a link can be shared.
    """
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def localised(obj, field):
    """`{{ company|localised:"description" }}`: the Korean or English variant for the active language."""
    return pick_localised(obj, field)
