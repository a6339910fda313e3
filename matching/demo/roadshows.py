"""The demo's roadshows: each set up, registered, requested, scheduled and run through the services.

An event is seeded whole or not at all: once it exists (found by its slug) it is left as it is, so a
second run writes nothing and staff's changes to a demo event stay. Meetings are placed by the portal's
own scheduler (scheduler_runs.schedule_event), as staff would place them, then moved online, locked or
cancelled the way the data file says. Its programme (seminar, IR pitches, key-buyer and bilateral
meetings) is entered before the scheduler runs, so no one is booked during a session they take part in.
"""

import datetime as dt
import zoneinfo

from matching.consultations.booking.models import Meeting, MeetingChangeRequest, MeetingRequest
from matching.consultations.booking.scheduler_runs import schedule_event
from matching.consultations.booking.services import (
    meeting_cancel,
    meeting_change,
    meeting_request_answer,
    meeting_request_create,
    meetings_lock,
)
from matching.consultations.events.forms import (
    EventForm,
    InterpreterForm,
    ProgrammeSessionForm,
    RegistrationForm,
)
from matching.consultations.events.models import Event
from matching.consultations.events.programme import programme_session_create
from matching.consultations.events.services import (
    event_create,
    event_reopen,
    event_reopening_end,
    registration_save,
)
from matching.demo.organisations import valid
from matching.demo.outcomes import record_outcomes
from matching.demo.timeline import backdate_event

# Enough for the solver to prove its schedule optimal on these small days; it stops as soon as it has.
SCHEDULER_SECONDS = 30
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


def _event_create(spec, vocab):
    (morning_starts, morning_ends), (afternoon_starts, afternoon_ends) = (
        spec["sessions"]["morning"],
        spec["sessions"]["afternoon"],
    )
    data = {
        "name": spec["name"],
        "slug": spec["slug"],
        "city": vocab.cities[spec["city"]].pk,
        "venue": spec["venue"],
        "start_date": spec["start_date"],
        "end_date": spec["end_date"],
        "time_zone": spec["time_zone"],
        "slot_minutes": spec["slot_minutes"],
        "online_meetings_allowed": spec["online_meetings_allowed"],
        "request_deadline": "",
        "description": spec["description"],
        "morning_starts": morning_starts,
        "morning_ends": morning_ends,
        "afternoon_starts": afternoon_starts,
        "afternoon_ends": afternoon_ends,
        "break_minutes": 0,
        "table_count": spec["tables"],
        "form_token": "",
    }
    centre = vocab.centres[spec["organising_centre"]]
    form = valid(EventForm(data=data, centre=centre))
    event, _ = event_create(
        form=form,
        organising_centre=centre,
        sessions=form.sessions(),
        break_minutes=form.cleaned_data["break_minutes"],
        table_count=form.cleaned_data["table_count"],
    )
    return event


def _interpreters(event, spec, vocab):
    """Interpreters are saved by their form, as the event's interpreter page does (no service)."""
    for row in spec["interpreters"]:
        data = {"name": row["name"], "email": row["email"]}
        data["languages"] = [vocab.languages[code].pk for code in row["languages"]]
        valid(InterpreterForm(data=data, event=event)).save()


def _registrations(event, spec, vocab, people, staff):
    """{("sme", company key) or ("buyer", buyer name): Registration}, registered by the centre's staff."""
    zone = zoneinfo.ZoneInfo(event.time_zone)
    slots = {slot.starts_at.astimezone(zone).strftime(LOCAL_MINUTE): slot.pk for slot in event.slots.all()}
    registrations = {}
    sides = [
        ("sme", row["company"], "company", people.companies[row["company"]], row) for row in spec["smes"]
    ]
    sides += [("buyer", row["buyer"], "buyer", people.buyers[row["buyer"]], row) for row in spec["buyers"]]
    for side, name, field, organisation, row in sides:
        data = {
            field: organisation.pk,
            "languages": [vocab.languages[code].pk for code in row["languages"]],
            "needs_interpreter": row.get("needs_interpreter", False),
            "max_meetings": row["max_meetings"],
            "unavailable_slots": [slots[minute] for minute in row["unavailable"]],
        }
        form = valid(RegistrationForm(data=data, event=event, registered_by=staff))
        registrations[side, name] = registration_save(form=form, event=event)
    return registrations


def _programme(event, spec, vocab, registrations):
    """The morning seminar, IR pitches, key-buyer and bilateral meetings, through the staff page's form
    and service, before the scheduler runs: it keeps the 1:1 meetings of those taking part out of them."""
    for row in spec["programme"]:
        data = {
            "kind": row["kind"],
            "title": row["title"],
            "day": row["day"],
            "starts": row["starts"],
            "ends": row["ends"],
            "room": row["room"],
            "speakers": row["speakers"],
            "languages": [vocab.languages[code].pk for code in row["languages"]],
            "speaking": [registrations[tuple(side)].pk for side in row["speaking"]],
            "attending": [registrations[tuple(side)].pk for side in row["attending"]],
            "open_to_all": row["open_to_all"],
            "description": row["description"],
        }
        form = valid(ProgrammeSessionForm(data=data, event=event))
        programme_session_create(event=event, data=form.session_data())


