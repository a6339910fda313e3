"""Meetings, outcomes and MOUs as rows for reviewers, downloaded as CSV or as an Excel workbook.

Both are in the requesting user's language (the request's active language, set by
portal.accounts.middleware): column headers are words, choices their labels ("Site visit", not
`site_visit`), people their names. Times are in the event's time zone, which the header says: the CSV
writes them in ISO 8601 with the offset (2022-10-06T09:30:00+07:00), the workbook as date-time cells
(Excel has no time zones, so the cell holds the event's wall-clock time). Dates are date cells and
amounts numbers in the workbook, ISO 8601 and plain decimals in the CSV.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils.functional import Promise, lazy
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from matching.consultations.booking.models import Meeting
from matching.consultations.outcomes.models import Mou, Outcome
from portal.common.people import person_name

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
XLSX_DATE_FORMAT = "yyyy-mm-dd"
XLSX_NUMBER_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class Column:
    """One column of an export: the key its rows use, and its header (translated when it is written)."""

    key: str
    header: Promise


def _label(model, field):
    """A model field's verbose name as a header ("next step" -> "Next step"), translated lazily."""
    return capfirst(model._meta.get_field(field).verbose_name)


def _event_time_header(what):
    """ "Starts (event's local time)", in the language active when the header is written."""
    return lazy(lambda: _("%(what)s (event's local time)") % {"what": what}, str)()


_MEETING_COLUMNS = [
    Column("event", _("Event")),
    Column("city", _("City")),
    Column("company", _("Korean company")),
    Column("buyer", _("Buyer")),
    Column("starts_at", _event_time_header(_("Starts"))),
]

# What the staff's record says came of a meeting: in the outcomes' export and the meetings'.
_RESULT_COLUMNS = [
    Column("interest", _label(Outcome, "interest")),
    Column("next_step", _label(Outcome, "next_step")),
    Column("estimated_value_usd", _label(Outcome, "estimated_value_usd")),
    Column("mou_signed", _label(Outcome, "mou_signed")),
]

OUTCOME_COLUMNS = [
    *_MEETING_COLUMNS,
    Column("meeting_status", _("Meeting status")),
    Column("side", _label(Outcome, "side")),
    Column("attendance", _label(Outcome, "attendance")),
    *_RESULT_COLUMNS,
    Column("mou_signed_on", _label(Outcome, "mou_signed_on")),
    Column("reviewed_at", _event_time_header(_label(Outcome, "reviewed_at"))),
    Column("reviewed_by", _label(Outcome, "reviewed_by")),
]

MOU_COLUMNS = [
    Column("title", _label(Mou, "title")),
    Column("kind", _label(Mou, "kind")),
    Column("status", _label(Mou, "status")),
    Column("event", _label(Mou, "event")),
    Column("city", _("City")),
    Column("company", _label(Mou, "company")),
    Column("buyer", _label(Mou, "buyer")),
    Column("parties", _label(Mou, "parties")),
    Column("signed_on", _label(Mou, "signed_on")),
    Column("meeting_starts_at", _event_time_header(_("Meeting starts"))),
    Column("reviewed_at", _event_time_header(_label(Mou, "reviewed_at"))),
    Column("reviewed_by", _label(Mou, "reviewed_by")),
]

MEETING_COLUMNS = [
    *_MEETING_COLUMNS,
    Column("status", _label(Meeting, "status")),
    Column("outcome", _label(Outcome, "attendance")),
    *_RESULT_COLUMNS,
]


def _event_time(instant, event):
    """The instant in the event's time zone (aware), or None."""
    return instant.astimezone(event.zone) if instant else None


def _yes_no(value):
    return gettext("Yes") if value else gettext("No")


def _meeting_cells(meeting, event):
    """The cells that say which meeting a row is about: event, city, the two sides, when."""
    return {
        "event": event.name,
        "city": str(event.city),
        "company": str(meeting.sme.company),
        "buyer": meeting.buyer.buyer.name,
        "starts_at": _event_time(meeting.slot.starts_at, event),
    }


