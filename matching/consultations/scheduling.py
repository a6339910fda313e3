"""The auto-scheduler on an event: the database in, matching.scheduling's pure solver, the database out.

Participants are the event's confirmed registrations; meetings to place are the accepted requests
not booked yet plus the booked meetings that are not locked (re-optimised); locked meetings stay
in their slot and at their table. Runs are recorded as SchedulerRun rows with their progress.
"""

import logging
import threading

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching import scheduling as core
from matching.companies.models import Company
from matching.demands.models import BuyerOrganisation

from . import emails
from .models import Interpreter, Meeting, MeetingRequest, Registration, SchedulerRun, TimeSlot

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


def build_problem(event):
    """(core.Problem, tables by number, things by meeting id, request keys over a maximum) for the event.

    Accepted requests beyond a participant's maximum number of meetings (counting the meetings they
    have) are not given to the solver; they are reported as left out.
    """
    slots = list(event.slots.order_by("starts_at"))
    tables = list(event.tables.order_by("name"))
    table_number = {table.pk: number for number, table in enumerate(tables, start=1)}
    registrations = list(Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED))
    unavailable = {}
    for through in Registration.unavailable_slots.through.objects.filter(registration__in=registrations):
        unavailable.setdefault(through.registration_id, set()).add(through.timeslot_id)
    participants = [core.Participant(r.pk, frozenset(unavailable.get(r.pk, ()))) for r in registrations]
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
    problem = core.Problem(
        slots=tuple(core.Slot(slot.pk, slot.session) for slot in slots),
        tables=len(tables),
        participants=tuple(participants),
        meetings=tuple(meetings),
        interpreters=tuple(interpreters.values()),
    )
    return problem, dict(enumerate(tables, start=1)), things, over_limit


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


@transaction.atomic
def apply_result(result, tables, things):
    """Write a solver result: move re-optimised meetings, book placed requests, leave locked ones.

    Moving meetings are first set aside (cancelled) so that no unique constraint trips while they
    swap places, then put where the solver placed them. Side effects: after commit, e-mails with the
    .ics for every meeting booked, moved or dropped.
    """
    placements = {p.meeting_id: p for p in result.placements}
    existing = {key: meeting for key, meeting in things.items() if key.startswith("m")}
    moving = [
        meeting for key, meeting in existing.items() if key in placements and not placements[key].locked
    ]
    dropped = [meeting for key, meeting in existing.items() if key not in placements]
    Meeting.objects.filter(pk__in=[m.pk for m in moving + dropped]).update(status=Meeting.Status.CANCELLED)
    interpreters = Interpreter.objects.in_bulk([p.interpreter for p in result.placements if p.interpreter])
    changed = []
    for meeting in moving:
        placement = placements[f"m{meeting.pk}"]
        table = tables[placement.table] if placement.table is not None else None
        interpreter = interpreters.get(placement.interpreter)
        former = meeting.interpreter if meeting.interpreter_id not in (None, placement.interpreter) else None
        place = (placement.slot, table.pk if table else None, placement.interpreter)
        if (meeting.slot_id, meeting.table_id, meeting.interpreter_id) != place:
            changed.append((meeting, former))
            meeting.sequence += 1
        meeting.slot_id = placement.slot
        meeting.table = table
        meeting.interpreter = interpreter
        meeting.status = Meeting.Status.SCHEDULED
        meeting.save(update_fields=["slot", "table", "interpreter", "status", "sequence"])
    slots = TimeSlot.objects.in_bulk([p.slot for p in result.placements])
    created = []
    for key, placement in placements.items():
        if not key.startswith("r"):
            continue
        request = things[key]
        created.append(
            Meeting.objects.create(
                slot=slots[placement.slot],
                sme_id=request.sme_id,
                buyer_id=request.buyer_id,
                table=tables[placement.table],
                interpreter=interpreters.get(placement.interpreter),
                request=request,
            )
        )
    for meeting, former in changed:
        _notify_on_commit(meeting, "changed", former)
    for meeting in dropped:
        meeting.sequence += 1
        meeting.save(update_fields=["sequence"])
        _notify_on_commit(meeting, "cancelled")
    for meeting in created:
        _notify_on_commit(meeting, "booked")


