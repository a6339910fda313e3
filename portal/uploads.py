"""Checks for uploaded files: company logos (images, re-encoded) and brochures (real PDFs).

A file's name and declared type are never trusted: the bytes are opened with
Pillow or pypdf, and a logo is re-encoded so nothing but pixels is stored.
"""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_SIDE = 4000
LOGO_SIZE = 512
LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}
MAX_BROCHURE_BYTES = 10 * 1024 * 1024


def _check_size(upload, limit):
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def clean_logo(upload):
    """A PNG, JPEG or WebP logo re-encoded as a PNG of at most 512 px, or ValidationError."""
    _check_size(upload, MAX_LOGO_BYTES)
    not_an_image = ValidationError(
        _("This is not a PNG, JPEG or WebP image. Please upload your logo as one of those."),
        code="not_an_image",
    )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
        if image_format not in LOGO_FORMATS:
            raise not_an_image
        if max(width, height) > MAX_LOGO_SIDE:
            raise ValidationError(
                _("The image is %(width)d × %(height)d pixels; at most %(limit)d on a side, please."),
                params={"width": width, "height": height, "limit": MAX_LOGO_SIDE},
                code="too_many_pixels",
            )
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = image.convert("RGBA")
            image.thumbnail((LOGO_SIZE, LOGO_SIZE))
            output = io.BytesIO()
            image.save(output, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.png")


def clean_brochure(upload):
    """A PDF brochure (checked by name, size, signature and by reading its pages), or ValidationError."""
    return clean_pdf(
        upload,
        wrong_name=_("The brochure must be a PDF file (.pdf)."),
        unreadable=_("This file is not a readable PDF. Please export your brochure as PDF again."),
    )


def clean_pdf(upload, *, wrong_name, unreadable):
    """A PDF checked by name, size, signature and by reading its pages, stored under a random name."""
    if not upload.name.lower().endswith(".pdf"):
        raise ValidationError(wrong_name, code="not_pdf_name")
    _check_size(upload, MAX_BROCHURE_BYTES)
    not_a_pdf = ValidationError(unreadable, code="not_pdf")
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        raise not_a_pdf
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if len(reader.pages) < 1:
            raise not_a_pdf
    except Exception:  # pypdf raises all kinds of errors on hostile input; any of them means "not a PDF".
        raise not_a_pdf from None
    upload.seek(0)
    return ContentFile(upload.read(), name=f"{uuid.uuid4().hex}.pdf")
