"""The auto-scheduler on an event: the database in, matching.scheduling's pure solver, the database out.

Participants are the event's confirmed registrations; meetings to place are the accepted requests
not booked yet plus the booked meetings that are not locked (re-optimised); locked meetings stay
in their slot and at their table. Runs are recorded as SchedulerRun rows with their progress.
"""

import logging
import threading
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching import scheduling as core
from matching.companies.models import Company
from matching.consultations.booking import tasks
from matching.consultations.booking.models import Meeting, MeetingRequest, SchedulerRun
from matching.consultations.events import programme_selectors
from matching.consultations.events.models import Interpreter, Registration
from matching.consultations.events.services import event_refuse_if_read_only
from matching.demands.models import BuyerOrganisation
from portal.common.enqueue import after_commit

logger = logging.getLogger(__name__)

REASONS = {
    "no_slot": _("no slot of the requested session"),
    "no_table": _("no table in the allowed slots"),
    "unavailable": _("one of them is unavailable in every allowed slot"),
    "never_free_together": _("they are never available in the same slot"),
    "busy": _("no slot left where both are free"),
    "tables_full": _("every table is taken in the slots where both are free"),
    "time_limit": _("the time limit ran out before it was placed"),
    "max_meetings": _("one of them already has their maximum number of meetings"),
    "no_interpreter": _("no interpreter for their language is free in the slots where both are free"),
    "taken_meanwhile": _("its place was taken while the run was going"),
}


def needed_language(sme_languages, buyer_languages, sme_needs, buyer_needs):
    """The language an interpreter must translate to and from Korean for this pair, or None.

    A pair sharing a language needs no interpreter unless a side asked for one. The buyer's own
    language is interpreted, a local one before English; with nothing known there is nothing to plan.
    """
    if sme_languages & buyer_languages and not (sme_needs or buyer_needs):
        return None
    candidates = sorted(buyer_languages - {"ko"}, key=lambda code: (code == "en", code))
    return candidates[0] if candidates else None


def _languages(registrations):
    """{registration id: language codes}: the registration's own, else its organisation's."""
    own, organisation = {}, {}
    through = Registration.languages.through.objects.filter(registration__in=registrations)
    for registration_id, code in through.values_list("registration_id", "language__code"):
        own.setdefault(registration_id, set()).add(code)
    companies = {r.company_id: r.pk for r in registrations if r.company_id}
    buyers = {r.buyer_id: r.pk for r in registrations if r.buyer_id}
    company_languages = Company.support_languages.through.objects.filter(company__in=companies)
    for company_id, code in company_languages.values_list("company_id", "language__code"):
        organisation.setdefault(companies[company_id], set()).add(code)
    buyer_languages = BuyerOrganisation.languages.through.objects.filter(buyerorganisation__in=buyers)
    for buyer_id, code in buyer_languages.values_list("buyerorganisation_id", "language__code"):
        organisation.setdefault(buyers[buyer_id], set()).add(code)
    return {r.pk: frozenset(own.get(r.pk) or organisation.get(r.pk) or ()) for r in registrations}


def _interpreters(event):
    """The event's interpreters for the solver (their languages and unavailable slots), by id."""
    interpreters = list(event.interpreters.prefetch_related("languages"))
    unavailable = {}
    through = Interpreter.unavailable_slots.through.objects.filter(interpreter__in=interpreters)
    for interpreter_id, slot_id in through.values_list("interpreter_id", "timeslot_id"):
        unavailable.setdefault(interpreter_id, set()).add(slot_id)
    return {
        interpreter.pk: core.Interpreter(
            interpreter.pk,
            frozenset(language.code for language in interpreter.languages.all()),
            frozenset(unavailable.get(interpreter.pk, ())),
            interpreter.name,
        )
        for interpreter in interpreters
        if interpreter.languages.all()
    }


