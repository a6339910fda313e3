"""MOUs in the admin: parties, date, type, a scanned PDF checked like brochures, status; every change and
the review action keep history; the scan is a download for the organising centre only; CSV export."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from matching.consultations.outcomes.models import Mou
from tests import factories
from tests.consultations.conftest import past_bangkok_roadshow
from tests.spreadsheets import sheet_rows, workbook_sheet
from tests.test_permission_matrix import tiny_pdf

CHANGELIST = "/admin/consultations/mou/"


@pytest.fixture
def bangkok_meeting(bangkok_centre):
    event = past_bangkok_roadshow(bangkok_centre)
    return factories.MeetingFactory(slot=factories.TimeSlotFactory(event=event), status="held")


def _add_form(meeting, **changes):
    data = {
        "title": "Smart parking control pilot",
        "kind": "company",
        "status": "signed",
        "event": meeting.slot.event_id,
        "meeting": meeting.pk,
        "company": meeting.sme.company_id,
        "buyer": meeting.buyer.buyer_id,
        "parties": "",
        "signed_on": "2022-10-07",
        "notes": "",
    }
    return data | changes


def test_an_admin_records_a_signed_mou_with_its_scan_and_history(admin_client, admin, bangkok_meeting):
    scan = SimpleUploadedFile("scan.pdf", tiny_pdf(), content_type="application/pdf")

    response = admin_client.post(f"{CHANGELIST}add/", _add_form(bangkok_meeting, document=scan))

    assert response.status_code == 302
    mou = Mou.objects.get()
    assert (mou.title, mou.signed_on, mou.recorded_by) == (
        "Smart parking control pilot",
        dt.date(2022, 10, 7),
        admin,
    )
    assert (
        mou.document.name.endswith(".pdf") and "scan" not in mou.document.name
    )  # stored under a random name
    assert (mou.history.get().history_type, mou.history.get().history_user) == ("+", admin)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script>", "This file is not a readable PDF."),
        ("scan.pdf", b"%PDF-1.4 not really", "This file is not a readable PDF."),
        ("scan.png", b"%PDF-1.4", "The signed MOU must be a PDF file (.pdf)."),
    ],
)
def test_a_scan_that_is_not_a_pdf_is_refused_with_a_message(
    admin_client, bangkok_meeting, name, content, message
):
    response = admin_client.post(
        f"{CHANGELIST}add/", _add_form(bangkok_meeting, document=SimpleUploadedFile(name, content))
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Mou.objects.exists()


def test_a_signed_mou_needs_its_date_and_a_company_mou_both_parties(admin_client, bangkok_meeting):
    response = admin_client.post(f"{CHANGELIST}add/", _add_form(bangkok_meeting, signed_on="", buyer=""))

    page = response.content.decode()
    assert "Give the date a signed MOU was signed." in page
    assert "A company–company MOU names the Korean company and the buyer." in page
    assert not Mou.objects.exists()


def test_mark_reviewed_keeps_a_history_row_naming_the_reviewer(admin_client, admin):
    mou = factories.MouFactory()

    response = admin_client.post(
        CHANGELIST, {"action": "mark_reviewed", "_selected_action": [mou.pk]}, follow=True
    )

    assert "1 MOU marked reviewed." in response.content.decode()
    assert mou.history.first().history_user == admin
    mou.refresh_from_db()
    assert mou.reviewed_by == admin


def test_the_export_lists_the_selected_mous(admin_client, bangkok_meeting):
    mou = factories.MouFactory(meeting=bangkok_meeting, title="IoT disaster response")

    response = admin_client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [mou.pk]})

    rows = list(csv.DictReader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert [(r["Title"], r["Type"], r["Status"], r["Event"], r["Signed on"]) for r in rows] == [
        (
            "IoT disaster response",
            "Company–company technical cooperation",
            "Signed",
            "Bangkok Roadshow",
            "2022-10-07",
        )
    ]
    assert rows[0]["Meeting starts (event's local time)"].endswith("+07:00")


def test_the_excel_export_lists_the_selected_mous_in_korean_and_thai_too(admin_client, bangkok_meeting):
    mou = factories.MouFactory(meeting=bangkok_meeting, title="IoT 재난 대응 · ระบบเตือนภัย\x01")

    response = admin_client.post(CHANGELIST, {"action": "export_xlsx", "_selected_action": [mou.pk]})

    sheet = workbook_sheet(response)
    assert response["Content-Disposition"] == 'attachment; filename="mous.xlsx"'
    (row,) = sheet_rows(sheet)
    # The control character a workbook cannot hold is left out; the rest is kept.
    assert row["Title"].value == "IoT 재난 대응 · ระบบเตือนภัย"
    assert (row["Event"].value, row["Type"].value) == (
        "Bangkok Roadshow",
        "Company–company technical cooperation",
    )
    assert (row["Signed on"].value, row["Signed on"].is_date) == (dt.datetime(2022, 10, 7), True)
    starts = row["Meeting starts (event's local time)"]
    local = bangkok_meeting.slot.starts_at.astimezone(bangkok_meeting.slot.event.zone).replace(tzinfo=None)
    assert (starts.value, starts.is_date) == (local, True)


def test_the_scan_is_an_attachment_for_the_organising_centre_only(
    client, centre_staff, other_centre_staff, bangkok_meeting
):
    mou = factories.MouFactory(meeting=bangkok_meeting, document=ContentFile(tiny_pdf(), name="x.pdf"))
    url = f"/events/mous/{mou.pk}/document.pdf"

    client.force_login(centre_staff)
    response = client.get(url)
    client.force_login(other_centre_staff)
    other = client.get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="mou-{mou.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert other.status_code == 404
