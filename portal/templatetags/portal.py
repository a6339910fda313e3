"""Template helpers shared by every page."""

from django import template

from portal.common.forms import language_name
from portal.common.localised import page_language

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
def text_language(text):
    """`<p lang="{{ demand.problem|text_language }}">`: the language a shown text is written in
    (portal.common.localised.ShownText), else the page's."""
    return getattr(text, "language", "") or page_language()


@register.inclusion_tag("includes/shown_language.html")
def shown_language(text):
    """`{% shown_language demand.problem %}`: a small "in English" mark when a text is shown in a language
    other than the page's (the viewer's language was not written)."""
    code = getattr(text, "language", "")
    other = bool(text) and code and code != page_language()
    return {"language": language_name(code) if other else ""}
