"""The live board of one event day: every table and slot, who has arrived, and what each meeting is doing
now (running, late, likely no-show, held) or whether its place is free to fill with a walk-in, computed on
each read from the arrivals and the staff's log.
Five queries (event's slots, tables, arrivals, meetings, outcomes) whatever the number of meetings."""

import datetime as dt
from dataclasses import dataclass, field

from matching.consultations.booking.models import Meeting
from matching.consultations.events.models import Arrival, Table
from matching.consultations.outcomes.selectors import LIKELY_NO_SHOW_AFTER


class State:
    UPCOMING = "upcoming"
    RUNNING = "running"  # both sides checked in, or the staff at its table started it (started_at)
    LATE = "late"  # started, a side has not checked in yet (less than 10 minutes)
    LIKELY_NO_SHOW = "likely_no_show"  # 10 minutes after the start, the buyer has not checked in
    HELD = "held"  # the staff recorded it held, or it is over and both sides checked in
    NO_SHOW = "no_show"  # the staff recorded it
    ENDED = "ended"  # over, not recorded, not both checked in
    FREE = "free"  # no live meeting at this table in this slot (never booked, or cancelled)


@dataclass
class Cell:
    meeting: Meeting | None  # None: a free place
    state: str
    sme_arrived: dt.datetime | None
    buyer_arrived: dt.datetime | None
    table: Table | None = None
    fillable: bool = False  # a free place in a slot not over yet: staff may fill it with a walk-in


@dataclass
class Board:
    day: dt.date | None
    days: list
    slots: list
    tables: list
    rows: list = field(default_factory=list)  # (slot, [Cell or None per table])
    arrived: dict = field(default_factory=dict)  # registration id: arrival time
    running_count: int = 0


def meeting_state(meeting, now, sme_arrived, buyer_arrived, staff_outcome):
    slot = meeting.slot
    if staff_outcome is not None and staff_outcome.attendance:
        return State.HELD if staff_outcome.attendance == "held" else State.NO_SHOW
    if meeting.started_at is not None and now >= meeting.started_at:
        # Started by a scan at its table: running from then on (even a little early), held once over.
        return State.RUNNING if now < slot.ends_at else State.HELD
    if now < slot.starts_at:
        return State.UPCOMING
    if buyer_arrived is None and now >= slot.starts_at + LIKELY_NO_SHOW_AFTER:
        return State.LIKELY_NO_SHOW
    if now < slot.ends_at:
        return State.RUNNING if sme_arrived and buyer_arrived else State.LATE
    return State.HELD if sme_arrived and buyer_arrived else State.ENDED


def _free(slot, table, now):
    return Cell(None, State.FREE, None, None, table=table, fillable=now < slot.ends_at)


def event_day_board(event, day, now):
    """The board of the event's local day (its first day with slots if `day` is not one of them)."""
    zone = event.zone
    all_slots = list(event.slots.order_by("starts_at"))
    days = sorted({slot.starts_at.astimezone(zone).date() for slot in all_slots})
    if day not in days:
        today = now.astimezone(zone).date()
        day = today if today in days else (days[0] if days else None)
    slots = [slot for slot in all_slots if slot.starts_at.astimezone(zone).date() == day]
    tables = list(event.tables.order_by("name"))
    board = Board(day=day, days=days, slots=slots, tables=tables)
    if not slots:
        return board
    meetings = (
        Meeting.objects.filter(slot__in=slots)
        .exclude(status=Meeting.Status.CANCELLED)
        .exclude(table=None)
        .select_related("slot", "table", "sme__company", "buyer__buyer", "interpreter")
        .prefetch_related("outcomes")
    )
    board.arrived = dict(
        Arrival.objects.filter(registration__event=event, day=day).values_list(
            "registration_id", "arrived_at"
        )
    )
    by_place = {}
    for meeting in meetings:
        staff = next((o for o in meeting.outcomes.all() if o.side == "staff"), None)
        sme_arrived, buyer_arrived = board.arrived.get(meeting.sme_id), board.arrived.get(meeting.buyer_id)
        state = meeting_state(meeting, now, sme_arrived, buyer_arrived, staff)
        by_place[meeting.slot_id, meeting.table_id] = Cell(meeting, state, sme_arrived, buyer_arrived)
        board.running_count += state == State.RUNNING
    board.rows = [
        (slot, [by_place.get((slot.pk, table.pk)) or _free(slot, table, now) for table in tables])
        for slot in slots
    ]
    return board
