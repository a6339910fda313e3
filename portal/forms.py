"""Form defaults shared by the admin and the portal's own forms."""

from django.db import models

# Django 6 will assume https for scheme-less URLs; say so now (and silence the deprecation warning).
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}
