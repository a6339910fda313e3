"""The consultations app's models, for Django and the migrations: each lives in its subpackage.

Code imports a model from its subpackage (`matching.consultations.booking.models`), never from here, so
that the one-way layers (events <- booking <- outcomes <- reporting) hold.
"""

from matching.consultations.booking.models import (
    ACTIVE_MEETING,
    Meeting,
    MeetingChangeRequest,
    MeetingReminder,
    MeetingRequest,
    SchedulerRun,
    pair_errors,
)
from matching.consultations.events.models import (
    FIRST_EVENT_DAY,
    LAST_EVENT_DAY,
    Arrival,
    Event,
    Interpreter,
    ProgrammeParticipant,
    ProgrammeSession,
    Registration,
    ShortlistEntry,
    Table,
    TimeSlot,
    validate_event_day,
)
from matching.consultations.outcomes.models import FollowUp, Mou, Outcome, Reviewed

__all__ = [
    "ACTIVE_MEETING", "Arrival", "FIRST_EVENT_DAY", "LAST_EVENT_DAY", "Event", "FollowUp", "Interpreter",
    "Meeting",
    "MeetingChangeRequest", "MeetingReminder",
    "MeetingRequest", "Mou", "Outcome", "ProgrammeParticipant", "ProgrammeSession",
    "Registration", "Reviewed", "SchedulerRun",
    "ShortlistEntry", "Table", "TimeSlot",
    "pair_errors", "validate_event_day",
]  # fmt: skip
