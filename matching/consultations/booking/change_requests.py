"""Writes on meeting change requests: a participant asks to reschedule or cancel a booked roadshow meeting,
withdraws the request, and the organising centre's staff approve or refuse it.

Each service locks the rows it checks before it writes, in the house order (registrations by id, then the
meeting, then its change request), so a double click, two colleagues answering at once, or a withdrawal
racing an approval end in one outcome and a clear message. E-mails go through the task queue after commit.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.consultations.booking import services, tasks
from matching.consultations.booking.models import (
    CHANGE_NOTE_MAX_LENGTH,
    PREFERRED_TIME_MAX_LENGTH,
    Meeting,
    MeetingChangeRequest,
)
from matching.consultations.events.models import Registration
from matching.consultations.events.services import event_refuse_if_read_only, registrations_lock
from matching.kernel import permissions
from portal.common.enqueue import after_commit
from portal.common.text import typed_text

Kind = MeetingChangeRequest.Kind
Status = MeetingChangeRequest.Status
Side = MeetingChangeRequest.Side


def _side_of(user, meeting):
    """SME or BUYER: the side of the meeting the user is a member of; ValidationError for anyone else."""
    if not permissions.may(user, "ask_meeting_change", meeting):
        raise ValidationError(_("Only the members of the meeting's two organisations can do this."))
    return Side.SME if user.company_id and user.company_id == meeting.sme.company_id else Side.BUYER


def _lock_meeting(meeting) -> Meeting:
    """Both registrations, then the meeting, locked and read again (what the caller read may be older)."""
    registrations_lock(Registration(pk=meeting.sme_id), Registration(pk=meeting.buyer_id))
    return (
        Meeting.objects.select_related("slot__event", "sme", "buyer", "table")
        .select_for_update(of=("self",))
        .get(pk=meeting.pk)
    )


def _refuse_unless_changeable(meeting):
    event_refuse_if_read_only(meeting.slot.event)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled: there is nothing to change."))
    if meeting.status != Meeting.Status.SCHEDULED or meeting.has_started:
        raise ValidationError(_("This meeting has already started: it can no longer be changed."))


def _pending_message():
    return _("A change of this meeting is already waiting for KOTRA's answer.")


@transaction.atomic
def meeting_change_request_create(
    *, meeting: Meeting, asked_by, kind, reason, note="", preferred_time=""
) -> MeetingChangeRequest:
    """A member of one side asks the organising centre to reschedule or cancel a booked roadshow meeting.

    Raises ValidationError when the asker is not a member of either side, the event is over, the meeting
    is cancelled or has started, the reason is missing ("another reason" needs a note), a text is too
    long, or a change of the meeting already waits (a double submit lands there). Side effects: after
    commit, e-mails the other side's members and the organising centre's staff.
    """
    side = _side_of(asked_by, meeting)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose whether to reschedule or to cancel.")})
    if reason not in MeetingChangeRequest.Reason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    note = typed_text(
        note,
        field="note",
        limit=CHANGE_NOTE_MAX_LENGTH,
        required=reason == MeetingChangeRequest.Reason.OTHER,
        empty_message=_("Say in a few words why."),
    )
    preferred_time = typed_text(preferred_time, field="preferred_time", limit=PREFERRED_TIME_MAX_LENGTH)
    if kind == Kind.CANCEL:
        preferred_time = ""
    meeting = _lock_meeting(meeting)
    _refuse_unless_changeable(meeting)
    if meeting.change_requests.filter(status=Status.PENDING).exists():
        raise ValidationError(_pending_message())
    change_request = MeetingChangeRequest(
        meeting=meeting,
        kind=kind,
        reason=reason,
        note=note,
        preferred_time=preferred_time,
        asked_by=asked_by,
        asking_side=side,
    )
    try:
        with transaction.atomic():
            change_request.save()
    except IntegrityError:  # the constraint, should the meeting's lock ever be skipped
        raise ValidationError(_pending_message()) from None
    after_commit(tasks.meeting_change_request_notice, change_request.pk, "asked")
    return change_request


def _lock_change_request(change_request) -> MeetingChangeRequest:
    return MeetingChangeRequest.objects.select_for_update().get(pk=change_request.pk)


def _refuse_unless_pending(change_request):
    if change_request.status == Status.PENDING:
        return
    messages = {
        Status.APPROVED: _("This request was already approved."),
        Status.REFUSED: _("This request was already refused."),
        Status.WITHDRAWN: _("This request was withdrawn."),
    }
    raise ValidationError(messages[change_request.status])


@transaction.atomic
def meeting_change_request_withdraw(
    *, change_request: MeetingChangeRequest, withdrawn_by
) -> MeetingChangeRequest:
    """The asking side takes its request back while it waits.

    Raises ValidationError when the user is not a member of the side that asked, or the request is no
    longer waiting (answered meanwhile, or a double click). Side effects: after commit, e-mails the other
    side's members and the organising centre's staff.
    """
    meeting = _lock_meeting(change_request.meeting)
    change_request = _lock_change_request(change_request)
    if _side_of(withdrawn_by, meeting) != change_request.asking_side:
        raise ValidationError(_("Only the side that asked can withdraw the request."))
    _refuse_unless_pending(change_request)
    change_request.status = Status.WITHDRAWN
    change_request.answered_at = timezone.now()
    change_request.save(update_fields=["status", "answered_at"])
    after_commit(tasks.meeting_change_request_notice, change_request.pk, "withdrawn")
    return change_request


def _cancellation_reason(change_request, meeting, answer_note):
    """What both sides read in the cancellation e-mail and on their agenda."""
    asker = meeting.sme if change_request.asking_side == Side.SME else meeting.buyer
    reason = _("%(name)s asked to cancel: %(reason)s.") % {
        "name": asker,
        "reason": change_request.get_reason_display(),
    }
    parts = [reason, change_request.note, answer_note]
    return " ".join(part for part in parts if part)


@transaction.atomic
def meeting_change_request_answer(
    *, change_request: MeetingChangeRequest, answered_by, approve: bool, note="", slot=None, table=None
) -> MeetingChangeRequest:
    """The organising centre's staff (or an admin) approve or refuse a waiting change request.

    Approving a cancellation cancels the meeting (services.meeting_cancel: both sides read why).
    Approving a new time moves the meeting to `slot` (and `table`, in person; the same table when none is
    given) with services.meeting_change, and locks it: both sides agreed to it through KOTRA, so the
    auto-scheduler keeps it there. Refusing needs a note that both sides read.
    Raises ValidationError when the user does not run the event, the request is no longer waiting, the
    event is over, the meeting cannot change any more, or the new place is taken (then nothing changes).
    Side effects: the meeting's own e-mails with the .ics (changed or cancelled); after commit, e-mails
    both sides' members the answer.
    """
    meeting = _lock_meeting(change_request.meeting)
    if not permissions.may(answered_by, "answer_meeting_change", meeting.slot.event):
        raise ValidationError(_("Only the staff of the organising centre can answer this request."))
    change_request = _lock_change_request(change_request)
    _refuse_unless_pending(change_request)
    note = typed_text(
        note,
        field="note",
        limit=CHANGE_NOTE_MAX_LENGTH,
        required=not approve,
        empty_message=_("Say why you refuse: both sides will read it."),
    )
    if approve:
        _refuse_unless_changeable(meeting)
        if change_request.kind == Kind.CANCEL:
            reason = _cancellation_reason(change_request, meeting, note)
            services.meeting_cancel(meeting=meeting, cancelled_by=answered_by, reason=reason)
        else:
            _move(meeting, answered_by, slot, table)
    else:
        event_refuse_if_read_only(meeting.slot.event)
    change_request.status = Status.APPROVED if approve else Status.REFUSED
    change_request.answer_note = note
    change_request.answered_by = answered_by
    change_request.answered_at = timezone.now()
    change_request.save(update_fields=["status", "answer_note", "answered_by", "answered_at"])
    after_commit(tasks.meeting_change_request_notice, change_request.pk, change_request.status)
    return change_request


def _move(meeting, moved_by, slot, table):
    if slot is None:
        raise ValidationError({"slot": _("Choose the meeting's new slot.")})
    if slot.event_id != meeting.slot.event_id or (table is not None and table.event_id != slot.event_id):
        raise ValidationError(_("Choose a slot and a table of this event."))
    if slot.starts_at <= timezone.now():
        raise ValidationError({"slot": _("Choose a slot that has not started yet.")})
    changes = {"slot": slot, "locked": True}
    if meeting.mode == Meeting.Mode.IN_PERSON:
        changes["table"] = table or meeting.table
    services.meeting_change(meeting=meeting, changed_by=moved_by, **changes)
