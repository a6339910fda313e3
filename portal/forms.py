"""Form defaults shared by the admin and the portal's own forms."""

from django.db import models

# Django 6 will assume https for scheme-less URLs; say so now (and silence the deprecation warning).
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


def https_formfield(model_field, **kwargs):
    """ModelForm Meta.formfield_callback: URL fields assume https, like the admin's HTTPS_URL_FIELDS."""
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)
