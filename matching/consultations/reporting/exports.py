"""Meetings, outcomes and MOUs as rows for reviewers, downloaded as CSV or as an Excel workbook: times in
ISO 8601 with the event's offset, one row per record."""

import csv
import io
import zoneinfo
from decimal import Decimal, InvalidOperation

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Columns an Excel workbook holds as numbers (sums and filters work on them); every other cell is text.
NUMBER_COLUMNS = {"estimated_value_usd"}

OUTCOME_COLUMNS = [
    "event", "city", "company", "buyer", "starts_at", "meeting_status", "side", "attendance", "interest",
    "next_step", "estimated_value_usd", "mou_signed", "mou_signed_on", "reviewed_at", "reviewed_by",
]  # fmt: skip


def _event_time(instant, event):
    """ISO 8601 in the event's time zone, with its UTC offset (2022-10-06T09:30:00+07:00)."""
    return instant.astimezone(zoneinfo.ZoneInfo(event.time_zone)).isoformat()


def _meeting_cells(meeting, event):
    """The cells that say which meeting a row is about: event, city, the two sides, when."""
    return {
        "event": event.name,
        "city": event.city.name_en,
        "company": meeting.sme.company.name_en,
        "buyer": meeting.buyer.buyer.name,
        "starts_at": _event_time(meeting.slot.starts_at, event),
    }


def outcome_rows(outcomes):
    """[column: value] dicts for each outcome, in one query."""
    outcomes = outcomes.select_related(
        "meeting__slot__event__city", "meeting__sme__company", "meeting__buyer__buyer", "reviewed_by"
    ).order_by("meeting__slot__starts_at", "pk")
    for outcome in outcomes:
        meeting = outcome.meeting
        event = meeting.slot.event
        yield _meeting_cells(meeting, event) | {
            "meeting_status": meeting.status,
            "side": outcome.side,
            "attendance": outcome.attendance,
            "interest": outcome.interest,
            "next_step": outcome.next_step,
            "estimated_value_usd": ""
            if outcome.estimated_value_usd is None
            else str(outcome.estimated_value_usd),
            "mou_signed": "yes" if outcome.mou_signed else "no",
            "mou_signed_on": outcome.mou_signed_on.isoformat() if outcome.mou_signed_on else "",
            "reviewed_at": outcome.reviewed_at.isoformat() if outcome.reviewed_at else "",
            "reviewed_by": outcome.reviewed_by.get_username() if outcome.reviewed_by else "",
        }


MOU_COLUMNS = [
    "title", "kind", "status", "event", "city", "company", "buyer", "parties", "signed_on",
    "meeting_starts_at", "reviewed_at", "reviewed_by",
]  # fmt: skip


def mou_rows(mous):
    """[column: value] dicts for each MOU, in one query."""
    mous = mous.select_related("event__city", "company", "buyer", "meeting__slot", "reviewed_by").order_by(
        "signed_on", "pk"
    )
    for mou in mous:
        yield {
            "title": mou.title,
            "kind": mou.kind,
            "status": mou.status,
            "event": mou.event.name,
            "city": mou.event.city.name_en,
            "company": mou.company.name_en if mou.company else "",
            "buyer": mou.buyer.name if mou.buyer else "",
            "parties": mou.parties,
            "signed_on": mou.signed_on.isoformat() if mou.signed_on else "",
            "meeting_starts_at": _event_time(mou.meeting.slot.starts_at, mou.event) if mou.meeting else "",
            "reviewed_at": mou.reviewed_at.isoformat() if mou.reviewed_at else "",
            "reviewed_by": mou.reviewed_by.get_username() if mou.reviewed_by else "",
        }


def csv_response(rows, columns, filename):
    """A UTF-8 CSV download (with a byte-order mark, so spreadsheet programs read Korean and Thai)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.DictWriter(response, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _spreadsheet_safe(value) for key, value in row.items()})
    return response


def xlsx_response(rows, columns, filename):
    """An Excel workbook download with one sheet: the column names in bold and frozen above the rows,
    amounts as numbers, everything else as text, so that no cell is ever run as a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(filename.rsplit(".", 1)[0][:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 14 if column in NUMBER_COLUMNS else 24
    sheet.append([_text_cell(sheet, column, bold=True) for column in columns])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, column, row[column]) for column in columns])
    content = io.BytesIO()
    workbook.save(content)
    response = HttpResponse(content.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _xlsx_cell(sheet, column, value):
    if value in ("", None):
        return None
    if column in NUMBER_COLUMNS:
        try:
            return Decimal(str(value))
        except InvalidOperation:
            pass
    return _text_cell(sheet, value)


def _text_cell(sheet, value, bold=False):
    """Text as text, even "=SUM(...)"; without the control characters a workbook cannot hold."""
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula (=, +, -, @ first, or a tab or carriage return before one,
    which some spreadsheets skip) is prefixed with a quote."""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


MEETING_COLUMNS = [
    "event", "city", "company", "buyer", "starts_at", "status", "outcome", "interest", "next_step",
    "estimated_value_usd", "mou_signed",
]  # fmt: skip


def meeting_rows(meetings):
    """One row per meeting with the staff's (official) outcome and whether an MOU was signed from it."""
    meetings = (
        meetings.select_related("slot__event__city", "sme__company", "buyer__buyer")
        .prefetch_related("outcomes", "mous")
        .order_by("slot__starts_at", "pk")
    )
    for meeting in meetings:
        event = meeting.slot.event
        official = next((o for o in meeting.outcomes.all() if o.side == "staff"), None)
        yield _meeting_cells(meeting, event) | {
            "status": meeting.status,
            "outcome": official.attendance if official else "",
            "interest": official.interest if official else "",
            "next_step": official.next_step if official else "",
            "estimated_value_usd": ""
            if official is None or official.estimated_value_usd is None
            else str(official.estimated_value_usd),
            "mou_signed": "yes" if any(m.status == "signed" for m in meeting.mous.all()) else "no",
        }
