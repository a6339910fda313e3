"""Uploaded files: checks for company logos (images, re-encoded), brochures and MOU scans (real PDFs of
bounded length), and the removal of stored files once nothing refers to them.

A file's name and declared type are never trusted: the bytes are opened with
Pillow or pypdf, and a logo is re-encoded so nothing but pixels is stored.

Settings: UPLOAD_PDF_MAX_PAGES (default 200) and UPLOAD_PDF_CHECK_SECONDS (default 2), read when a PDF
is checked.
"""

import io
import time
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import IndirectObject

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_SIDE = 4000
LOGO_SIZE = 512
LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}
MAX_BROCHURE_BYTES = 10 * 1024 * 1024
PDF_MAX_PAGES = 200
PDF_CHECK_SECONDS = 2.0


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


class _TooSlow(Exception):
    pass


class _TooManyPages(Exception):
    pass


def _count_pages(reader, *, limit, deadline):
    """The pages of the PDF's page tree, counted node by node without building pypdf's page list.

    Raises _TooManyPages past `limit` and _TooSlow past `deadline` (time.monotonic()), so a hostile file
    (60 000 blank pages, a tree that points back at itself) costs a bounded amount of work.
    """
    if time.monotonic() >= deadline:
        raise _TooSlow
    stack = [reader.trailer["/Root"].get_object()["/Pages"]]
    seen = set()
    pages = 0
    while stack:
        if time.monotonic() >= deadline:
            raise _TooSlow
        reference = stack.pop()
        kids = reference.get_object().get("/Kids")
        if kids is None:  # a page; one referenced many times counts each time, as readers show it
            pages += 1
            if pages > limit:
                raise _TooManyPages
            continue
        if isinstance(reference, IndirectObject):
            if (reference.idnum, reference.generation) in seen:
                continue  # a node of the tree met again: the tree loops
            seen.add((reference.idnum, reference.generation))
        stack.extend(kids.get_object())
    return pages


def clean_pdf(upload, *, wrong_name, unreadable):
    """A PDF checked by name, size, signature, page count (at most UPLOAD_PDF_MAX_PAGES) and by reading
    its pages within UPLOAD_PDF_CHECK_SECONDS, stored under a random name."""
    if not upload.name.lower().endswith(".pdf"):
        raise ValidationError(wrong_name, code="not_pdf_name")
    _check_size(upload, MAX_BROCHURE_BYTES)
    not_a_pdf = ValidationError(unreadable, code="not_pdf")
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        raise not_a_pdf
    upload.seek(0)
    limit = getattr(settings, "UPLOAD_PDF_MAX_PAGES", PDF_MAX_PAGES)
    deadline = time.monotonic() + getattr(settings, "UPLOAD_PDF_CHECK_SECONDS", PDF_CHECK_SECONDS)
    try:
        reader = PdfReader(upload, strict=False)
        # Counted first with bounded work; pypdf's own page list (the real check) then has at most `limit`.
        if _count_pages(reader, limit=limit, deadline=deadline) < 1 or len(reader.pages) < 1:
            raise not_a_pdf
    except _TooManyPages:
        raise ValidationError(
            _("The PDF has more than %(limit)d pages; at most %(limit)d, please."),
            params={"limit": limit},
            code="too_many_pages",
        ) from None
    except _TooSlow:
        raise ValidationError(
            _(
                "This PDF takes too long to read: its structure is unusually complex. "
                "Please export it again as a plain PDF."
            ),
            code="too_slow",
        ) from None
    except Exception:  # pypdf raises all kinds of errors on hostile input; any of them means "not a PDF".
        raise not_a_pdf from None
    upload.seek(0)
    return ContentFile(upload.read(), name=f"{uuid.uuid4().hex}.pdf")


# ---------------------------------------------------------------- stored files nothing refers to
def stored_file_names(instance, fields):
    """{field: stored name} of the row as the database holds it now ("" for no file; {} for a new row).

    Read before saving a form: the form has already put the new files on the instance.
    """
    if instance.pk is None:
        return {}
    row = type(instance)._default_manager.filter(pk=instance.pk).values(*fields).first()
    return {field: name or "" for field, name in (row or {}).items()}


def _delete_after_commit(storage, name):
    def delete_stored_file():
        storage.delete(name)

    # robust: the change is committed whatever happens to the old file; a failure is only logged.
    transaction.on_commit(delete_stored_file, robust=True)


def discard_replaced_files(instance, previous):
    """Once the transaction commits, delete the files `previous` (from stored_file_names) named that the
    instance no longer refers to: replaced or cleared. Nothing is deleted if the save is rolled back."""
    for field, old_name in previous.items():
        if old_name and old_name != (getattr(instance, field).name or ""):
            _delete_after_commit(instance._meta.get_field(field).storage, old_name)


def discard_files_of_deleted(instance, fields):
    """Once the transaction commits, delete the files of a deleted row."""
    for field in fields:
        file = getattr(instance, field)
        if file.name:
            _delete_after_commit(file.storage, file.name)


class DeletesUploadsWithRow:
    """ModelAdmin mixin: deleting rows (one, or the "delete selected" action) deletes their
    `upload_fields`' files after the commit."""

    upload_fields = ()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        discard_files_of_deleted(obj, self.upload_fields)

    def delete_queryset(self, request, queryset):
        rows = list(queryset)
        super().delete_queryset(request, queryset)
        for row in rows:
            discard_files_of_deleted(row, self.upload_fields)
