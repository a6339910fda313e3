"""Writes on bookings: meeting requests and answers, booking, moving, cancelling and locking meetings."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.consultations.booking import tasks
from matching.consultations.booking.models import Meeting, MeetingChangeRequest, MeetingRequest
from matching.consultations.events import programme_selectors
from matching.consultations.events.models import Arrival, ProgrammeParticipant, Registration, TimeSlot
from matching.consultations.events.programme import local_time_range
from matching.consultations.events.services import event_refuse_if_read_only, registrations_lock
from portal.common.enqueue import after_commit


def _meeting_lock(meeting) -> Meeting:
    """The meeting's row locked until the transaction ends, as it is now (with its interpreter)."""
    return Meeting.objects.select_related("interpreter").select_for_update(of=("self",)).get(pk=meeting.pk)


@transaction.atomic
def meeting_request_create(
    *,
    event,
    sme: Registration,
    buyer: Registration,
    requested_by,
    priority=MeetingRequest.Priority.WOULD_LIKE,
    session_preference="",
    message="",
) -> MeetingRequest:
    """Ask for a meeting between a registered SME and a registered buyer of the event.

    Staff ask on either side's behalf; an SME member asks for its company; a buyer member for its buyer.
    Raises ValidationError when the pair is wrong, already has an open request, or the event's
    deadline for requests has passed, or the event is over. Side effects: after commit, e-mails both
    sides' members (the asked side to answer).
    """
    event_refuse_if_read_only(event)
    deadline = event.request_deadline
    if deadline is not None and timezone.now() > deadline:
        raise ValidationError(_("The deadline for meeting requests at this event has passed."))
    for registration in (sme, buyer):
        if registration.status != Registration.Status.CONFIRMED:
            raise ValidationError(_("%(name)s's registration is not confirmed.") % {"name": registration})
    request = MeetingRequest(
        event=event,
        sme=sme,
        buyer=buyer,
        requested_by=requested_by,
        requested_by_sme=requested_by.company_id is not None and requested_by.company_id == sme.company_id,
        priority=priority,
        session_preference=session_preference,
        message=message,
    )
    request.full_clean()
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise ValidationError(_("These two already have an open meeting request.")) from None
    after_commit(tasks.meeting_request_notice, request.pk, "requested")
    return request


def _booking_errors(meeting):
    """What stops this meeting from being booked or moved, as form errors (empty when it can be).

    The database's constraints decide who is taken in a slot; these are the rules it cannot see:
    confirmed registrations, unavailable slots, programme sessions a participant speaks in or must attend
    (refused like an unavailable slot), the maximum number of meetings, online meetings.
    """
    errors = []
    event = meeting.slot.event
    busy = programme_selectors.busy_during(
        (meeting.sme, meeting.buyer), meeting.slot.starts_at, meeting.slot.ends_at
    )
    for registration in (meeting.sme, meeting.buyer):
        if registration.status != Registration.Status.CONFIRMED:
            errors.append(_("%(name)s's registration is not confirmed.") % {"name": registration})
        if registration.unavailable_slots.filter(pk=meeting.slot_id).exists():
            errors.append(_("%(name)s cannot attend in this slot.") % {"name": registration})
        if registration.pk in busy:
            errors.append(_programme_clash(registration, busy[registration.pk], event))
        booked = registration.sme_meetings if registration.company_id else registration.buyer_meetings
        others = booked.exclude(status=Meeting.Status.CANCELLED).exclude(pk=meeting.pk)
        if others.count() >= registration.max_meetings:
            errors.append(_("%(name)s already has the maximum number of meetings.") % {"name": registration})
    if meeting.interpreter_id and meeting.interpreter.unavailable_slots.filter(pk=meeting.slot_id).exists():
        errors.append(_("%(name)s does not interpret in this slot.") % {"name": meeting.interpreter})
    if meeting.mode == Meeting.Mode.ONLINE and not event.online_meetings_allowed:
        errors.append(_("This event has no online meetings."))
    return errors


def _programme_clash(registration, busy, event):
    """The refusal of a meeting during a programme session its participant speaks in or must attend."""
    session = busy.session
    params = {
        "name": registration,
        "title": session.title,
        "times": local_time_range(event, session.starts_at, session.ends_at),
    }
    if busy.role == ProgrammeParticipant.Role.SPEAKER:
        return _("%(name)s speaks in “%(title)s” (%(times)s) at this time.") % params
    return _("%(name)s must attend “%(title)s” (%(times)s) at this time.") % params