@dataclass(frozen=True)
class Snapshot:
    """What a run read from the database before solving, to write its result back against.

    `things` holds the Meeting and MeetingRequest rows as they were read, keyed by the solver's
    meeting ids ("m<pk>", "r<pk>"); `registrations` the confirmed registrations' (status, maximum).
    """

    event: object
    problem: core.Problem
    tables: dict  # table number -> Table
    things: dict
    over_limit: list  # keys of accepted requests over a participant's maximum, not given to the solver
    registrations: dict  # registration id -> (status, max_meetings)


def build_problem(event) -> Snapshot:
    """The event's scheduling problem and what was read to make it.

    Accepted requests beyond a participant's maximum number of meetings (counting the meetings they
    have) are not given to the solver; they are reported as left out. A participant is unavailable in
    their own unavailable slots and in those overlapping a programme session they speak in or must
    attend (but where they have a meeting staff keep).
    """
    slots = list(event.slots.order_by("starts_at"))
    tables = list(event.tables.order_by("name"))
    table_number = {table.pk: number for number, table in enumerate(tables, start=1)}
    registrations = list(Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED))
    unavailable = {}
    for through in Registration.unavailable_slots.through.objects.filter(registration__in=registrations):
        unavailable.setdefault(through.registration_id, set()).add(through.timeslot_id)
    confirmed = {r.pk for r in registrations}
    interpreters = _interpreters(event)
    # Without interpreters on the event, the organisers do not plan them here: no meeting waits for one.
    languages = _languages(registrations) if interpreters else {}
    needs = {r.pk: r.needs_interpreter for r in registrations}

    def language_for(sme_id, buyer_id):
        if not interpreters:
            return None
        return needed_language(languages[sme_id], languages[buyer_id], needs[sme_id], needs[buyer_id])

    meetings, things = [], {}
    booked = Meeting.objects.filter(slot__event=event).exclude(status=Meeting.Status.CANCELLED)
    for meeting in booked.select_related("request", "interpreter"):
        if meeting.sme_id not in confirmed or meeting.buyer_id not in confirmed:
            continue
        key = f"m{meeting.pk}"
        keep = meeting.locked or meeting.status != Meeting.Status.SCHEDULED
        language, locked_interpreter = _interpreting(meeting, keep, language_for, interpreters)
        online = meeting.mode == Meeting.Mode.ONLINE
        meetings.append(
            core.Meeting(
                key,
                meeting.sme_id,
                meeting.buyer_id,
                priority="must",
                locked_slot=meeting.slot_id if keep else None,
                locked_table=table_number.get(meeting.table_id) if keep and not online else None,
                interpreter_language=language,
                online=online,
                locked_interpreter=locked_interpreter,
            )
        )
        things[key] = meeting
    waiting = MeetingRequest.objects.filter(event=event, status=MeetingRequest.Status.ACCEPTED, meeting=None)
    waiting = waiting.filter(sme__in=confirmed, buyer__in=confirmed)
    room = _room_left(registrations, meetings)
    over_limit = []
    # "Must meet" first, then the oldest: the requests a participant's maximum leaves out are the last ones.
    for request in sorted(waiting, key=lambda r: (r.priority != MeetingRequest.Priority.MUST_MEET, r.pk)):
        key = f"r{request.pk}"
        things[key] = request
        if room[request.sme_id] <= 0 or room[request.buyer_id] <= 0:
            over_limit.append(key)
            continue
        room[request.sme_id] -= 1
        room[request.buyer_id] -= 1
        priority = "must" if request.priority == MeetingRequest.Priority.MUST_MEET else "would"
        session = request.session_preference or "any"
        meetings.append(
            core.Meeting(
                key,
                request.sme_id,
                request.buyer_id,
                session=session,
                priority=priority,
                interpreter_language=language_for(request.sme_id, request.buyer_id),
            )
        )
    # A participant is away from 1:1 meetings during the programme sessions they speak in or must attend;
    # a meeting staff keep (locked, or held) stays where it is even so, rather than make the run fail.
    kept = {(m.locked_slot, who) for m in meetings if m.locked_slot is not None for who in (m.a, m.b)}
    for registration_id, busy in programme_selectors.busy_slots(event, slots).items():
        unavailable.setdefault(registration_id, set()).update(
            slot_id for slot_id in busy if (slot_id, registration_id) not in kept
        )
    participants = [core.Participant(r.pk, frozenset(unavailable.get(r.pk, ()))) for r in registrations]
    problem = core.Problem(
        slots=tuple(core.Slot(slot.pk, slot.session) for slot in slots),
        tables=len(tables),
        participants=tuple(participants),
        meetings=tuple(meetings),
        interpreters=tuple(interpreters.values()),
    )
    return Snapshot(
        event=event,
        problem=problem,
        tables=dict(enumerate(tables, start=1)),
        things=things,
        over_limit=over_limit,
        registrations={r.pk: (r.status, r.max_meetings) for r in registrations},
    )


