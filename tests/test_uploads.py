"""Logo and brochure uploads on the company profile form, and the brochure download.

Every file goes through /companies/<pk>/edit/ as a real multipart POST by the company's
member: genuine images and PDFs are kept (a logo re-encoded as a PNG of at most 512 px);
anything else re-renders the form with a precise message and the member's other input.
A PDF (brochure or MOU scan) has at most 200 pages and is read within a time bound; a replaced
or cleared file, and the files of a deleted company or MOU, leave the storage after the commit.
"""

import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image
from pypdf import PdfReader, PdfWriter

from matching.companies.models import Company
from matching.kernel.models import ApprovalStatus
from tests import factories
from tests.companies.test_editing import company, member  # noqa: F401 (fixtures)

NOT_AN_IMAGE = "This is not a PNG, JPEG or WebP image. Please upload your logo as one of those."
DJANGO_NOT_AN_IMAGE = (
    "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
)
NOT_A_PDF = "This file is not a readable PDF. Please export your brochure as PDF again."
NOT_PDF_NAME = "The brochure must be a PDF file (.pdf)."
TYPED_DESCRIPTION = "Adaptive traffic signals that cut waiting at junctions by a third."


def image_bytes(image_format, size=(1200, 800), mode="RGB", noise=False):
    if noise:
        image = Image.frombytes(mode, size, os.urandom(size[0] * size[1] * len(mode)))
    else:
        image = Image.new(mode, size, (20, 110, 200) if mode == "RGB" else 0)
    output = io.BytesIO()
    image.save(output, format=image_format)
    return output.getvalue()


