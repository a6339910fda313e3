"""Pick the Korean or English variant of a bilingual field for the active language."""

from django.utils.translation import get_language


def localised(obj, field):
    """Return obj.<field>_ko for a Korean request, obj.<field>_en otherwise.

    Falls back to the other language when the preferred variant is empty, so a
    page never shows a blank name.
    """
    korean = (get_language() or "en").startswith("ko")
    first, second = ("ko", "en") if korean else ("en", "ko")
    return getattr(obj, f"{field}_{first}") or getattr(obj, f"{field}_{second}")
