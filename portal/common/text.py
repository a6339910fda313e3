"""What people type into the portal's free-text fields (messages, notes, reasons), checked the same way
by every service that stores it."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def typed_text(value, *, field, limit, required=False, empty_message=""):
    """`value` stripped; ValidationError on `field` for a NUL byte (PostgreSQL refuses it), an empty
    required text (`empty_message`) or one longer than `limit` characters (saying how long it is)."""
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError({field: _("Null characters are not allowed.")})
    if required and not text:
        raise ValidationError({field: empty_message})
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("Keep it under %(limit)s characters (this one has %(count)s).")
                % {"limit": limit, "count": len(text)}
            }
        )
    return text
