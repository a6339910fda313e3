"""Form helpers shared by the admin and the portal's own forms."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from portal.common.localised import CONTENT_LANGUAGES

# Django 6 will assume https for scheme-less URLs; say so now (and silence the deprecation warning).
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


def https_formfield(model_field, **kwargs):
    """ModelForm Meta.formfield_callback: URL fields assume https, like the admin's HTTPS_URL_FIELDS."""
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


def add_service_errors(form, error):
    """Put a service's ValidationError on the form: on the fields it names that the form has, the rest on
    top. (form.add_error(None, error) raises ValueError, a 500, for a field the form does not have.)"""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


@dataclass
class LanguageGroup:
    """One language's fields of a form whose texts are written per language (see TextsInLanguagesForm)."""

    code: str
    name: str  # in the page's language, e.g. "Thai" on an English page
    name_local: str  # as its readers write it, e.g. "ไทย"
    fields: list
    required: bool
    is_open: bool  # unfolded: required, the author's own, filled in or holding an error


class TextsInLanguagesForm:
    """A ModelForm mixin for texts kept in one column per language (`title_en`, `title_th`, ...).

    The form shows the required languages and the author's own unfolded and the others as "add a
    language" sections (<details>, no script: what is typed in a folded section stays in the form).
    `texts_together` are texts a language needs all or none of (a title without its problem statement
    tells a reader nothing).
    """

    texts = ()
    text_labels = {}
    texts_together = ()
    required_languages = ("en",)
    own_language = None

    def texts_prepare(self):
        """Call at the end of __init__: labels per language group, the lang attribute of each field."""
        for text in self.texts:
            for code in CONTENT_LANGUAGES:
                field = self.fields.get(f"{text}_{code}")
                if field is None:
                    continue
                field.label = self.text_labels.get(text, field.label)
                field.widget.attrs["lang"] = code
                if field.required:
                    field.error_messages["required"] = _("Required: write this in %(language)s.") % {
                        "language": language_name(code)
                    }

    def _language_order(self):
        first = [self.own_language] if self.own_language in CONTENT_LANGUAGES else []
        required = [code for code in self.required_languages if code not in first]
        rest = [code for code in CONTENT_LANGUAGES if code not in first and code not in required]
        return first + required + rest

    def language_groups(self):
        groups = []
        for code in self._language_order():
            fields = [self[f"{text}_{code}"] for text in self.texts if f"{text}_{code}" in self.fields]
            if not fields:
                continue
            required = any(field.field.required for field in fields)
            filled = any(field.value() for field in fields)
            has_errors = any(field.errors for field in fields)
            groups.append(
                LanguageGroup(
                    code=code,
                    name=language_name(code),
                    name_local=get_language_info(code)["name_local"],
                    fields=fields,
                    required=required,
                    is_open=required or code == self.own_language or filled or has_errors,
                )
            )
        return groups

    def texts_clean(self, cleaned):
        """Call from clean(): a language holds all of `texts_together` or none of them."""
        for code in CONTENT_LANGUAGES:
            if code in self.required_languages:
                continue
            names = [f"{text}_{code}" for text in self.texts_together if f"{text}_{code}" in self.fields]
            given = [name for name in names if cleaned.get(name)]
            for name in names:
                if given and name not in given and name not in self.errors:
                    self.add_error(
                        name,
                        _("Write this in %(language)s too, or clear the other %(language)s text.")
                        % {"language": language_name(code)},
                    )
        return cleaned


def language_name(code):
    """The language's name in the page's language ("Thai", "태국어")."""
    return str(dict(settings.LANGUAGES)[code])
