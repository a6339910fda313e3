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
            "Event": "Bangkok Roadshow",
            "City": "Bangkok",
            "Korean company": "'=HYPERLINK",
            "Buyer": "Khon Kaen City",
            "Starts (event's local time)": "2022-10-06T09:00:00+07:00",
            "Meeting status": "Held",
            "Recorded by side": "KOTRA staff",
            "Attendance": "Held",
            "Interest": "High",
            "Next step": "Send quotation",
            "Estimated value (USD)": "125000.00",
            "MOU signed": "No",
            "MOU signed on": "",
            "Reviewed (event's local time)": "",
            "Reviewed by": "",
        }
    ]


def test_the_export_names_choices_and_the_reviewer_in_the_admins_language(
    admin_client, admin, bangkok_outcome
):
    Outcome.objects.filter(pk=bangkok_outcome.pk).update(
        next_step=Outcome.NextStep.SITE_VISIT,
        reviewed_by=admin,
        reviewed_at=dt.datetime(2022, 10, 7, 3, 15, tzinfo=dt.UTC),
    )
    admin.first_name, admin.last_name = "Soo-ah", "Park"
    admin.save()

    english = admin_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [bangkok_outcome.pk]}
    )
    admin.language = "ko"
    admin.save()
    korean = admin_client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [bangkok_outcome.pk]})

    (row,) = csv.DictReader(io.StringIO(english.content.decode().lstrip("\ufeff")))
    assert (row["Next step"], row["Reviewed by"], row["Reviewed (event's local time)"]) == (
        "Site visit",
        "Soo-ah Park",
        "2022-10-07T10:15:00+07:00",
    )
    assert "site_visit" not in english.content.decode()
    korean_header, korean_row = list(csv.reader(io.StringIO(korean.content.decode().lstrip("\ufeff"))))
    assert korean_header[:4] == ["행사", "도시", "한국 기업", "바이어"]
    assert korean_row[OUTCOME_KEYS.index("next_step")] == "현장 방문"
    assert korean_row[OUTCOME_KEYS.index("interest")] == "높음"
    assert "site_visit" not in korean.content.decode()


OUTCOME_KEYS = [column.key for column in exports.OUTCOME_COLUMNS]


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
    assert [cell.value for cell in next(sheet.iter_rows())] == [
        "Event", "City", "Korean company", "Buyer", "Starts (event's local time)", "Meeting status",
        "Recorded by side", "Attendance", "Interest", "Next step", "Estimated value (USD)", "MOU signed",
        "MOU signed on", "Reviewed (event's local time)", "Reviewed by",
    ]  # fmt: skip
    assert all(cell.font.b for cell in next(sheet.iter_rows()))
    assert sheet.freeze_panes == "A2"
    (row,) = sheet_rows(sheet)
    assert (row["Korean company"].value, row["Korean company"].data_type) == ("=HYPERLINK", "s")  # never run
    value = row["Estimated value (USD)"]
    assert (value.value, value.data_type, value.number_format) == (125000, "n", "#,##0.00")
    starts = row["Starts (event's local time)"]
    # 02:00 UTC is 09:00 in Bangkok: a real date-time cell, in the event's wall-clock time.
    assert (starts.value, starts.is_date, starts.number_format) == (
        dt.datetime(2022, 10, 6, 9, 0),
        True,
        "yyyy-mm-dd hh:mm",
    )
    assert (row["Next step"].value, row["Attendance"].value, row["MOU signed"].value) == (
        "Send quotation",
        "Held",
        "No",
    )
    assert row["Reviewed by"].value is None


def test_the_excel_export_holds_dates_as_date_cells(admin_client, bangkok_outcome):
    Outcome.objects.filter(pk=bangkok_outcome.pk).update(mou_signed=True, mou_signed_on=dt.date(2022, 10, 7))

    response = admin_client.post(
        CHANGELIST, {"action": "export_xlsx", "_selected_action": [bangkok_outcome.pk]}
    )

    (row,) = sheet_rows(workbook_sheet(response))
    signed_on = row["MOU signed on"]
    assert (signed_on.value, signed_on.is_date, signed_on.number_format) == (
        dt.datetime(2022, 10, 7, 0, 0),
        True,
        "yyyy-mm-dd",
    )
    assert row["MOU signed"].value == "Yes"