def _interpreting(meeting, keep, language_for, interpreters):
    """(language the booked meeting needs interpreted or None, interpreter it keeps or None).

    A kept meeting stays as staff booked it: with its interpreter, or without one. A meeting the
    solver may move needs an interpreter when its pair does, or when staff gave it one.
    """
    interpreter = interpreters.get(meeting.interpreter_id)
    language = language_for(meeting.sme_id, meeting.buyer_id)
    if interpreter is None:
        return (None, None) if keep else (language, None)
    if language not in interpreter.languages:
        language = min(interpreter.languages - {"ko"}, default=min(interpreter.languages))
    return language, (interpreter.id if keep else None)


def _room_left(registrations, meetings):
    """How many more meetings each registration may take, after the meetings already in `meetings`."""
    room = {r.pk: r.max_meetings for r in registrations}
    for meeting in meetings:
        room[meeting.a] -= 1
        room[meeting.b] -= 1
    return room


CHANGED_DURING_RUN = _("changed while the run was going; kept as staff left it")
PLACE_TAKEN_DURING_RUN = _("its new place was taken while the run was going; left where it was")


@dataclass
class WriteBack:
    """What a run's write-back did: meetings kept as they were (with why) and requests it could not book."""

    kept: list = field(default_factory=list)  # [(Meeting or MeetingRequest, reason)]
    not_booked: list = field(default_factory=list)  # keys of placed requests whose place was taken
    placed: int = 0


_COMPARED = ("status", "sequence", "locked", "slot_id", "table_id", "interpreter_id", "mode")


def _unchanged(read, now):
    return now is not None and all(getattr(read, name) == getattr(now, name) for name in _COMPARED)


class _Occupancy:
    """Who and what is taken in each slot, and each registration's count of meetings (the constraints'
    view of the event, so the write-back never trips one)."""

    def __init__(self):
        self.taken = set()  # (slot, "sme"|"buyer"|"table"|"interpreter", id)
        self.pairs = set()
        self.count = {}

    @staticmethod
    def _keys(place):
        slot, sme, buyer, table, interpreter = place
        keys = {(slot, "sme", sme), (slot, "buyer", buyer)}
        if table is not None:
            keys.add((slot, "table", table))
        if interpreter is not None:
            keys.add((slot, "interpreter", interpreter))
        return keys

    def fits(self, place):
        """Whether a meeting at `place` (slot, sme, buyer, table, interpreter) clashes with nothing."""
        return place[1:3] not in self.pairs and not self.taken & self._keys(place)

    def add(self, place):
        _, sme, buyer, _, _ = place
        self.taken |= self._keys(place)
        self.pairs.add((sme, buyer))
        self.count[sme] = self.count.get(sme, 0) + 1
        self.count[buyer] = self.count.get(buyer, 0) + 1


