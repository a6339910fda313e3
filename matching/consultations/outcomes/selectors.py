"""Reads of outcomes: a table's consultation log."""

import zoneinfo
from dataclasses import dataclass

from matching.consultations.booking.models import Meeting


@dataclass
class LogRow:
    meeting: Meeting
    starts: object  # local time in the event's zone
    outcome: object  # the staff's Outcome, or None
    form: object = None


def table_log(event, table, day=None):
    """(days, day, rows): the table's meetings of one local day, each with the staff's outcome if any."""
    zone = zoneinfo.ZoneInfo(event.time_zone)
    days = sorted({slot.starts_at.astimezone(zone).date() for slot in event.slots.all()})
    if day not in days:
        day = days[0] if days else None
    if table is None:
        return days, day, []
    meetings = (
        Meeting.objects.filter(table=table)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("slot", "sme__company", "buyer__buyer", "interpreter")
        .prefetch_related("outcomes")
        .order_by("slot__starts_at")
    )
    rows = []
    for meeting in meetings:
        starts = meeting.slot.starts_at.astimezone(zone)
        if starts.date() != day:
            continue
        outcome = next((o for o in meeting.outcomes.all() if o.side == "staff"), None)
        rows.append(LogRow(meeting, starts, outcome))
    return days, day, rows
