"""Pick the variant of a multilingual field (`name_en`, `name_ko`, `name_th`, ...) for the active language.

Vocabulary (categories, countries) and member-written content (listings, profiles, solutions) keep one
column per language: `<field>_ko`, `<field>_en`, `<field>_th`, `<field>_tr`. A page shows the viewer's
language, else English, else whichever language the text exists in.
"""

from dataclasses import dataclass

from django.utils.translation import get_language

# Whatever the page's language, then English, then the others: a page never shows a blank text.
FALLBACKS = ("en", "ko", "th", "tr")
CONTENT_LANGUAGES = ("ko", "en", "th", "tr")


def page_language():
    return (get_language() or "en").split("-")[0]


class ShownText(str):
    """A text with the language it is written in (`.language`), so a page can mark text shown in a
    language other than its own (`lang` attribute, "in English" badge)."""

    language = ""

    def __new__(cls, value, language):
        text = super().__new__(cls, value)
        text.language = language
        return text

    def __reduce__(self):
        return ShownText, (str(self), self.language)


def localised_text(obj, field, language=None):
    """obj.<field>_<language> (default: the page's) when the model has it and it is filled, else the
    English, then the Korean, Thai and Turkish variants; a ShownText that knows which one it is."""
    wanted = language or page_language()
    for code in (wanted, *FALLBACKS):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return ShownText(value, code)
    return ShownText("", wanted)


def localised(obj, field):
    """The variant of obj.<field> for the page's language, as a plain string (see localised_text)."""
    return str(localised_text(obj, field))


def languages_of(obj, field):
    """The languages obj.<field> is written in, in the order of CONTENT_LANGUAGES."""
    return [code for code in CONTENT_LANGUAGES if getattr(obj, f"{field}_{code}", "")]


def in_languages(*fields):
    """The columns of fields kept per language: in_languages("title") == ["title_ko", "title_en", ...]."""
    return [f"{field}_{code}" for field in fields for code in CONTENT_LANGUAGES]


def texts_in_every_language(obj, *fields):
    """Every variant of each field that exists on obj, in the order of CONTENT_LANGUAGES (search texts)."""
    return [
        getattr(obj, f"{field}_{code}")
        for field in fields
        for code in CONTENT_LANGUAGES
        if hasattr(obj, f"{field}_{code}")
    ]


@dataclass
class TextsShown:
    """The texts of one object a page shows, in one language, and the languages it could show them in."""

    texts: dict  # field -> ShownText
    language: str  # the language shown
    languages: list  # the languages the texts are written in


def texts_shown(obj, fields, requested=None):
    """obj's `fields` in the requested language (`?text=th` on a page) when they are written in it, else
    in the page's language as localised_text picks it. The first field decides which languages exist."""
    languages = languages_of(obj, fields[0])
    language = requested if requested in languages else None
    texts = {field: localised_text(obj, field, language) for field in fields}
    return TextsShown(texts=texts, language=texts[fields[0]].language, languages=languages)


def translated(field, doc=""):
    """A model property: reading `obj.<field>` gives the text in the page's language (a ShownText, see
    localised_text); assigning to it, as factories and `Model(title=...)` do, writes the English text."""

    def read(obj):
        return localised_text(obj, field)

    def write(obj, value):
        setattr(obj, f"{field}_en", value)

    return property(read, write, doc=doc or f"The {field} in the page's language (see localised_text).")