@transaction.atomic
def apply_result(result, snapshot: Snapshot) -> WriteBack:
    """Write a solver result back, keeping whatever staff changed while the solver ran.

    Locks the event's registrations, then its meetings, then the requests to book (the order every
    writer uses), and compares each row with the snapshot the run solved: a meeting whose status,
    revision, lock or place changed, or whose registrations changed, is kept as it is now (a cancelled
    meeting stays cancelled, a lock is never moved); a request that was answered, booked or withdrawn
    meanwhile is not booked. Placements that would now clash with a meeting booked during the run are
    not applied (a moving meeting stays where it was). Moving meetings are first set aside (cancelled)
    so that no unique constraint trips while they swap places. Side effects: after commit, e-mails with
    the .ics for every meeting really booked, moved or dropped.
    """
    event, things = snapshot.event, snapshot.things
    registrations = {
        r.pk: r
        for r in Registration.objects.select_for_update(no_key=True).filter(event=event).order_by("pk")
    }
    meetings_now = Meeting.objects.filter(slot__event=event).select_for_update(of=("self",)).order_by("pk")
    meetings_now = {meeting.pk: meeting for meeting in meetings_now}
    request_keys = [key for key in things if key.startswith("r")]
    requests_now = MeetingRequest.objects.filter(pk__in=[things[key].pk for key in request_keys])
    requests_now = {r.pk: r for r in requests_now.select_for_update(no_key=True).order_by("pk")}
    with_meeting = set(
        Meeting.objects.filter(request__in=list(requests_now)).values_list("request_id", flat=True)
    )
    changed_registrations = {
        pk
        for pk, read in snapshot.registrations.items()
        if pk not in registrations or (registrations[pk].status, registrations[pk].max_meetings) != read
    }

    def registrations_unchanged(thing):
        return thing.sme_id not in changed_registrations and thing.buyer_id not in changed_registrations

    outcome = WriteBack()
    placements = {p.meeting_id: p for p in result.placements}
    applied = set()  # keys of the placements in effect after the write-back
    movable = {}  # key -> meeting as it is now, for unchanged meetings the run may move or drop
    for key, read in things.items():
        if not key.startswith("m"):
            continue
        now = meetings_now.get(read.pk)
        if not (_unchanged(read, now) and registrations_unchanged(read)):
            outcome.kept.append((now or read, CHANGED_DURING_RUN))
        elif key in placements and placements[key].locked:
            applied.add(key)
        else:
            movable[key] = now
    bookable = {}
    for key in request_keys:
        read, now = things[key], requests_now.get(things[key].pk)
        if key not in placements:
            continue
        if (
            now is not None
            and now.status == MeetingRequest.Status.ACCEPTED
            and now.pk not in with_meeting
            and registrations_unchanged(now)
        ):
            bookable[key] = now
        else:
            outcome.kept.append((read, CHANGED_DURING_RUN))

    # Everything that stays where it is now: cancelled meetings take no place.
    staying = [
        m for m in meetings_now.values() if m.status != Meeting.Status.CANCELLED and f"m{m.pk}" not in movable
    ]
    moves = {key: placements[key] for key in movable if key in placements}
    while True:
        occupancy = _Occupancy()
        for meeting in staying:
            occupancy.add(
                (meeting.slot_id, meeting.sme_id, meeting.buyer_id, meeting.table_id, meeting.interpreter_id)
            )
        blocked = [key for key, p in moves.items() if not occupancy.fits(_place(snapshot, p))]
        if not blocked:
            break
        # A meeting that cannot go where the run put it stays where it is; that may block others in turn.
        for key in blocked:
            del moves[key]
            staying.append(movable[key])
            outcome.kept.append((movable[key], PLACE_TAKEN_DURING_RUN))
    for p in moves.values():
        occupancy.add(_place(snapshot, p))
    to_book = {}
    for key in sorted(bookable, key=lambda k: (things[k].priority != MeetingRequest.Priority.MUST_MEET, k)):
        p, request = placements[key], bookable[key]
        within_maximum = all(
            occupancy.count.get(pk, 0) < registrations[pk].max_meetings
            for pk in (request.sme_id, request.buyer_id)
        )
        if within_maximum and occupancy.fits(_place(snapshot, p)):
            occupancy.add(_place(snapshot, p))
            to_book[key] = request
        else:
            outcome.not_booked.append(key)
    dropped = [meeting for key, meeting in movable.items() if key not in placements]

    Meeting.objects.filter(pk__in=[m.pk for m in [movable[key] for key in moves] + dropped]).update(
        status=Meeting.Status.CANCELLED
    )
    interpreters = Interpreter.objects.in_bulk([p.interpreter for p in result.placements if p.interpreter])
    changed = []
    for key, placement in moves.items():
        meeting = movable[key]
        table_id = _table_id(snapshot, placement)
        former = meeting.interpreter if meeting.interpreter_id not in (None, placement.interpreter) else None
        if (meeting.slot_id, meeting.table_id, meeting.interpreter_id) != (
            placement.slot,
            table_id,
            placement.interpreter,
        ):
            changed.append((meeting, former))
            meeting.sequence += 1
        if (meeting.slot_id, meeting.table_id) != (placement.slot, table_id):
            meeting.started_at = None  # a start scanned at the old place and time does not move with it
        meeting.slot_id = placement.slot
        meeting.table_id = table_id
        meeting.interpreter = interpreters.get(placement.interpreter)
        meeting.status = Meeting.Status.SCHEDULED
        meeting.save(update_fields=["slot", "table", "interpreter", "status", "sequence", "started_at"])
    created = [
        Meeting.objects.create(
            slot_id=placements[key].slot,
            sme_id=request.sme_id,
            buyer_id=request.buyer_id,
            table_id=_table_id(snapshot, placements[key]),
            interpreter=interpreters.get(placements[key].interpreter),
            request=request,
        )
        for key, request in to_book.items()
    ]
    for meeting in dropped:
        meeting.sequence += 1
        meeting.save(update_fields=["sequence"])
    applied |= set(moves) | set(to_book)
    outcome.placed = len(applied)
    for meeting, former in changed:
        _notify_on_commit(meeting, "changed", former)
    for meeting in dropped:
        _notify_on_commit(meeting, "cancelled")
    for meeting in created:
        _notify_on_commit(meeting, "booked")
    return outcome


