"""Uploads: a PDF's length and the time to check it, and replaced or deleted files leaving the storage."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from matching.companies.models import Company
from matching.consultations.outcomes.models import Mou
from tests import factories
from tests.consultations.test_mous import _add_form as mou_form
from tests.test_uploads import (  # noqa: F401 (fixtures and helpers)
    NOT_A_PDF,
    assert_refused,
    company,
    image_bytes,
    member,
    pdf_bytes,
    profile_data,
    stored,
    upload,
)

# ---------------------------------------------------------------- PDF length and the time to check it
TOO_MANY_PAGES = "The PDF has more than 200 pages; at most 200, please."
TOO_SLOW = (
    "This PDF takes too long to read: its structure is unusually complex. "
    "Please export it again as a plain PDF."
)


def page_tree_pdf(kids, count):
    """A PDF written by hand: a catalog, a page-tree node whose /Kids are `kids` (object references as
    text) and one blank page (object 3). Cheap to build however many times the page is referenced."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(count).encode() + b" >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    output = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(output)
    output += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    output += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    output += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(output)


@pytest.mark.django_db
def test_a_brochure_of_200_pages_is_accepted(member, company):
    response = upload(member, company, brochure=SimpleUploadedFile("brochure.pdf", pdf_bytes(pages=200)))

    assert response.status_code == 302
    company.refresh_from_db()
    assert company.brochure.name.startswith("brochures/")


@pytest.mark.django_db
def test_a_brochure_of_201_pages_is_refused_with_the_limit(member, company):
    response = upload(member, company, brochure=SimpleUploadedFile("brochure.pdf", pdf_bytes(pages=201)))

    assert_refused(response, company, "brochure", [TOO_MANY_PAGES])


@pytest.mark.django_db
def test_a_brochure_of_60000_blank_pages_is_refused_without_reading_them_all(member, company, settings):
    # Time enough to parse the list of 60 000 pages on a loaded machine (the time bound has its own test).
    settings.UPLOAD_PDF_CHECK_SECONDS = 60
    sixty_thousand = page_tree_pdf(b" ".join([b"3 0 R"] * 60_000), 60_000)
    assert len(sixty_thousand) < 1024 * 1024

    response = upload(member, company, brochure=SimpleUploadedFile("brochure.pdf", sixty_thousand))

    assert_refused(response, company, "brochure", [TOO_MANY_PAGES])


@pytest.mark.django_db
def test_a_brochure_whose_page_tree_points_back_at_itself_is_refused_not_a_hang(member, company):
    loop = page_tree_pdf(b"2 0 R", 1)

    response = upload(member, company, brochure=SimpleUploadedFile("brochure.pdf", loop))

    assert_refused(response, company, "brochure", [NOT_A_PDF])


@pytest.mark.django_db
def test_the_page_limit_is_a_setting(member, company, settings):
    settings.UPLOAD_PDF_MAX_PAGES = 2

    response = upload(member, company, brochure=SimpleUploadedFile("brochure.pdf", pdf_bytes(pages=3)))

    assert_refused(response, company, "brochure", ["The PDF has more than 2 pages; at most 2, please."])


@pytest.mark.django_db
def test_a_pdf_not_read_within_the_time_bound_is_refused_with_a_message(member, company, settings):
    settings.UPLOAD_PDF_CHECK_SECONDS = 0  # every check runs out of time at once

    response = upload(member, company, brochure=SimpleUploadedFile("brochure.pdf", pdf_bytes(pages=2)))

    assert_refused(response, company, "brochure", [TOO_SLOW])