def _save_meeting(meeting, update_fields=None):
    """Save, turning a lost race for a slot, table or interpreter into the constraint's own message."""
    try:
        with transaction.atomic():
            meeting.save(update_fields=update_fields)
    except IntegrityError:
        # Someone else took the slot between our checks and our write: say what is taken.
        meeting.validate_constraints()
        if not TimeSlot.objects.filter(pk=meeting.slot_id).exists():  # staff made the slots again meanwhile
            raise ValidationError(_("The event's slots have just changed; choose a slot again.")) from None
        raise ValidationError(_("This slot was just taken; please choose another.")) from None


@transaction.atomic
def meeting_book(
    *,
    slot,
    sme: Registration,
    buyer: Registration,
    booked_by,
    table=None,
    mode=Meeting.Mode.IN_PERSON,
    online_link="",
    interpreter=None,
    request: MeetingRequest | None = None,
    locked=False,
    walk_in=False,
) -> Meeting:
    """Book a meeting into a slot (and a table or an online link), refusing any double booking.

    The database's unique constraints decide races: of simultaneous bookings of one participant,
    table or interpreter in one slot exactly one succeeds; the others get the constraint's message.
    Without `request`, the pair's accepted request still waiting for a slot (if any) is the one booked.
    Raises ValidationError with a clear message (also when the event is over). Side effects: marks the
    request accepted; after commit, e-mails both sides and the interpreter with the meeting's .ics.
    """
    event_refuse_if_read_only(slot.event)
    locked_rows = registrations_lock(sme, buyer)
    sme, buyer = locked_rows[sme.pk], locked_rows[buyer.pk]
    if request is None:  # staff booking a pair that had asked: the booking answers their request
        request = MeetingRequest.objects.filter(
            sme=sme, buyer=buyer, status=MeetingRequest.Status.ACCEPTED, meeting=None
        ).first()
    meeting = Meeting(
        slot=slot,
        sme=sme,
        buyer=buyer,
        table=table,
        mode=mode,
        online_link=online_link,
        interpreter=interpreter,
        request=request,
        locked=locked,
        walk_in=walk_in,
    )
    meeting.full_clean(exclude=["request"], validate_constraints=False)
    errors = _booking_errors(meeting)
    if errors:
        raise ValidationError(errors)
    _save_meeting(meeting)
    if request is not None and request.status != MeetingRequest.Status.ACCEPTED:
        request.status = MeetingRequest.Status.ACCEPTED
        request.save(update_fields=["status"])
    after_commit(tasks.meeting_notice, meeting.pk, "booked")
    return meeting


def _live_meetings():
    return Meeting.objects.exclude(status=Meeting.Status.CANCELLED).select_related(
        "slot__event", "table", "sme__company", "buyer__buyer"
    )


def _local_time(moment, event):
    return moment.astimezone(event.zone).strftime("%H:%M")


def place_taken_message(meeting):
    """Why a walk-in cannot go to a place another meeting holds: who holds it, named."""
    return _("%(table)s at %(time)s was just filled with %(sme)s and %(buyer)s; choose another place.") % {
        "table": meeting.table,
        "time": _local_time(meeting.slot.starts_at, meeting.slot.event),
        "sme": meeting.sme,
        "buyer": meeting.buyer,
    }