def _place(snapshot, placement):
    """A solver placement as (slot, sme, buyer, table, interpreter) ids, the way the database sees it."""
    return (placement.slot, placement.a, placement.b, _table_id(snapshot, placement), placement.interpreter)


def _table_id(snapshot, placement):
    return snapshot.tables[placement.table].pk if placement.table is not None else None


def _notify_on_commit(meeting, change, former_interpreter=None):
    former_id = former_interpreter.pk if former_interpreter else None
    after_commit(tasks.meeting_notice, meeting.pk, change, former_id)


def _row(thing, code, reason):
    return {"sme": str(thing.sme), "buyer": str(thing.buyer), "code": code, "reason": str(reason)}


def _unplaced_rows(result, snapshot, write_back):
    left_out = [(item.meeting_id, item.code, item.reason) for item in result.unplaced]
    left_out += [(key, "max_meetings", "") for key in snapshot.over_limit]
    left_out += [(key, "taken_meanwhile", "") for key in write_back.not_booked]
    return [_row(snapshot.things[key], code, REASONS.get(code, reason)) for key, code, reason in left_out]


def schedule_event(*, event, time_limit_seconds, started_by=None, run=None, on_progress=None):
    """Run the scheduler on the event now (in this thread) and write its result. Returns the run."""
    run = run or scheduler_run_start(
        event=event, time_limit_seconds=time_limit_seconds, started_by=started_by
    )
    run.taken_at = timezone.now()  # from now on the reaper counts its time
    run.save(update_fields=["taken_at"])
    snapshot = build_problem(event)
    run.requested = len(snapshot.problem.meetings) + len(snapshot.over_limit)
    run.save(update_fields=["requested"])

    caller = threading.current_thread()
    # SQLite takes one writer at a time: a progress write from the solver's thread could make the
    # run's own writes fail, so there only the final result is recorded.
    record_progress = connection.vendor != "sqlite"

    def progress(update):
        if record_progress:
            _record_progress(run, update, caller)
        if on_progress is not None:
            on_progress(update)

    result = core.solve(snapshot.problem, time_limit_seconds=time_limit_seconds, on_progress=progress)
    write_back = WriteBack(placed=result.placed)
    if result.status != core.INFEASIBLE:
        write_back = apply_result(result, snapshot)
    run.status = result.status
    run.placed = write_back.placed
    run.total_breaks = result.total_breaks
    run.proven_optimal = result.proven_optimal
    run.breaks_lower_bound = result.breaks_lower_bound if result.total_breaks is not None else None
    run.unplaced = _unplaced_rows(result, snapshot, write_back)
    run.kept = [_row(thing, "changed", reason) for thing, reason in write_back.kept]
    run.message = "; ".join(result.conflicts)
    run.finished_at = timezone.now()
    run.save()
    return run


