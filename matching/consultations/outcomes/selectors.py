"""Reads of outcomes: a table's consultation log, with what the check-in says about each meeting."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.utils import timezone

from matching.consultations.booking.models import Meeting
from matching.consultations.events.models import Arrival

# A meeting whose buyer has not checked in this long after its start is flagged as a likely no-show.
LIKELY_NO_SHOW_AFTER = dt.timedelta(minutes=10)


@dataclass
class LogRow:
    meeting: Meeting
    starts: object  # local time in the event's zone
    outcome: object  # the staff's Outcome, or None
    form: object = None
    sme_arrived: object = None  # arrival time on the meeting's day, or None
    buyer_arrived: object = None

    @property
    def both_arrived(self):
        return self.sme_arrived is not None and self.buyer_arrived is not None

    @property
    def held_by_check_in(self):
        """Pre-marked held: both sides checked in, or the staff at its table started it (a scan there), and
        the staff have recorded nothing yet."""
        return self.outcome is None and (self.both_arrived or self.meeting.started_at is not None)

    def likely_no_show(self, now):
        """The buyer has not checked in 10 minutes after the start, the meeting was not started at its table,
        and the staff have recorded nothing."""
        return (
            self.outcome is None
            and self.meeting.started_at is None
            and self.buyer_arrived is None
            and now >= self.meeting.slot.starts_at + LIKELY_NO_SHOW_AFTER
        )


def table_log(event, table, day=None):
    """(days, day, rows): the table's meetings of one local day, each with the staff's outcome if any and
    both sides' arrivals that day (one more query, whatever the number of meetings)."""
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
    if rows:
        arrived = dict(
            Arrival.objects.filter(registration__event=event, day=day).values_list(
                "registration_id", "arrived_at"
            )
        )
        for row in rows:
            row.sme_arrived = arrived.get(row.meeting.sme_id)
            row.buyer_arrived = arrived.get(row.meeting.buyer_id)
    return days, day, rows


def now():
    return timezone.now()