def _notify_on_commit(meeting, change, former_interpreter=None):
    transaction.on_commit(
        lambda: emails.meeting_notify(meeting=meeting, change=change, former_interpreter=former_interpreter)
    )


def _unplaced_rows(result, things, over_limit):
    left_out = [(item.meeting_id, item.code, item.reason) for item in result.unplaced]
    left_out += [(key, "max_meetings", "") for key in over_limit]
    rows = []
    for key, code, reason in left_out:
        thing = things[key]
        rows.append(
            {
                "sme": str(thing.sme),
                "buyer": str(thing.buyer),
                "code": code,
                "reason": str(REASONS.get(code, reason)),
            }
        )
    return rows


def schedule_event(*, event, time_limit_seconds, started_by=None, run=None, on_progress=None):
    """Run the scheduler on the event now (in this thread) and write its result. Returns the run."""
    run = run or scheduler_run_start(
        event=event, time_limit_seconds=time_limit_seconds, started_by=started_by
    )
    problem, tables, things, over_limit = build_problem(event)
    run.requested = len(problem.meetings) + len(over_limit)
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

    result = core.solve(problem, time_limit_seconds=time_limit_seconds, on_progress=progress)
    if result.status != core.INFEASIBLE:
        apply_result(result, tables, things)
    run.status = result.status
    run.placed = result.placed
    run.total_breaks = result.total_breaks
    run.proven_optimal = result.proven_optimal
    run.unplaced = _unplaced_rows(result, things, over_limit)
    run.message = "; ".join(result.conflicts)
    run.finished_at = timezone.now()
    run.save()
    return run


def _record_progress(run, update, caller):
    """Best effort, from the solver's thread and its own short-lived connection."""
    try:
        SchedulerRun.objects.filter(pk=run.pk).update(placed=update.placed, total_breaks=update.total_breaks)
    except DatabaseError:
        logger.info("Scheduler run %s: progress not recorded", run.pk)
    finally:
        if threading.current_thread() is not caller:
            connection.close()


def scheduler_run_start(*, event, time_limit_seconds, started_by):
    """A new RUNNING run of the event, or ValidationError when one is already running.

    The database allows one running run per event (a constraint), so two staff members on two app
    servers cannot start the same event's scheduler twice. A run still "running" after
    SchedulerRun.ABANDONED_AFTER lost its server and is marked failed first.
    """
    SchedulerRun.objects.filter(
        event=event,
        status=SchedulerRun.Status.RUNNING,
        started_at__lt=timezone.now() - SchedulerRun.ABANDONED_AFTER,
    ).update(
        status=SchedulerRun.Status.FAILED,
        message=_("Stopped: the server running it went away."),
        finished_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            return SchedulerRun.objects.create(
                event=event, started_by=started_by, time_limit_seconds=time_limit_seconds
            )
    except IntegrityError as error:
        if not event.scheduler_runs.filter(status=SchedulerRun.Status.RUNNING).exists():
            raise
        raise ValidationError(_("The scheduler is already running on this event.")) from error


def schedule_event_in_background(*, event, time_limit_seconds, started_by):
    """Start a run in a daemon thread and return its SchedulerRun at once (the page polls it).

    Raises ValidationError when the event's scheduler is already running (on any app server).
    """
    run = scheduler_run_start(event=event, time_limit_seconds=time_limit_seconds, started_by=started_by)

    starter = threading.current_thread()

    def work():
        close_old_connections()
        try:
            schedule_event(event=event, time_limit_seconds=time_limit_seconds, run=run)
        except Exception as error:  # recorded on the run, which the page shows
            logger.exception("Scheduler run %s failed", run.pk)
            SchedulerRun.objects.filter(pk=run.pk).update(
                status=SchedulerRun.Status.FAILED, message=str(error)[:1000], finished_at=timezone.now()
            )
        finally:
            # A thread's own connection is never reused: close it (close_old_connections would keep a
            # healthy one open under CONN_MAX_AGE, an idle session per run). Tests may run work() in
            # the starting thread, whose connection is not ours to close.
            if threading.current_thread() is not starter:
                connection.close()
            else:
                close_old_connections()

    threading.Thread(target=work, name=f"scheduler-{run.pk}", daemon=True).start()
    return run
