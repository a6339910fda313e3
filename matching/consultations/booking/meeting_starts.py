"""Meetings started at their table: the staff there scan (or type) a participant's code, which records the
participant's arrival as at the door and marks the table's meeting of that participant, now, as started."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.consultations.booking.models import ACTIVE_MEETING, Meeting
from matching.consultations.events import check_in
from matching.consultations.events.models import Arrival, Registration

# A meeting may be started this long before its slot: the pair sits down a little early.
EARLY_START = dt.timedelta(minutes=10)


class Started:
    STARTED = "started"
    ALREADY = "already_started"
    WAITING = "waiting"  # the participant's meeting is here, but the other side has not arrived yet
    NOT_HERE = "not_here"  # the participant checked in, but has no meeting at this table now
    REFUSED = "refused"  # the code was refused: nothing recorded


@dataclass
class MeetingStartOutcome:
    status: str  # Started.*
    message: str
    registration: Registration | None = None
    arrival: Arrival | None = None
    meeting: Meeting | None = None


def _local_time(moment, event):
    return timezone.localtime(moment, event.zone).strftime("%H:%M")


def _where_else(registration, event, now):
    """A sentence on the participant's meeting that is running now or comes next today, wherever it is."""
    day_ends = dt.datetime.combine(
        check_in.local_day(event, now) + dt.timedelta(days=1), dt.time(), event.zone
    )
    meeting = (
        Meeting.objects.filter(ACTIVE_MEETING, Q(sme=registration) | Q(buyer=registration))
        .filter(slot__ends_at__gt=now, slot__starts_at__lt=day_ends)
        .select_related("slot", "table")
        .order_by("slot__starts_at")
        .first()
    )
    if meeting is None:
        return _("They have no other meeting today.")
    if meeting.table is None:
        return _("Their next meeting is online, at %(time)s.") % {
            "time": _local_time(meeting.slot.starts_at, event)
        }
    return _("Their next meeting is at table %(table)s, at %(time)s.") % {
        "table": meeting.table,
        "time": _local_time(meeting.slot.starts_at, event),
    }


@transaction.atomic
def meeting_start_at_table(*, event, table, value, recorded_by, now=None) -> MeetingStartOutcome:
    """Records the arrival of the participant whose code (typed, or the QR code's signed token) was given,
    as check_in.arrival_record does (and refuses what it refuses, recording nothing), then marks as started
    the participant's meeting at this table whose slot is running now or starts within EARLY_START (back
    to back at one table: the later one, as the earlier is ending), once both sides have arrived today. A
    side scanned while the other has not arrived is told the meeting waits for them: one side sitting at
    the table is not a meeting held (the consultation log would pre-mark it held).

    A participant with no such meeting is checked in all the same (they are at the venue) and told where
    their meeting is, if they have one today; no meeting is started. A meeting already started keeps its
    first start. Locks the registration (arrival_record), then the meeting, so that two scans at once (the
    same code twice, or both sides' codes) start it once. Side effects: an Arrival row, Meeting.started_at.
    """
    now = now or timezone.now()
    if table.event_id != event.pk:
        raise ValueError("The table is not one of the event's.")
    arrival = check_in.arrival_record(event=event, value=value, recorded_by=recorded_by, now=now)
    if arrival.status == check_in.Result.REFUSED:
        return MeetingStartOutcome(Started.REFUSED, arrival.message, arrival.registration)
    registration = arrival.registration
    said = [arrival.message] if arrival.recorded else []
    candidates = list(
        Meeting.objects.select_for_update(of=("self",))
        .filter(ACTIVE_MEETING, Q(sme=registration) | Q(buyer=registration), table=table)
        .filter(slot__starts_at__lte=now + EARLY_START, slot__ends_at__gt=now)
        .select_related("slot", "sme__company", "buyer__buyer")
        .order_by("slot__starts_at")
    )
    if not candidates:
        said.append(
            _("%(participant)s has no meeting at table %(table)s now: nothing was started.")
            % {"participant": registration, "table": table}
        )
        said.append(_where_else(registration, event, now))
        return MeetingStartOutcome(Started.NOT_HERE, " ".join(said), registration, arrival.arrival)
    # Back to back at one table: the later meeting (its slot starts within EARLY_START: the earlier ends).
    meeting = candidates[-1]
    names = {"sme": meeting.sme, "buyer": meeting.buyer, "table": table}
    if meeting.started_at is not None:
        said.append(
            _("The meeting of %(sme)s and %(buyer)s at table %(table)s already started at %(time)s.")
            % {**names, "time": _local_time(meeting.started_at, event)}
        )
        return MeetingStartOutcome(Started.ALREADY, " ".join(said), registration, arrival.arrival, meeting)
    other = meeting.buyer if meeting.sme_id == registration.pk else meeting.sme
    if not Arrival.objects.filter(registration=other, day=check_in.local_day(event, now)).exists():
        said.append(
            _("The meeting at table %(table)s starts when %(other)s checks in too.")
            % {"table": table, "other": other}
        )
        return MeetingStartOutcome(Started.WAITING, " ".join(said), registration, arrival.arrival, meeting)
    meeting.started_at = now
    meeting.save(update_fields=["started_at"])
    said.append(
        _("The meeting of %(sme)s and %(buyer)s at table %(table)s started at %(time)s.")
        % {**names, "time": _local_time(now, event)}
    )
    return MeetingStartOutcome(Started.STARTED, " ".join(said), registration, arrival.arrival, meeting)
