"""Admins review outcomes in the Django admin (read-only there: tests/test_admin_writes.py): the history
page lists every change, the "mark reviewed" action writes a history row naming the reviewer, and the
filtered rows export as CSV and Excel."""

import csv
import datetime as dt
import io

import pytest

from matching.consultations.outcomes.models import Outcome
from matching.consultations.reporting import exports
from tests import factories
from tests.consultations.conftest import past_bangkok_roadshow
from tests.spreadsheets import sheet_rows, workbook_sheet

CHANGELIST = "/admin/consultations/outcome/"


@pytest.fixture
def bangkok_outcome(bangkok_centre):
    event = past_bangkok_roadshow(bangkok_centre)
    slot = factories.TimeSlotFactory(event=event, starts_at=dt.datetime(2022, 10, 6, 2, 0, tzinfo=dt.UTC))
    meeting = factories.MeetingFactory(
        slot=slot,
        sme=factories.SmeRegistrationFactory(
            event=event, company=factories.CompanyFactory(name_en="=HYPERLINK")
        ),
        buyer=factories.BuyerRegistrationFactory(
            event=event, buyer=factories.BuyerOrganisationFactory(name="Khon Kaen City")
        ),
        status="held",
    )
    return factories.OutcomeFactory(meeting=meeting, notes="Wants a pilot")


def test_the_history_page_of_an_outcome_lists_its_changes(admin_client, bangkok_outcome):
    response = admin_client.get(f"{CHANGELIST}{bangkok_outcome.pk}/history/")

    assert response.status_code == 200
    assert [record.interest for record in response.context["page_obj"]] == ["high"]


def test_mark_reviewed_writes_a_history_row_naming_the_reviewer_and_skips_reviewed_ones(
    admin_client, admin, bangkok_outcome
):
    already = factories.OutcomeFactory()
    Outcome.objects.filter(pk=already.pk).update(reviewed_at=dt.datetime(2022, 11, 1, tzinfo=dt.UTC))
    before = bangkok_outcome.history.count()

    response = admin_client.post(
        CHANGELIST,
        {"action": "mark_reviewed", "_selected_action": [bangkok_outcome.pk, already.pk]},
        follow=True,
    )

    assert "1 outcome marked reviewed." in response.content.decode()
    bangkok_outcome.refresh_from_db()
    assert bangkok_outcome.reviewed_by == admin
    assert bangkok_outcome.history.count() == before + 1
    assert bangkok_outcome.history.first().history_user == admin
    already.refresh_from_db()
    assert already.reviewed_at == dt.datetime(2022, 11, 1, tzinfo=dt.UTC)


def test_the_reviewer_state_filter_lists_only_unreviewed_outcomes(admin_client, bangkok_outcome):
    reviewed = factories.OutcomeFactory()
    Outcome.objects.filter(pk=reviewed.pk).update(reviewed_at=dt.datetime(2022, 11, 1, tzinfo=dt.UTC))

    response = admin_client.get(CHANGELIST, {"reviewed": "no"})

    assert [o.pk for o in response.context["cl"].result_list] == [bangkok_outcome.pk]


def test_export_gives_one_row_per_outcome_with_the_events_offset_and_no_formulas(
    admin_client, bangkok_outcome
):
    response = admin_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [bangkok_outcome.pk]}
    )

    body = response.content.decode("utf-8")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="outcomes.csv"'
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows == [
        {
            "event": "Bangkok Roadshow",
            "city": "Bangkok",
            "company": "'=HYPERLINK",
            "buyer": "Khon Kaen City",
            "starts_at": "2022-10-06T09:00:00+07:00",
            "meeting_status": "held",
            "side": "staff",
            "attendance": "held",
            "interest": "high",
            "next_step": "quotation",
            "estimated_value_usd": "125000.00",
            "mou_signed": "no",
            "mou_signed_on": "",
            "reviewed_at": "",
            "reviewed_by": "",
        }
    ]


@pytest.mark.parametrize(
    ("stored", "exported"),
    [
        ("=1+1", "'=1+1"),
        ("+82 2 1234", "'+82 2 1234"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-12.5", "-12.5"),
        ("Khon Kaen", "Khon Kaen"),
    ],
)
def test_cells_a_spreadsheet_would_run_are_quoted_and_numbers_are_not(stored, exported):
    assert exports._spreadsheet_safe(stored) == exported


def test_the_excel_export_has_the_same_rows_with_amounts_as_numbers_and_no_formulas(
    admin_client, bangkok_outcome
):
    response = admin_client.post(
        CHANGELIST, {"action": "export_xlsx", "_selected_action": [bangkok_outcome.pk]}
    )

    sheet = workbook_sheet(response)
    assert response["Content-Disposition"] == 'attachment; filename="outcomes.xlsx"'
    assert [cell.value for cell in next(sheet.iter_rows())] == exports.OUTCOME_COLUMNS
    assert all(cell.font.b for cell in next(sheet.iter_rows()))
    assert sheet.freeze_panes == "A2"
    (row,) = sheet_rows(sheet)
    assert (row["company"].value, row["company"].data_type) == ("=HYPERLINK", "s")  # text, never run
    assert (row["estimated_value_usd"].value, row["estimated_value_usd"].data_type) == (125000, "n")
    assert row["starts_at"].value == "2022-10-06T09:00:00+07:00"
    assert row["reviewed_by"].value is None
