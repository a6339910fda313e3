"""What came of the demo's meetings: staff records (outcome_record makes the MOUs), and follow-ups.

Follow-ups are planned and asked by the same services as the daily jobs (follow_ups_plan,
follow_ups_send), with "today" a month after the last roadshow, and answered by follow_up_answer.
"""

import datetime as dt
from decimal import Decimal

from matching.consultations.events.check_in import arrival_record
from matching.consultations.outcomes.models import FollowUp, Outcome
from matching.consultations.outcomes.services import (
    follow_up_answer,
    follow_ups_plan,
    follow_ups_send,
    months_later,
    outcome_record,
)
from matching.demo.data import load
from matching.demo.timeline import backdate_follow_ups

RECORDED = ("interest", "next_step", "mou_signed", "notes")


def record_outcomes(event, spec, staff, meetings):
    """The staff's record of every meeting that took place (held) or that one side missed (no-show)."""
    for row in spec["outcomes"]:
        meeting = meetings[row["sme"], row["buyer"]]
        values = {name: row[name] for name in RECORDED}
        value = row["estimated_value_usd"]
        values["estimated_value_usd"] = None if value is None else Decimal(value)
        values["mou_signed_on"] = (
            meeting.slot.starts_at.astimezone(event.zone).date() if row["mou_signed"] else None
        )
        outcome_record(
            meeting=meeting,
            side=Outcome.Side.STAFF,
            recorded_by=staff,
            attendance=Outcome.Attendance.HELD,
            **values,
        )
    _check_in(event, staff, [meetings[row["sme"], row["buyer"]] for row in spec["outcomes"]])
    for pair in spec["afterwards"]["no_show"]:
        outcome_record(
            meeting=meetings[tuple(pair)],
            side=Outcome.Side.STAFF,
            recorded_by=staff,
            attendance=Outcome.Attendance.NO_SHOW,
            interest=Outcome.Interest.NONE,
        )


# Participants are at the door a quarter of an hour before their first meeting of the day.
EARLY = dt.timedelta(minutes=15)


def _check_in(event, staff, held):
    """Both sides of every held meeting checked in at the door, through the check-in service, before
    their first meeting of each day."""
    first = {}
    for meeting in held:
        start = meeting.slot.starts_at
        for registration in (meeting.sme, meeting.buyer):
            key = (registration, start.astimezone(event.zone).date())
            first[key] = min(first.get(key, start), start)
    for (registration, _day), start in sorted(first.items(), key=lambda item: (item[1], item[0][0].pk)):
        arrival_record(event=event, value=registration.check_in_code, recorded_by=staff, now=start - EARLY)


def seed_follow_ups(events, people):
    """Plan the held meetings' follow-ups, ask the first ones and record the companies' answers.

    A company without a demo login answered the centre's staff, who recorded it.
    """
    answers = load("follow_ups.json")
    months = answers["answered_months"]
    follow_ups_plan()
    follow_ups_send(today=months_later(max(event.end_date for event in events), months))
    staff = {event.pk: people.staff[event.organising_centre.code] for event in events}
    asked = (
        FollowUp.objects.filter(meeting__slot__event__in=events, months=months)
        .select_related("meeting__sme__company", "meeting__slot")
        .prefetch_related("meeting__outcomes")
        .order_by("pk")
    )
    for follow_up in asked:
        staff_record = next(o for o in follow_up.meeting.outcomes.all() if o.side == Outcome.Side.STAFF)
        answer = answers["answers"][staff_record.next_step]
        follow_up_answer(
            follow_up=follow_up,
            progress=answer["progress"],
            notes=answer["notes"],
            answered_by=people.member(follow_up.meeting.sme.company)
            or staff[follow_up.meeting.slot.event_id],
        )
    backdate_follow_ups(events, months)