def pdf_bytes(pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def profile_data(**changes):
    """What the member types in the profile form besides the files."""
    data = {
        "name_ko": "서울교통시스템",
        "name_en": "Seoul Traffic Systems",
        "website": "https://seoul-traffic.example",
        "size": Company.Size.SMALL,
        "founded_year": "2014",
        "description_ko": "",
        "description_en": TYPED_DESCRIPTION,
        "contact_name": "Kim Min-jun",
        "contact_email": "sales@seoul-traffic.example",
        "contact_phone": "+82 2 1234 5678",
    }
    return data | changes


def upload(client, company, **files):
    return client.post(f"/companies/{company.pk}/edit/", profile_data() | files)


def assert_refused(response, company, field, messages):
    """The form is shown again (200) with exactly these messages, keeps the typed text, and saved nothing."""
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {field: messages}
    content = response.content.decode()
    assert "Please correct the fields marked below; nothing you typed is lost." in content
    for message in messages:
        assert message in content
    assert TYPED_DESCRIPTION in content
    assert 'value="Kim Min-jun"' in content
    assert 'value="+82 2 1234 5678"' in content
    company.refresh_from_db()
    assert not company.logo
    assert not company.brochure
    assert company.description_en == ""


# ---------------------------------------------------------------- logos accepted
@pytest.mark.parametrize(("image_format", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")])
@pytest.mark.django_db
def test_a_genuine_logo_is_stored_re_encoded_as_a_png_of_at_most_512_px(
    member, company, image_format, extension
):
    logo = SimpleUploadedFile(f"logo.{extension}", image_bytes(image_format, size=(1200, 800)))

    response = upload(member, company, logo=logo)

    assert response.status_code == 302
    assert response["Location"] == f"/companies/{company.pk}/"
    company.refresh_from_db()
    assert company.logo.name.startswith("logos/")
    assert company.logo.name.endswith(".png")
    assert company.description_en == TYPED_DESCRIPTION
    with company.logo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "PNG"
        assert image.size == (512, 341)
        assert image.mode == "RGBA"


@pytest.mark.django_db
def test_a_small_logo_is_re_encoded_but_not_enlarged(member, company):
    logo = SimpleUploadedFile("logo.jpg", image_bytes("JPEG", size=(120, 300)))

    upload(member, company, logo=logo)

    company.refresh_from_db()
    with company.logo.open("rb") as stored, Image.open(stored) as image:
        assert (image.format, image.size) == ("PNG", (120, 300))


@pytest.mark.django_db
def test_a_logo_keeps_nothing_of_the_uploaded_file_but_its_pixels(member, company):
    """A real PNG with HTML after its end: Pillow reads the pixels, the stored PNG has no HTML."""
    polyglot = image_bytes("PNG", size=(64, 64)) + b"<html><script>alert(document.cookie)</script></html>"

    response = upload(member, company, logo=SimpleUploadedFile("logo.png", polyglot))

    assert response.status_code == 302
    company.refresh_from_db()
    with company.logo.open("rb") as stored:
        content = stored.read()
    assert b"<script>" not in content
    assert b"<html>" not in content
    assert content.startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.django_db
def test_the_stored_logo_is_named_by_the_portal_not_by_the_uploader(member, company):
    logo = SimpleUploadedFile("..\\evil name's logo.PNG", image_bytes("PNG", size=(64, 64)))

    upload(member, company, logo=logo)

    company.refresh_from_db()
    assert company.logo.name.startswith("logos/")
    assert company.logo.name.endswith(".png")
    assert "evil" not in company.logo.name


# ---------------------------------------------------------------- logos refused
@pytest.mark.django_db
def test_a_logo_over_two_megabytes_is_refused_with_its_size_and_the_limit(member, company):
    big = image_bytes("PNG", size=(1000, 1000), noise=True)
    assert len(big) > 2 * 1024 * 1024

    response = upload(member, company, logo=SimpleUploadedFile("logo.png", big))

    message = f"The file is {filesizeformat(len(big))}; the limit is 2.0\xa0MB."
    assert_refused(response, company, "logo", [message])


@pytest.mark.django_db
def test_a_text_file_renamed_png_is_refused_as_not_an_image(member, company):
    text = SimpleUploadedFile(
        "logo.png", b"Seoul Traffic Systems\nour logo is lovely\n", content_type="image/png"
    )

    response = upload(member, company, logo=text)

    assert_refused(response, company, "logo", [DJANGO_NOT_AN_IMAGE])


@pytest.mark.django_db
def test_a_png_header_followed_by_html_is_refused(member, company):
    polyglot = b"\x89PNG\r\n\x1a\n<html><body><script>alert(document.cookie)</script></body></html>"

    response = upload(
        member, company, logo=SimpleUploadedFile("logo.png", polyglot, content_type="image/png")
    )

    assert_refused(response, company, "logo", [DJANGO_NOT_AN_IMAGE])


@pytest.mark.django_db
def test_a_gif_is_refused_because_only_png_jpeg_and_webp_are_logos(member, company):
    gif = SimpleUploadedFile("logo.gif", image_bytes("GIF", size=(64, 64)), content_type="image/gif")

    response = upload(member, company, logo=gif)

    assert_refused(response, company, "logo", [NOT_AN_IMAGE])


@pytest.mark.django_db
def test_a_gif_renamed_png_is_refused_too(member, company):
    gif = SimpleUploadedFile("logo.png", image_bytes("GIF", size=(64, 64)), content_type="image/png")

    response = upload(member, company, logo=gif)

    assert_refused(response, company, "logo", [NOT_AN_IMAGE])


@pytest.mark.django_db
def test_an_image_5000_pixels_wide_is_refused_with_its_dimensions(member, company):
    wide = SimpleUploadedFile("logo.png", image_bytes("PNG", size=(5000, 20)))

    response = upload(member, company, logo=wide)

    assert_refused(
        response, company, "logo", ["The image is 5000 × 20 pixels; at most 4000 on a side, please."]
    )


@pytest.mark.django_db
def test_a_truncated_jpeg_is_refused(member, company):
    jpeg = image_bytes("JPEG", size=(400, 400), noise=True)

    response = upload(member, company, logo=SimpleUploadedFile("logo.jpg", jpeg[: len(jpeg) // 2]))

    assert response.status_code == 200
    assert response.context["form"].errors["logo"] in ([NOT_AN_IMAGE], [DJANGO_NOT_AN_IMAGE])
    company.refresh_from_db()
    assert not company.logo


# ---------------------------------------------------------------- brochures
@pytest.mark.django_db
def test_a_genuine_pdf_brochure_is_stored_as_uploaded(member, company):
    pdf = pdf_bytes(pages=2)

    response = upload(member, company, brochure=SimpleUploadedFile("Our brochure.PDF", pdf))

    assert response.status_code == 302
    company.refresh_from_db()
    assert company.brochure.name.startswith("brochures/")
    assert company.brochure.name.endswith(".pdf")
    with company.brochure.open("rb") as stored:
        content = stored.read()
    assert content == pdf
    assert len(PdfReader(io.BytesIO(content)).pages) == 2


@pytest.mark.django_db
def test_a_file_starting_with_the_pdf_signature_but_garbage_is_refused(member, company):
    garbage = b"%PDF-1.7\n" + b"this is not a PDF at all, just text pretending\n" * 20

    response = upload(member, company, brochure=SimpleUploadedFile("brochure.pdf", garbage))

    assert_refused(response, company, "brochure", [NOT_A_PDF])


@pytest.mark.django_db
def test_a_genuine_pdf_named_txt_is_refused_for_its_name(member, company):
    response = upload(member, company, brochure=SimpleUploadedFile("brochure.txt", pdf_bytes()))

    assert_refused(response, company, "brochure", [NOT_PDF_NAME])


@pytest.mark.django_db
def test_an_html_file_named_pdf_is_refused(member, company):
    html = b"<!doctype html><html><body><script>alert(1)</script></body></html>"

    response = upload(
        member, company, brochure=SimpleUploadedFile("brochure.pdf", html, content_type="application/pdf")
    )

    assert_refused(response, company, "brochure", [NOT_A_PDF])


@pytest.mark.django_db
def test_a_truncated_pdf_is_refused(member, company):
    pdf = pdf_bytes()

    response = upload(member, company, brochure=SimpleUploadedFile("brochure.pdf", pdf[: len(pdf) // 2]))

    assert_refused(response, company, "brochure", [NOT_A_PDF])


@pytest.mark.django_db
def test_a_pdf_whose_trailer_is_not_a_dictionary_is_refused_not_a_server_error(member, company):
    broken = pdf_bytes().replace(b"trailer\n<<", b"trailer\n42")

    response = upload(member, company, brochure=SimpleUploadedFile("brochure.pdf", broken))

    assert_refused(response, company, "brochure", [NOT_A_PDF])


@pytest.mark.django_db
def test_a_brochure_over_ten_megabytes_is_refused_with_its_size_and_the_limit(member, company):
    big = pdf_bytes() + b"%" + b"0" * (11 * 1024 * 1024)

    response = upload(member, company, brochure=SimpleUploadedFile("brochure.pdf", big))

    assert_refused(response, company, "brochure", ["The file is 11.0\xa0MB; the limit is 10.0\xa0MB."])


@pytest.mark.django_db
def test_a_bad_logo_and_a_bad_brochure_are_both_reported(member, company):
    response = upload(
        member,
        company,
        logo=SimpleUploadedFile("logo.gif", image_bytes("GIF", size=(8, 8))),
        brochure=SimpleUploadedFile("brochure.doc", b"PK\x03\x04"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"logo": [NOT_AN_IMAGE], "brochure": [NOT_PDF_NAME]}


@pytest.mark.django_db
def test_saving_the_profile_without_files_keeps_the_stored_logo_and_brochure(
    member, company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(
            member,
            company,
            logo=SimpleUploadedFile("logo.png", image_bytes("PNG", size=(64, 64))),
            brochure=SimpleUploadedFile("brochure.pdf", pdf_bytes()),
        )
        company.refresh_from_db()
        logo, brochure = company.logo.name, company.brochure.name

        response = upload(member, company)

    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.logo.name, company.brochure.name) == (logo, brochure)
    assert (stored(logo), stored(brochure)) == (True, True)


@pytest.mark.django_db
def test_the_member_can_remove_the_brochure(member, company):
    upload(member, company, brochure=SimpleUploadedFile("brochure.pdf", pdf_bytes()))

    response = member.post(f"/companies/{company.pk}/edit/", profile_data(**{"brochure-clear": "on"}))

    assert response.status_code == 302
    company.refresh_from_db()
    assert not company.brochure


# ---------------------------------------------------------------- brochure download
@pytest.fixture
def brochure_pdf():
    return pdf_bytes()


def with_brochure(company, content):
    company.brochure.save("stored.pdf", ContentFile(content))
    return company


@pytest.mark.django_db
def test_the_brochure_downloads_as_a_pdf_attachment_that_is_never_sniffed(client, sme_owner, brochure_pdf):
    company = with_brochure(sme_owner.company, brochure_pdf)

    response = client.get(f"/companies/{company.pk}/brochure/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="seoul-traffic-systems-brochure.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == brochure_pdf


@pytest.mark.django_db
def test_a_company_with_a_korean_only_name_gets_a_plain_filename(client, brochure_pdf):
    company = with_brochure(factories.CompanyFactory(name_en="", name_ko="한빛신호제어"), brochure_pdf)

    response = client.get(f"/companies/{company.pk}/brochure/")

    assert response["Content-Disposition"] == 'attachment; filename="company-brochure.pdf"'


@pytest.mark.django_db
def test_a_company_without_a_brochure_gives_404(client, sme_owner):
    response = client.get(f"/companies/{sme_owner.company.pk}/brochure/")

    assert response.status_code == 404


@pytest.mark.django_db
def test_an_unknown_company_brochure_gives_404(client, db):
    assert client.get("/companies/999999/brochure/").status_code == 404


@pytest.mark.django_db
def test_a_pending_company_brochure_is_404_for_anonymous_visitors_and_other_members(
    client, stranger, brochure_pdf
):
    pending = factories.CompanyFactory(approval_status=ApprovalStatus.PENDING)
    with_brochure(pending, brochure_pdf)

    assert client.get(f"/companies/{pending.pk}/brochure/").status_code == 404
    client.force_login(stranger)
    assert client.get(f"/companies/{pending.pk}/brochure/").status_code == 404


@pytest.mark.django_db
def test_a_pending_company_brochure_downloads_for_its_own_member(client, brochure_pdf):
    pending = factories.CompanyFactory(
        name_en="Hanbit Signal Control", approval_status=ApprovalStatus.PENDING
    )
    member = factories.SmeMemberFactory(company=pending)
    with_brochure(pending, brochure_pdf)
    client.force_login(member)

    response = client.get(f"/companies/{pending.pk}/brochure/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="hanbit-signal-control-brochure.pdf"'
    assert b"".join(response.streaming_content) == brochure_pdf


@pytest.mark.django_db
def test_the_uploaded_logo_is_shown_on_the_profile_and_served_as_a_png_by_any_app_server(
    client, member, company
):
    """Logos come from the upload storage through the portal (not a web server's media folder), so they
    show in production and on every app server sharing that storage."""
    upload(member, company, logo=SimpleUploadedFile("logo.jpg", image_bytes("JPEG", size=(300, 200))))
    company.refresh_from_db()

    page = client.get(f"/companies/{company.pk}/").content.decode()
    response = client.get(f"/companies/{company.pk}/logo/")

    assert f'<img src="/companies/{company.pk}/logo/"' in page
    assert response.status_code == 200
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == ("image/png", "nosniff")
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert (image.format, image.size) == ("PNG", (300, 200))


@pytest.mark.django_db
def test_a_company_without_a_logo_has_no_logo_address(client, company):
    assert client.get(f"/companies/{company.pk}/logo/").status_code == 404


# ---------------------------------------------------------------- replaced files leave the storage
def stored(file_field_name):
    return default_storage.exists(file_field_name)