@transaction.atomic
def walk_in_book(
    *, slot, table, sme: Registration, buyer: Registration, booked_by, interpreter=None, now=None
):
    """Fill a freed place of the live board (a table in a slot not yet over) with a walk-in pair.

    Both sides must have checked in on the slot's day; then it is meeting_book's booking, with its rules,
    locks and e-mails, marked as a walk-in. The same pair at the same place again (a double submit, two
    colleagues filling it for the same pair) returns the meeting already booked. Raises ValidationError
    naming what stands in the way: the slot is over, a side has not checked in, the place was just filled
    (by whom), a side has a meeting in the slot, the two already met, or a rule of the booking. Side
    effects: as meeting_book (e-mails both sides and the interpreter with the .ics).
    """
    now = now or timezone.now()
    event = slot.event
    if slot.ends_at <= now:
        raise ValidationError(_("This slot is over: choose a place in a later one."))
    # Locked before the checks, as meeting_book locks them: a second booking of either side waits here.
    locked_rows = registrations_lock(sme, buyer)
    sme, buyer = locked_rows[sme.pk], locked_rows[buyer.pk]
    live = _live_meetings()
    same = live.filter(slot=slot, table=table, sme=sme, buyer=buyer).first()
    if same is not None:
        return same
    errors = []
    day = slot.starts_at.astimezone(event.zone).date()
    arrived = set(
        Arrival.objects.filter(registration__in=[sme, buyer], day=day).values_list("registration", flat=True)
    )
    for registration in (sme, buyer):
        if registration.pk not in arrived:
            errors.append(_("%(name)s has not checked in today.") % {"name": registration})
    taken = live.filter(slot=slot, table=table).first()
    if taken is not None:
        errors.append(place_taken_message(taken))
    for side, registration in (("sme", sme), ("buyer", buyer)):
        elsewhere = live.filter(slot=slot, **{side: registration}).first()
        if elsewhere is not None:
            where = elsewhere.table or _("online")
            errors.append(
                _("%(name)s already has a meeting in this slot (%(where)s).")
                % {"name": registration, "where": where}
            )
    met = live.filter(sme=sme, buyer=buyer).first()
    if met is not None:
        errors.append(
            _("%(sme)s and %(buyer)s already have a meeting (%(day)s %(time)s).")
            % {
                "sme": sme,
                "buyer": buyer,
                "day": met.slot.starts_at.astimezone(event.zone).strftime("%Y-%m-%d"),
                "time": _local_time(met.slot.starts_at, event),
            }
        )
    if errors:
        raise ValidationError(errors)
    try:
        return meeting_book(
            slot=slot, sme=sme, buyer=buyer, booked_by=booked_by, table=table, interpreter=interpreter,
            walk_in=True,
        )  # fmt: skip
    except ValidationError:
        # Another colleague's walk-in took the table between our checks and our write: name it.
        taken = live.filter(slot=slot, table=table).first()
        if taken is not None:
            raise ValidationError(place_taken_message(taken)) from None
        raise


MOVABLE_FIELDS = ["slot", "table", "mode", "online_link", "interpreter", "locked"]


@transaction.atomic
def meeting_change(*, meeting: Meeting, changed_by, **changes) -> Meeting:
    """Move a scheduled meeting to another slot, table, mode or interpreter, or lock or unlock it.

    `changes` take names from MOVABLE_FIELDS. Refused with the same messages as a booking when the
    new place is taken or a rule forbids it. Side effects: raises the meeting's revision; after commit,
    e-mails both sides and the interpreter the new .ics (a former interpreter gets a cancellation),
    unless only the lock changed; a meeting moved to another slot, table or mode is no longer started.
    """
    unknown = set(changes) - set(MOVABLE_FIELDS)
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    registrations_lock(Registration(pk=meeting.sme_id), Registration(pk=meeting.buyer_id))
    # The changes apply to the row as it is now: what the caller read may be older (another staff
    # member moved it meanwhile), and the fields it does not change keep their current values.
    meeting = _meeting_lock(meeting)
    event_refuse_if_read_only(meeting.slot.event)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be changed."))
    before = {name: getattr(meeting, name) for name in MOVABLE_FIELDS}
    for name, value in changes.items():
        setattr(meeting, name, value)
    if meeting.mode == Meeting.Mode.ONLINE:
        meeting.table = None
    else:
        meeting.online_link = ""
    changed = [name for name in MOVABLE_FIELDS if getattr(meeting, name) != before[name]]
    if not changed:
        return meeting
    meeting.full_clean(exclude=["request"], validate_constraints=False)
    errors = _booking_errors(meeting)
    if errors:
        raise ValidationError(errors)
    noticed = changed != ["locked"]
    if noticed:
        meeting.sequence += 1
    if meeting.started_at is not None and {"slot", "table", "mode"} & set(changed):
        # The start was scanned at the old table and time: the moved meeting starts again where it goes.
        meeting.started_at = None
        changed.append("started_at")
    _save_meeting(meeting, update_fields=[*changed, "sequence"])
    if noticed:
        former = before["interpreter"] if before["interpreter"] != meeting.interpreter else None
        after_commit(tasks.meeting_notice, meeting.pk, "changed", former.pk if former else None)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, cancelled_by, reason="") -> Meeting:
    """Cancel a scheduled meeting: its slot, table and interpreter are free again.

    The request it came from is cancelled too, so the auto-scheduler does not book it again. The
    reason is kept on the meeting: both sides read it in the e-mail and on their agenda. Raises
    ValidationError when the meeting is no longer scheduled (a double submit) or the event is over.
    Side effects: raises the revision; closes the meeting's waiting change request
    (_change_requests_close); after commit, e-mails both sides and the interpreter a cancellation
    (.ics METHOD:CANCEL).
    """
    meeting = _meeting_lock(meeting)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be cancelled."))
    event_refuse_if_read_only(meeting.slot.event)
    meeting.status = Meeting.Status.CANCELLED
    meeting.locked = False
    meeting.sequence += 1
    meeting.cancellation_reason = reason.strip()
    meeting.save(update_fields=["status", "locked", "sequence", "cancellation_reason"])
    if meeting.request_id:
        MeetingRequest.objects.filter(pk=meeting.request_id).update(status=MeetingRequest.Status.CANCELLED)
    _change_requests_close(meeting, cancelled_by)
    after_commit(tasks.meeting_notice, meeting.pk, "cancelled")
    return meeting


def _change_requests_close(meeting, closed_by):
    """Close the waiting change request of a meeting being cancelled (staff on the grid, a withdrawn
    registration, or the approval of the request itself): a cancellation asked for is approved by it, a
    new time is refused. No e-mail of its own: the cancellation's tells both sides."""
    now = timezone.now()
    waiting = MeetingChangeRequest.objects.filter(meeting=meeting, status=MeetingChangeRequest.Status.PENDING)
    answered = {"answered_by": closed_by, "answered_at": now}
    waiting.filter(kind=MeetingChangeRequest.Kind.CANCEL).update(
        status=MeetingChangeRequest.Status.APPROVED, **answered
    )
    waiting.filter(kind=MeetingChangeRequest.Kind.RESCHEDULE).update(
        status=MeetingChangeRequest.Status.REFUSED, **answered
    )


def meetings_lock(*, event, locked: bool) -> int:
    """Lock (or unlock) every scheduled meeting of the event at once; returns how many changed.

    Locking is how staff say "confirmed with both parties": the auto-scheduler then keeps them and
    re-optimises only the rest. No e-mail (nobody's time or place changes).
    """
    with transaction.atomic():
        scheduled = Meeting.objects.filter(slot__event=event, status=Meeting.Status.SCHEDULED)
        # Rows locked in id order first, as every writer of the event's meetings does (no deadlock).
        ids = list(
            scheduled.exclude(locked=locked).select_for_update().order_by("pk").values_list("pk", flat=True)
        )
        return Meeting.objects.filter(pk__in=ids).update(locked=locked)


@transaction.atomic
def registration_decide(*, registration: Registration, status, decided_by) -> Registration:
    """Confirm a pending registration or withdraw one. Withdrawing cancels its scheduled meetings.

    Raises ValidationError when the event is over. Side effects: cancellations e-mail both sides (see
    meeting_cancel), with the withdrawal as the reason.
    """
    event_refuse_if_read_only(registration.event)
    registration = registrations_lock(registration)[registration.pk]
    registration.status = status
    registration.save(update_fields=["status"])
    if status == Registration.Status.WITHDRAWN:
        booked = registration.sme_meetings if registration.company_id else registration.buyer_meetings
        for meeting in booked.filter(status=Meeting.Status.SCHEDULED).order_by("pk"):
            reason = _("%(name)s withdrew from the event.") % {"name": registration}
            meeting_cancel(meeting=meeting, cancelled_by=decided_by, reason=reason)
    return registration


@transaction.atomic
def meeting_request_answer(*, request: MeetingRequest, accept: bool, answered_by) -> MeetingRequest:
    """The side that was asked accepts or declines a pending request.

    Raises ValidationError when the request is no longer pending. Side effects: after commit, e-mails
    both sides.
    """
    # Locked and read again: of two answers at once (a double click, two colleagues) one is taken.
    request.status = MeetingRequest.objects.select_for_update().only("status").get(pk=request.pk).status
    if request.status != MeetingRequest.Status.PENDING:
        raise ValidationError(_("This request was already answered or has expired."))
    event_refuse_if_read_only(request.event)
    deadline = request.event.request_deadline
    if deadline is not None and timezone.now() > deadline:
        meeting_requests_expire()
        raise ValidationError(_("The deadline for answering requests of this event has passed."))
    request.status = MeetingRequest.Status.ACCEPTED if accept else MeetingRequest.Status.DECLINED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    change = "accepted" if accept else "declined"
    after_commit(tasks.meeting_request_notice, request.pk, change)
    return request


def meeting_requests_expire(*, now=None) -> int:
    """Expire pending requests of events whose answering deadline has passed. Returns how many."""
    now = now or timezone.now()
    return MeetingRequest.objects.filter(
        status=MeetingRequest.Status.PENDING, event__request_deadline__lt=now
    ).update(status=MeetingRequest.Status.EXPIRED, answered_at=now)
