"""Put the demo's records back on the 2022 roadshows' timeline.

The services stamp what they write with the clock (registered, requested, answered, booked, recorded,
asked). The demo describes roadshows of 2022, so after seeding an event those stamps are moved to the
weeks around it, in a few UPDATEs. No service backdates a record, and none should.
"""

import datetime as dt

from matching.consultations.booking.models import Meeting, MeetingChangeRequest, MeetingRequest, SchedulerRun
from matching.consultations.events.models import Registration
from matching.consultations.outcomes.models import FollowUp, Mou, Outcome

UTC = dt.UTC
DEMO_STAMP = "Demo data: as it happened at the roadshow"


def _before(event, days, hour):
    """`days` before the event's first day, at `hour` UTC."""
    return dt.datetime.combine(event.start_date - dt.timedelta(days=days), dt.time(hour), tzinfo=UTC)


def backdate_event(event):
    """Registered a month before, requested three weeks and answered two weeks before, scheduled five days
    before, cancellations asked three days and approved two days before; outcomes, MOUs and their history
    recorded at the end of the last day."""
    Registration.objects.filter(event=event).update(created_at=_before(event, 30, 1))
    requests = MeetingRequest.objects.filter(event=event)
    requests.update(created_at=_before(event, 21, 3))
    requests.filter(answered_at__isnull=False).update(answered_at=_before(event, 14, 3))
    scheduled = _before(event, 5, 3)
    Meeting.objects.filter(slot__event=event).update(created_at=scheduled)
    MeetingChangeRequest.objects.filter(meeting__slot__event=event).update(
        created_at=_before(event, 3, 3), answered_at=_before(event, 2, 3)
    )
    SchedulerRun.objects.filter(event=event).update(started_at=scheduled, finished_at=scheduled)
    recorded = dt.datetime.combine(event.end_date, dt.time(18, 0), tzinfo=event.zone)
    outcomes = Outcome.objects.filter(meeting__slot__event=event)
    outcomes.update(recorded_at=recorded)
    Outcome.history.filter(id__in=outcomes.values("pk")).update(
        history_date=recorded, history_change_reason=DEMO_STAMP
    )
    Mou.history.filter(event_id=event.pk).update(history_date=recorded, history_change_reason=DEMO_STAMP)


def backdate_follow_ups(events, months):
    """Follow-ups asked `months` after their meeting's day, at 09:00 there, and answered two days later."""
    for event in events:
        asked = FollowUp.objects.filter(meeting__slot__event=event, months=months, sent_at__isnull=False)
        for due_on in set(asked.values_list("due_on", flat=True)):
            sent = dt.datetime.combine(due_on, dt.time(9, 0), tzinfo=event.zone)
            on_day = asked.filter(due_on=due_on)
            FollowUp.history.filter(id__in=on_day.values("pk")).update(
                history_date=sent + dt.timedelta(days=2), history_change_reason=DEMO_STAMP
            )
            on_day.update(sent_at=sent, answered_at=sent + dt.timedelta(days=2))