def _requests(event, spec, people, staff, registrations):
    """Ask and answer every request: a side's demo login acts for it, the centre's staff for the others.

    Returns how many were accepted. meeting_request_create counts a request as the company's only when
    one of its members asks; staff asking for a company is put right afterwards (no keyword says so).
    """
    accepted, asked_for_company = 0, []
    for row in spec["requests"]:
        company, buyer = people.companies[row["sme"]], people.buyers[row["buyer"]]
        by_sme = row["asked_by"] == "sme"
        asker, asked = (company, buyer) if by_sme else (buyer, company)
        request = meeting_request_create(
            event=event,
            sme=registrations["sme", row["sme"]],
            buyer=registrations["buyer", row["buyer"]],
            requested_by=people.member(asker) or staff,
            priority=row["priority"],
            session_preference=row["session"],
            message=row["message"],
        )
        if by_sme and not request.requested_by_sme:
            asked_for_company.append(request.pk)
        if row["answer"] != MeetingRequest.Status.PENDING:
            accept = row["answer"] == MeetingRequest.Status.ACCEPTED
            meeting_request_answer(request=request, accept=accept, answered_by=people.member(asked) or staff)
            accepted += accept
    MeetingRequest.objects.filter(pk__in=asked_for_company).update(requested_by_sme=True)
    return accepted


def _schedule(event, staff, accepted):
    run = schedule_event(event=event, time_limit_seconds=SCHEDULER_SECONDS, started_by=staff)
    if run.placed != accepted:
        raise ValueError(
            f"Demo data: the scheduler placed {run.placed} of the {accepted} accepted requests of "
            f"{event.slug} ({run.status}): {run.unplaced}"
        )


def _afterwards(event, spec, staff, meetings, people):
    """Meetings moved online, then all locked (confirmed with both sides), then the cancelled ones: their
    buyer had asked KOTRA to cancel them, and the cancellation approves that request."""
    for number, pair in enumerate(spec["afterwards"]["online"], start=1):
        link = f"https://meet.k-smartcity.example/{event.slug}/{number:03d}"
        meetings[tuple(pair)] = meeting_change(
            meeting=meetings[tuple(pair)], changed_by=staff, mode=Meeting.Mode.ONLINE, online_link=link
        )
    meetings_lock(event=event, locked=True)
    for sme, buyer in spec["afterwards"]["cancelled"]:
        meeting = meetings[sme, buyer]
        _cancellation_asked(
            meeting, people.member(people.buyers[buyer]), people.member(people.companies[sme])
        )
        meeting_cancel(meeting=meeting, cancelled_by=staff)


def _cancellation_asked(meeting, buyer_member, company_member):
    """The side with a demo login (the buyer first) had asked KOTRA to cancel. Entered after the fact: the
    service refuses a meeting that has started (these are of 2022), so the row is written as it stood
    then, waiting for KOTRA. Without a login on either side nobody asked."""
    if buyer_member is not None:
        member, side = buyer_member, MeetingChangeRequest.Side.BUYER
    elif company_member is not None:
        member, side = company_member, MeetingChangeRequest.Side.SME
    else:
        return
    MeetingChangeRequest.objects.create(
        meeting=meeting,
        kind=MeetingChangeRequest.Kind.CANCEL,
        reason=MeetingChangeRequest.Reason.CLASH,
        asked_by=member,
        asking_side=side,
    )


def seed_event(spec, vocab, people):
    """The event of `spec`, seeded whole if it is missing. Returns (event, created)."""
    event = Event.objects.filter(slug=spec["slug"]).first()
    if event is not None:
        return event, False
    staff = people.staff[spec["organising_centre"]]
    # A roadshow that is over, entered after the fact: reopened for that, as staff would, then closed.
    # Until tomorrow, so that a seed run crossing midnight where the event took place still gets to write.
    event = _event_create(spec, vocab)
    tomorrow = event.local_today() + dt.timedelta(days=1)
    event = event_reopen(event=event, until=tomorrow, reopened_by=staff)
    _interpreters(event, spec, vocab)
    registrations = _registrations(event, spec, vocab, people, staff)
    _programme(event, spec, vocab, registrations)
    accepted = _requests(event, spec, people, staff, registrations)
    _schedule(event, staff, accepted)
    names = {registration.pk: name for (_, name), registration in registrations.items()}
    meetings = {
        (names[meeting.sme_id], names[meeting.buyer_id]): meeting
        for meeting in Meeting.objects.filter(slot__event=event).select_related("slot__event", "sme", "buyer")
    }
    _afterwards(event, spec, staff, meetings, people)
    record_outcomes(event, spec, staff, meetings)
    backdate_event(event)
    return event_reopening_end(event=event), True
