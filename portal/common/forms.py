"""Form helpers shared by the admin and the portal's own forms."""

from django.db import models

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
