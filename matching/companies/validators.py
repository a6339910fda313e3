"""Korean business registration number (사업자등록번호): format and checksum."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Weights of the National Tax Service check-digit algorithm for digits 1..9.
BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def normalise_brn(value):
    """Strip the dashes and spaces people type, and turn full-width digits into ASCII ones.

    '123-45-67891' -> '1234567891'; '１２３-４５-６７８９１' (typed with a Korean IME) -> '1234567891'.
    """
    return re.sub(r"[\s\-‐-―−]", "", unicodedata.normalize("NFKC", value or ""))


def brn_check_digit(first_nine):
    total = sum(int(d) * w for d, w in zip(first_nine, BRN_WEIGHTS, strict=True))
    total += int(first_nine[8]) * 5 // 10
    return (10 - total % 10) % 10


def is_valid_brn(value):
    digits = normalise_brn(value)
    if not re.fullmatch(r"[0-9]{10}", digits):
        return False
    return brn_check_digit(digits[:9]) == int(digits[9])


def format_brn(value):
    digits = normalise_brn(value)
    if len(digits) != 10:
        return value
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


def validate_brn(value):
    digits = normalise_brn(value)
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise ValidationError(
            _("A business registration number has 10 digits, written as 123-45-67891."),
            code="brn_format",
        )
    if brn_check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid business registration number: "
                "its check digit does not match. Please check the number on your certificate."
            ),
            params={"value": format_brn(digits)},
            code="brn_checksum",
        )


class BRNFormField(forms.CharField):
    """Accepts '123-45-67891' or '1234567891' and cleans to the 10 digits."""

    def to_python(self, value):
        return normalise_brn(super().to_python(value))


class BusinessRegistrationNumberField(models.CharField):
    """Stores the 10 digits; forms accept the dashed form people copy from certificates."""

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 10
        kwargs.setdefault("validators", [validate_brn])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        if kwargs.get("validators") == [validate_brn]:
            kwargs.pop("validators")
        return name, path, args, kwargs

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_brn(value) if value is not None else value

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", BRNFormField)
        field = super().formfield(**kwargs)
        field.max_length = 20
        field.validators = [v for v in field.validators if not hasattr(v, "limit_value")]
        field.widget.attrs["maxlength"] = "20"
        return field
