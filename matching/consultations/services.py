"""Writes on consultations: events and their slots, meeting requests and answers, bookings."""

import calendar
import datetime as dt
import secrets
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from portal.enqueue import after_commit

from . import tasks
from .models import Event, FollowUp, Meeting, MeetingRequest, Mou, Outcome, Registration, Table, TimeSlot


def registrations_lock(*registrations) -> dict[int, Registration]:
    """Lock the registrations' rows until the transaction ends and return them as they are now, by id.

    Every write that checks a registration's rules (confirmed, maximum meetings) locks it first, so
    two bookings of one company wait for each other instead of both seeing room for one more. The
    fixed order (registrations by id, then meetings) keeps concurrent writers from deadlocking.
    FOR NO KEY UPDATE: rows that merely point at a registration (a new request) need not wait.
    """
    ids = sorted({registration.pk for registration in registrations})
    rows = Registration.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")
    return {registration.pk: registration for registration in rows}


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
    deadline for requests has passed. Side effects: after commit, e-mails both sides' members (the
    asked side to answer).
    """
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
    confirmed registrations, unavailable slots, the maximum number of meetings, online meetings.
    """
    errors = []
    event = meeting.slot.event
    for registration in (meeting.sme, meeting.buyer):
        if registration.status != Registration.Status.CONFIRMED:
            errors.append(_("%(name)s's registration is not confirmed.") % {"name": registration})
        if registration.unavailable_slots.filter(pk=meeting.slot_id).exists():
            errors.append(_("%(name)s cannot attend in this slot.") % {"name": registration})
        booked = registration.sme_meetings if registration.company_id else registration.buyer_meetings
        others = booked.exclude(status=Meeting.Status.CANCELLED).exclude(pk=meeting.pk)
        if others.count() >= registration.max_meetings:
            errors.append(_("%(name)s already has the maximum number of meetings.") % {"name": registration})
    if meeting.interpreter_id and meeting.interpreter.unavailable_slots.filter(pk=meeting.slot_id).exists():
        errors.append(_("%(name)s does not interpret in this slot.") % {"name": meeting.interpreter})
    if meeting.mode == Meeting.Mode.ONLINE and not event.online_meetings_allowed:
        errors.append(_("This event has no online meetings."))
    return errors


def _save_meeting(meeting, update_fields=None):
    """Save, turning a lost race for a slot, table or interpreter into the constraint's own message."""
    try:
        with transaction.atomic():
            meeting.save(update_fields=update_fields)
    except IntegrityError:
        # Someone else took the slot between our checks and our write: say what is taken.
        meeting.validate_constraints()
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
) -> Meeting:
    """Book a meeting into a slot (and a table or an online link), refusing any double booking.

    The database's unique constraints decide races: of simultaneous bookings of one participant,
    table or interpreter in one slot exactly one succeeds; the others get the constraint's message.
    Without `request`, the pair's accepted request still waiting for a slot (if any) is the one booked.
    Raises ValidationError with a clear message. Side effects: marks the request accepted; after commit,
    e-mails both sides and the interpreter with the meeting's .ics.
    """
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


MOVABLE_FIELDS = ["slot", "table", "mode", "online_link", "interpreter", "locked"]


@transaction.atomic
def meeting_change(*, meeting: Meeting, changed_by, **changes) -> Meeting:
    """Move a scheduled meeting to another slot, table, mode or interpreter, or lock or unlock it.

    `changes` take names from MOVABLE_FIELDS. Refused with the same messages as a booking when the
    new place is taken or a rule forbids it. Side effects: raises the meeting's revision; after commit,
    e-mails both sides and the interpreter the new .ics (a former interpreter gets a cancellation),
    unless only the lock changed.
    """
    unknown = set(changes) - set(MOVABLE_FIELDS)
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    registrations_lock(Registration(pk=meeting.sme_id), Registration(pk=meeting.buyer_id))
    # The changes apply to the row as it is now: what the caller read may be older (another staff
    # member moved it meanwhile), and the fields it does not change keep their current values.
    meeting = _meeting_lock(meeting)
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
    _save_meeting(meeting, update_fields=[*changed, "sequence"])
    if noticed:
        former = before["interpreter"] if before["interpreter"] != meeting.interpreter else None
        after_commit(tasks.meeting_notice, meeting.pk, "changed", former.pk if former else None)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, cancelled_by) -> Meeting:
    """Cancel a scheduled meeting: its slot, table and interpreter are free again.

    The request it came from is cancelled too, so the auto-scheduler does not book it again.
    Side effects: raises the revision; after commit, e-mails both sides and the interpreter a
    cancellation (.ics METHOD:CANCEL).
    """
    meeting = _meeting_lock(meeting)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be cancelled."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.locked = False
    meeting.sequence += 1
    meeting.save(update_fields=["status", "locked", "sequence"])
    if meeting.request_id:
        MeetingRequest.objects.filter(pk=meeting.request_id).update(status=MeetingRequest.Status.CANCELLED)
    after_commit(tasks.meeting_notice, meeting.pk, "cancelled")
    return meeting


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
def registration_save(*, form, event, status=None) -> Registration:
    """Save a registration form of the event (staff registering someone, or editing a registration).

    Raises ValidationError when the organisation is already registered. No e-mail.
    """
    registration = form.save(commit=False)
    registration.event = event
    if status is not None:
        registration.status = status
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        registration.validate_constraints()
        raise
    form.save_m2m()
    return registration


@transaction.atomic
def registration_decide(*, registration: Registration, status, decided_by) -> Registration:
    """Confirm a pending registration or withdraw one. Withdrawing cancels its scheduled meetings.

    Side effects: cancellations e-mail both sides (see meeting_cancel).
    """
    registration = registrations_lock(registration)[registration.pk]
    registration.status = status
    registration.save(update_fields=["status"])
    if status == Registration.Status.WITHDRAWN:
        booked = registration.sme_meetings if registration.company_id else registration.buyer_meetings
        for meeting in booked.filter(status=Meeting.Status.SCHEDULED).order_by("pk"):
            meeting_cancel(meeting=meeting, cancelled_by=decided_by)
    return registration


RECORDED_FIELDS = [
    "attendance", "interest", "next_step", "estimated_value_usd", "mou_signed", "mou_signed_on", "notes",
]  # fmt: skip


@transaction.atomic
def outcome_record(*, meeting: Meeting, side, recorded_by, **values) -> Outcome:
    """Create or update one side's record of a meeting (`values` from RECORDED_FIELDS).

    Refused before the meeting starts and for a cancelled meeting. The staff's attendance is the
    official one: it sets the meeting's status (held or no-show). Side effects: a history row (who,
    when, before and after) for every save; a staff record of a signed MOU creates the meeting's MOU
    record (company–company, signed) for admins to review and complete with the scan.
    """
    unknown = set(values) - set(RECORDED_FIELDS)
    if unknown:
        raise TypeError(f"cannot record {sorted(unknown)}")
    # Locked first: of two saves of one side at once (a double click), the second waits and then
    # updates the record the first created instead of creating another (a unique constraint, a 500).
    current = Meeting.objects.select_for_update().only("status").get(pk=meeting.pk)
    meeting.status = current.status
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    if not meeting.has_started:
        raise ValidationError(_("This meeting has not started yet; record it once it has."))
    outcome = Outcome.objects.filter(meeting=meeting, side=side).first() or Outcome(
        meeting=meeting, side=side
    )
    for name, value in values.items():
        setattr(outcome, name, value)
    outcome.recorded_by = recorded_by
    outcome._history_user = recorded_by
    outcome.full_clean(exclude=["meeting"])
    outcome.save()
    if side == Outcome.Side.STAFF and outcome.mou_signed and not meeting.mous.exists():
        _mou_from_outcome(outcome, recorded_by)
    if side == Outcome.Side.STAFF:
        status = (
            Meeting.Status.HELD if outcome.attendance == Outcome.Attendance.HELD else Meeting.Status.NO_SHOW
        )
        if meeting.status != status:
            meeting.status = status
            meeting.save(update_fields=["status"])
    return outcome


def months_later(day, months):
    """The same day `months` later, or that month's last day when it is shorter."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month_index + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def follow_ups_plan() -> int:
    """Give every held meeting its follow-ups at 1, 3 and 6 months (in the event's calendar); returns how
    many were created. Existing ones are left as they are."""
    held = Meeting.objects.filter(status=Meeting.Status.HELD).select_related("slot__event")
    have = set(FollowUp.objects.values_list("meeting_id", "months"))
    new = []
    for meeting in held:
        day = meeting.slot.starts_at.astimezone(meeting.slot.event.zone).date()
        for months in FollowUp.MONTHS:
            if (meeting.pk, months) not in have:
                new.append(
                    FollowUp(
                        meeting=meeting,
                        months=months,
                        due_on=months_later(day, months),
                        token=secrets.token_urlsafe(32),
                    )
                )
    FollowUp.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def follow_ups_send(*, today=None) -> int:
    """Ask the Korean company of each follow-up that is due and not asked yet; returns how many.

    Each is marked sent here, in one statement (two daily runs at once ask once), and its e-mail is
    enqueued after the commit (tasks.follow_up_ask, which marks it unsent again if nobody could be asked).
    """
    today = today or timezone.localdate()
    due = FollowUp.objects.filter(sent_at__isnull=True, due_on__lte=today)
    ids = list(due.select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True))
    FollowUp.objects.filter(pk__in=ids).update(sent_at=timezone.now())
    for follow_up_id in ids:
        after_commit(tasks.follow_up_ask, follow_up_id)
    return len(ids)


@transaction.atomic
def follow_up_answer(*, follow_up, progress, notes, answered_by) -> FollowUp:
    """Record (or correct) the company's answer. Side effects: a history row."""
    follow_up.progress, follow_up.notes = progress, notes
    follow_up.answered_by, follow_up.answered_at = answered_by, timezone.now()
    follow_up._history_user = answered_by
    follow_up.full_clean(exclude=["meeting", "token"])
    follow_up.save()
    return follow_up


def _mou_from_outcome(outcome, recorded_by):
    meeting = outcome.meeting
    title = _("MOU: %(sme)s and %(buyer)s") % {"sme": meeting.sme, "buyer": meeting.buyer}
    mou = Mou(
        # Two long names make a title longer than the column; its end is the least telling part.
        title=Truncator(title).chars(Mou._meta.get_field("title").max_length),
        kind=Mou.Kind.COMPANY,
        status=Mou.Status.SIGNED,
        event=meeting.slot.event,
        meeting=meeting,
        company_id=meeting.sme.company_id,
        buyer_id=meeting.buyer.buyer_id,
        signed_on=outcome.mou_signed_on,
        recorded_by=recorded_by,
    )
    mou._history_user = recorded_by
    mou.full_clean()
    mou.save()
    return mou


def reviewed_mark(*, records, reviewer) -> int:
    """Mark outcomes or MOUs (`records`, a queryset) reviewed by `reviewer` now; returns how many were not
    reviewed before.

    Each record is saved on its own (not a bulk update) so that its history keeps a row naming the
    reviewer. Records already reviewed are left as they are.
    """
    now = timezone.now()
    count = 0
    with transaction.atomic():
        # No joins under FOR UPDATE: PostgreSQL refuses to lock the nullable side of an outer join.
        for record in records.select_related(None).filter(reviewed_at__isnull=True).select_for_update():
            record.reviewed_at, record.reviewed_by = now, reviewer
            record._history_user = reviewer
            record.save(update_fields=["reviewed_at", "reviewed_by"])
            count += 1
    return count


@dataclass(frozen=True)
class Session:
    """A block of consecutive slots in one day, in the event's local time."""

    kind: str  # TimeSlot.Session value
    starts: dt.time
    ends: dt.time


def slots_for(*, event, sessions, break_minutes=0):
    """The (starts_at, ends_at, session) of every slot of the event's days, as aware UTC datetimes."""
    zone = zoneinfo.ZoneInfo(event.time_zone)
    length = dt.timedelta(minutes=event.slot_minutes)
    gap = dt.timedelta(minutes=break_minutes)
    day = event.start_date
    while day <= event.end_date:
        for session in sessions:
            start = dt.datetime.combine(day, session.starts, tzinfo=zone)
            end = dt.datetime.combine(day, session.ends, tzinfo=zone)
            while start + length <= end:
                yield start.astimezone(dt.UTC), (start + length).astimezone(dt.UTC), session.kind
                start += length + gap
        day += dt.timedelta(days=1)


@transaction.atomic
def event_create(*, form, organising_centre, sessions, break_minutes, table_count) -> tuple[Event, bool]:
    """Create an event from its form, with its slots generated from the sessions and its named tables.

    Returns (event, created). The form carries a token made when it was shown: sent again (a double
    click, a second tab), it returns the event the first sending made, with created False. Raises
    ValidationError when another event took the slug meanwhile. Side effects: TimeSlot and Table rows
    (tables named T01, T02, ...).
    """
    event = form.save(commit=False)
    event.organising_centre = organising_centre
    event.form_token = form.cleaned_data.get("form_token")
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        earlier = Event.objects.filter(form_token=event.form_token).first() if event.form_token else None
        if earlier is not None:
            return earlier, False
        raise ValidationError(
            {"slug": _("Another event has just taken this slug; choose another.")}
        ) from None
    TimeSlot.objects.bulk_create(
        TimeSlot(event=event, starts_at=starts, ends_at=ends, session=kind)
        for starts, ends, kind in slots_for(event=event, sessions=sessions, break_minutes=break_minutes)
    )
    Table.objects.bulk_create(
        Table(event=event, name=f"T{number:02d}") for number in range(1, table_count + 1)
    )
    return event, True


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