def _record_progress(run, update, caller):
    """Best effort, from the solver's thread and its own short-lived connection."""
    try:
        figures = {"placed": update.placed, "total_breaks": update.total_breaks}
        if update.breaks_lower_bound is not None:
            figures["breaks_lower_bound"] = update.breaks_lower_bound
        SchedulerRun.objects.filter(pk=run.pk).update(**figures)
    except DatabaseError:
        logger.info("Scheduler run %s: progress not recorded", run.pk)
    finally:
        if threading.current_thread() is not caller:
            connection.close()


def scheduler_run_start(*, event, time_limit_seconds, started_by):
    """A new RUNNING run of the event, or ValidationError when one is already running.

    The database allows one running run per event (a constraint), so two staff members on two app
    servers cannot start the same event's scheduler twice. A run still "running" after
    SchedulerRun.ABANDONED_AFTER lost its worker and is marked failed first. Refused too when the event
    is over (its meetings no longer move).
    """
    event_refuse_if_read_only(event)
    scheduler_runs_reap(now=timezone.now(), event=event)
    try:
        with transaction.atomic():
            return SchedulerRun.objects.create(
                event=event, started_by=started_by, time_limit_seconds=time_limit_seconds
            )
    except IntegrityError as error:
        if not event.scheduler_runs.filter(status=SchedulerRun.Status.RUNNING).exists():
            raise
        raise ValidationError(_("The scheduler is already running on this event.")) from error


def scheduler_runs_reap(*, now, event=None) -> int:
    """Mark failed the runs still "running" SchedulerRun.ABANDONED_AFTER after a worker took them (it went
    away, killed or its host lost, and no other took them over), and those no worker has taken
    SchedulerRun.NEVER_TAKEN_AFTER after they started. Returns how many. A run waiting in the queue
    behind others is left alone."""
    running = SchedulerRun.objects.filter(status=SchedulerRun.Status.RUNNING)
    if event is not None:
        running = running.filter(event=event)
    failed = {"status": SchedulerRun.Status.FAILED, "finished_at": now}
    abandoned = running.filter(taken_at__lt=now - SchedulerRun.ABANDONED_AFTER).update(
        message=_("Stopped: the worker running it went away."), **failed
    )
    never_taken = running.filter(
        taken_at__isnull=True, started_at__lt=now - SchedulerRun.NEVER_TAKEN_AFTER
    ).update(message=_("Not started: no scheduler worker took it within two hours."), **failed)
    return abandoned + never_taken


def schedule_event_enqueue(*, event, time_limit_seconds, started_by) -> SchedulerRun:
    """Start a run and hand it to a worker of the task queue; returns its SchedulerRun at once (the event
    page polls it). Raises ValidationError when the event's scheduler is already running."""
    run = scheduler_run_start(event=event, time_limit_seconds=time_limit_seconds, started_by=started_by)
    after_commit(tasks.scheduler_run, run.pk)
    return run


def scheduler_run_continue(*, run_id):
    """A worker's part of a run: solve and write back, recording a failure on the run.

    A run that is no longer running (reaped, or finished by a worker that died just before acknowledging
    its task) is left alone, so a task delivered twice writes once.
    """
    run = SchedulerRun.objects.select_related("event").filter(pk=run_id).first()
    if run is None or run.status != SchedulerRun.Status.RUNNING:
        return
    try:
        schedule_event(event=run.event, time_limit_seconds=run.time_limit_seconds, run=run)
    except Exception as error:  # recorded on the run, which the page shows
        logger.exception("Scheduler run %s failed", run.pk)
        SchedulerRun.objects.filter(pk=run.pk).update(
            status=SchedulerRun.Status.FAILED, message=str(error)[:1000], finished_at=timezone.now()
        )