def outcome_rows(outcomes):
    """[column key: value] dicts for each outcome, in one query."""
    outcomes = outcomes.select_related(
        "meeting__slot__event__city", "meeting__sme__company", "meeting__buyer__buyer", "reviewed_by"
    ).order_by("meeting__slot__starts_at", "pk")
    for outcome in outcomes:
        meeting = outcome.meeting
        event = meeting.slot.event
        yield _meeting_cells(meeting, event) | {
            "meeting_status": meeting.get_status_display(),
            "side": outcome.get_side_display(),
            "attendance": outcome.get_attendance_display(),
            "interest": outcome.get_interest_display(),
            "next_step": outcome.get_next_step_display(),
            "estimated_value_usd": outcome.estimated_value_usd,
            "mou_signed": _yes_no(outcome.mou_signed),
            "mou_signed_on": outcome.mou_signed_on,
            "reviewed_at": _event_time(outcome.reviewed_at, event),
            "reviewed_by": person_name(outcome.reviewed_by),
        }


def mou_rows(mous):
    """[column key: value] dicts for each MOU, in one query."""
    mous = mous.select_related("event__city", "company", "buyer", "meeting__slot", "reviewed_by").order_by(
        "signed_on", "pk"
    )
    for mou in mous:
        yield {
            "title": mou.title,
            "kind": mou.get_kind_display(),
            "status": mou.get_status_display(),
            "event": mou.event.name,
            "city": str(mou.event.city),
            "company": str(mou.company) if mou.company else "",
            "buyer": mou.buyer.name if mou.buyer else "",
            "parties": mou.parties,
            "signed_on": mou.signed_on,
            "meeting_starts_at": _event_time(mou.meeting.slot.starts_at, mou.event) if mou.meeting else None,
            "reviewed_at": _event_time(mou.reviewed_at, mou.event),
            "reviewed_by": person_name(mou.reviewed_by),
        }


def meeting_rows(meetings):
    """One row per meeting with the staff's (official) outcome and whether an MOU was signed from it."""
    meetings = (
        meetings.select_related("slot__event__city", "sme__company", "buyer__buyer")
        .prefetch_related("outcomes", "mous")
        .order_by("slot__starts_at", "pk")
    )
    for meeting in meetings:
        event = meeting.slot.event
        official = next((o for o in meeting.outcomes.all() if o.side == Outcome.Side.STAFF), None)
        yield _meeting_cells(meeting, event) | {
            "status": meeting.get_status_display(),
            "outcome": official.get_attendance_display() if official else "",
            "interest": official.get_interest_display() if official else "",
            "next_step": official.get_next_step_display() if official else "",
            "estimated_value_usd": official.estimated_value_usd if official else None,
            "mou_signed": _yes_no(any(m.status == Mou.Status.SIGNED for m in meeting.mous.all())),
        }


# ------------------------------------------------------------------ CSV


def csv_response(rows, columns, filename):
    """A UTF-8 CSV download (with a byte-order mark, so spreadsheet programs read Korean and Thai)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_spreadsheet_safe(str(column.header)) for column in columns])
    for row in rows:
        writer.writerow([_csv_text(row[column.key]) for column in columns])
    return response


def _csv_text(value):
    """ISO 8601 for times (with the offset) and dates, plain decimals for amounts, text made safe."""
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (Decimal, int, float)):
        return str(value)
    return _spreadsheet_safe(str(value))


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


# ------------------------------------------------------------------ XLSX


def xlsx_response(rows, columns, filename):
    """An Excel workbook download with one sheet: the headers in bold and frozen above the rows; times
    and dates as date cells, amounts as numbers, everything else as text, so no cell is run as a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(filename.rsplit(".", 1)[0][:31])
    sheet.freeze_panes = "A2"
    rows = list(rows)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(column, rows)
    sheet.append([_text_cell(sheet, column.header, bold=True) for column in columns])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, row[column.key]) for column in columns])
    content = io.BytesIO()
    workbook.save(content)
    response = HttpResponse(content.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _width(column, rows):
    """Wide enough for the header (up to 40 characters); text columns at least 24."""
    values = [row[column.key] for row in rows if row[column.key] not in (None, "")]
    typed = values and all(isinstance(value, (dt.date, Decimal, int, float)) for value in values)
    return min(max(len(str(column.header)) + 2, 16 if typed else 24), 40)


def _xlsx_cell(sheet, value):
    if value in ("", None):
        return None
    if isinstance(value, dt.datetime):
        # openpyxl refuses aware times; the wall-clock time in the event's zone, as the header says.
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = XLSX_DATETIME_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATE_FORMAT
        return cell
    if isinstance(value, (Decimal, int, float)):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_NUMBER_FORMAT
        return cell
    return _text_cell(sheet, value)


def _text_cell(sheet, value, bold=False):
    """Text as text, even "=SUM(...)"; without the control characters a workbook cannot hold."""
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell
