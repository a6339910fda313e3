"""Pick the variant of a multilingual field (`name_en`, `name_ko`, `name_th`, ...) for the active language."""

from django.utils.translation import get_language

# Whatever the page's language, then English, then Korean: a page never shows a blank name.
FALLBACKS = ("en", "ko")


def localised(obj, field):
    """obj.<field>_<active language> when the model has it and it is filled, else the English, else the
    Korean variant."""
    language = (get_language() or "en").split("-")[0]
    for code in (language, *FALLBACKS):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return ""