@pytest.mark.django_db
def test_an_mou_scan_has_the_same_page_limit(admin_client, bangkok_centre):
    meeting = factories.MeetingFactory(status="held")
    scan = SimpleUploadedFile("scan.pdf", pdf_bytes(pages=201))

    response = admin_client.post("/admin/consultations/mou/add/", mou_form(meeting, document=scan))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"document": [TOO_MANY_PAGES]}
    assert Mou.objects.exists() is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "first", "second"),
    [
        (
            "logo",
            lambda: SimpleUploadedFile("logo.png", image_bytes("PNG", size=(64, 64))),
            lambda: SimpleUploadedFile("new-logo.jpg", image_bytes("JPEG", size=(80, 80))),
        ),
        (
            "brochure",
            lambda: SimpleUploadedFile("brochure.pdf", pdf_bytes()),
            lambda: SimpleUploadedFile("brochure-2023.pdf", pdf_bytes(pages=2)),
        ),
    ],
)
def test_a_replaced_logo_or_brochure_is_deleted_from_storage_after_the_commit(
    member, company, django_capture_on_commit_callbacks, field, first, second
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(member, company, **{field: first()})
    company.refresh_from_db()
    old = getattr(company, field).name

    with django_capture_on_commit_callbacks(execute=False) as waiting:
        upload(member, company, **{field: second()})
    company.refresh_from_db()
    new = getattr(company, field).name
    still_there_before_the_commit = stored(old)
    for callback in waiting:
        callback()

    assert new != old
    assert still_there_before_the_commit is True
    assert (stored(old), stored(new)) == (False, True)


@pytest.mark.django_db
def test_a_cleared_brochure_is_deleted_from_storage(member, company, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(member, company, brochure=SimpleUploadedFile("brochure.pdf", pdf_bytes()))
        company.refresh_from_db()
        old = company.brochure.name
        member.post(f"/companies/{company.pk}/edit/", profile_data(**{"brochure-clear": "on"}))

    assert stored(old) is False


@pytest.mark.django_db
def test_a_refused_upload_leaves_the_stored_brochure_alone(
    member, company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(member, company, brochure=SimpleUploadedFile("brochure.pdf", pdf_bytes()))
        company.refresh_from_db()
        refused = upload(member, company, brochure=SimpleUploadedFile("brochure.pdf", pdf_bytes(pages=201)))

    assert refused.status_code == 200
    company.refresh_from_db()
    assert stored(company.brochure.name) is True


@pytest.mark.django_db
def test_a_replaced_mou_scan_is_deleted_from_storage(admin_client, django_capture_on_commit_callbacks):
    mou = factories.MouFactory(document=ContentFile(pdf_bytes(), name="first.pdf"))
    old = mou.document.name
    form = {
        "title": mou.title,
        "kind": mou.kind,
        "status": mou.status,
        "event": mou.event_id,
        "meeting": mou.meeting_id or "",
        "company": mou.company_id or "",
        "buyer": mou.buyer_id or "",
        "parties": mou.parties,
        "signed_on": mou.signed_on.isoformat(),
        "notes": mou.notes,
        "document": SimpleUploadedFile("scan.pdf", pdf_bytes(pages=2)),
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/consultations/mou/{mou.pk}/change/", form)

    assert response.status_code == 302
    mou.refresh_from_db()
    assert mou.document.name != old
    assert (stored(old), stored(mou.document.name)) == (False, True)


@pytest.mark.django_db
def test_deleting_a_company_or_an_mou_in_the_admin_deletes_their_files(
    admin_client, django_capture_on_commit_callbacks
):
    company = factories.CompanyFactory()
    company.logo.save("logo.png", ContentFile(image_bytes("PNG", size=(8, 8))))
    company.brochure.save("brochure.pdf", ContentFile(pdf_bytes()))
    mou = factories.MouFactory(document=ContentFile(pdf_bytes(), name="scan.pdf"))
    files = [company.logo.name, company.brochure.name, mou.document.name]

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/companies/company/{company.pk}/delete/", {"post": "yes"})
        admin_client.post(
            "/admin/consultations/mou/",
            {"action": "delete_selected", "_selected_action": [mou.pk], "post": "yes"},
        )

    assert (Company.objects.filter(pk=company.pk).exists(), Mou.objects.filter(pk=mou.pk).exists()) == (
        False,
        False,
    )
    assert [stored(name) for name in files] == [False, False, False]
